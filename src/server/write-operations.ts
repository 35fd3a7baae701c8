import type { WriteOperationRegistry } from './db/write-operation';
import { convertOperation } from './cases/convert.operation';

/**
 * The writes SQLite's write worker runs, by name (db/write-worker.ts). An operation is listed here when it is a
 * hot path whose input and output are plain data; every other write runs on the HTTP thread, in the group commit.
 */
export const writeOperations: WriteOperationRegistry = {
  [convertOperation.name]: convertOperation as WriteOperationRegistry[string],
};

/** This module's path, for openStorage's `writeOperations`. */
export const WRITE_OPERATIONS_MODULE = __filename;
