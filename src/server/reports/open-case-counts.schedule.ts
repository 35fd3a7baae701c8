import type { Storage } from '../db/database';
import { compactOpenCaseCounts, openCaseCountRows } from './open-case-counts.repository';

/**
 * Folds the open-case counters on a timer inside the server, in a write of its own, when rows were appended since
 * the last fold (every create, delete and change of an open case's status, owner, priority, origin, type or
 * reason appends one or two): so the reports sum about one row per combination. Errors are logged, never fatal.
 */
export function startOpenCaseCountFolding(
  storage: Storage,
  intervalMs: number,
  log: (error: unknown) => void,
): () => void {
  if (intervalMs <= 0) return () => undefined;
  let foldedTo = -1;
  let running = false;
  const fold = async () => {
    if ((await openCaseCountRows(storage.db)) === foldedTo) return;
    foldedTo = (await storage.write((trx) => compactOpenCaseCounts(trx))).after;
  };
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    fold()
      .catch(log)
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
