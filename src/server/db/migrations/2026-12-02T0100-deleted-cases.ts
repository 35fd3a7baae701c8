import { Kysely, sql } from 'kysely';
import type { Engine } from '../engine';
import { columnTypes } from './column-types';

/**
 * What Zoho's GET /{module}/deleted lists: one row per deleted case, written in the transaction of the delete.
 * Deletes here are permanent (there is no recycle bin), so every row is of type permanent.
 */
export function deletedCases(engine: Engine) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const { ref, ts } = columnTypes(engine);
      await sql
        .raw(
          `create table deleted_cases (
            id ${ref} primary key, display_name text not null, created_by_id ${ref}, deleted_by_id ${ref} not null,
            deleted_time ${ts} not null)`,
        )
        .execute(db);
      await sql.raw(`create index deleted_cases_time on deleted_cases (deleted_time, id)`).execute(db);
    },
  };
}
