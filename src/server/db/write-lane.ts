/**
 * SQLite's one writer, taken in turn by the group commit on the HTTP thread and by the write worker: each holds
 * it for a whole transaction, so neither ever meets the other's write lock (which better-sqlite3 would wait out
 * by blocking its thread in the busy handler). First come, first served.
 */
export interface WriteLane {
  run<T>(work: () => Promise<T>): Promise<T>;
}

const ignore = () => undefined;

export function writeLane(): WriteLane {
  let last: Promise<unknown> = Promise.resolve();
  return {
    run<T>(work: () => Promise<T>): Promise<T> {
      const turn = last.then(work);
      last = turn.then(ignore, ignore);
      return turn;
    },
  };
}
