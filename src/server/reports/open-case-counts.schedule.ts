import type { Storage } from '../db/database';
import { runEvery } from '../run-every';
import { compactOpenCaseCounts, openCaseCountRows } from './open-case-counts.repository';

/**
 * Folds the open-case counters on a timer inside the server, in a write of its own, when rows were appended since
 * the last fold (every create, delete and change of an open case's status, owner, priority, origin, type or
 * reason appends one or two): so the reports sum about one row per combination.
 */
export function startOpenCaseCountFolding(
  storage: Storage,
  intervalMs: number,
  log: (error: unknown) => void,
): () => void {
  let foldedTo = -1;
  const fold = async () => {
    if ((await openCaseCountRows(storage.db)) === foldedTo) return;
    foldedTo = await storage.write(async (trx) => {
      await compactOpenCaseCounts(trx);
      return openCaseCountRows(trx);
    });
  };
  return runEvery(intervalMs, fold, log);
}
