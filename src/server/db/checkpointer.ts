import { Worker } from 'node:worker_threads';

/**
 * Copies SQLite's write-ahead log into the database file from a worker thread, so the writer never does it.
 *
 * SQLite's automatic checkpoint runs inside the commit that crosses the threshold, on the one thread that serves
 * every request: a 100,000-row import spent a quarter of its SQLite time there. A PASSIVE checkpoint from a second
 * connection never takes the write lock, so the writer carries on while the log is copied on the other core. The
 * writer keeps a high automatic threshold as a backstop in case this thread falls behind.
 */
export interface Checkpointer {
  stop(): Promise<void>;
}

// Plain JavaScript, evaluated: the worker must start the same way under tsx, jest and a compiled build.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.file);
db.pragma('busy_timeout = 1000');
// Cheap when there is nothing to copy: SQLite reads the log's index and returns.
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export function startCheckpointer(file: string, intervalMs = 100): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, intervalMs, driver: require.resolve('better-sqlite3') },
  });
  // A checkpoint that fails is retried on the next tick, and the writer's own threshold still applies.
  worker.on('error', () => undefined);
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      // Unreferenced, the worker would not keep a process alive whose only work left is this stop (a CLI that
      // closes its storage last): the process would end with the promise pending and skip what follows it.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
