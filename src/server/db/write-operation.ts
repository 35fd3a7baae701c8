import type { Transaction } from 'kysely';
import type { Dialect } from './dialect';
import type { Database } from './schema';

/**
 * A write known by name (issue 15, item 6): its input and output are plain data, so SQLite can run it in the
 * write worker, on a connection of that thread, while the HTTP thread goes on parsing requests. On PostgreSQL,
 * and wherever no worker runs, it is a `storage.write` like any other.
 */
export interface WriteOperation<Input, Output> {
  /** The key the worker finds it by in the registry (src/server/write-operations.ts). */
  name: string;
  run(trx: Transaction<Database>, input: Input, dialect: Dialect): Promise<Output>;
  /** The error as the caller expects it (its class), from what crossed the thread; default: a plain Error. */
  revive?(error: TransportedError): unknown;
}

/** An error thrown in the worker, as it crosses to the HTTP thread: its message and its own cloneable fields. */
export interface TransportedError {
  name: string;
  message: string;
  fields: Record<string, unknown>;
}

/** What the worker loads: every operation it may be asked to run, by name. */
export type WriteOperationRegistry = Record<string, WriteOperation<never, unknown>>;

export function transportError(error: unknown): TransportedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    // A cause (a driver's error) may hold what cannot be cloned; its message is what a log needs.
    if (key === 'cause') fields.cause = value instanceof Error ? value.message : String(value);
    else if (typeof value !== 'function') fields[key] = value;
  }
  return { name: error.name, message: error.message, fields };
}

export function reviveError(operation: WriteOperation<never, unknown>, error: TransportedError): unknown {
  if (operation.revive) return operation.revive(error);
  return Object.assign(new Error(error.message), { name: error.name }, error.fields);
}
