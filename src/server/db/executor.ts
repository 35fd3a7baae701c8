import type { Kysely, Transaction } from 'kysely';
import type { Database, RowId } from './schema';

/** A repository call runs on the database or inside a transaction the route opened. */
export type Executor = Kysely<Database> | Transaction<Database>;

export const idString = (id: RowId): string => String(id);

export function nowIso(): string {
  return new Date().toISOString();
}
