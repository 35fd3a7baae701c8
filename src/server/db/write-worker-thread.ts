import { parentPort, workerData } from 'node:worker_threads';
import { Kysely, SqliteDialect } from 'kysely';
import { dialectFor } from './dialect';
import type { Database } from './schema';
import { openSqliteConnection } from './sqlite-connection';
import { transportError, type WriteOperationRegistry } from './write-operation';
import type { WorkerReply, WorkerRequest, WriteWorkerData } from './write-worker';

/**
 * The write worker's thread (started by write-worker.ts): its own connection to the SQLite file, on which it runs
 * named write operations, each in a transaction of its own, one at a time, as the HTTP thread sends them.
 */
const port = parentPort;
if (!port) throw new Error('write-worker-thread runs only as a worker thread');
const data = workerData as WriteWorkerData;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the registry's path is known only at run time
const { writeOperations } = require(data.operations) as { writeOperations: WriteOperationRegistry };
const db = new Kysely<Database>({
  dialect: new SqliteDialect({ database: openSqliteConnection(data.file) }),
});
const dialect = dialectFor('sqlite');

async function answer(request: WorkerRequest): Promise<WorkerReply> {
  const operation = writeOperations[request.name];
  if (!operation)
    return {
      id: request.id,
      ok: false,
      error: transportError(new Error(`no write operation ${request.name}`)),
    };
  try {
    const value = await db
      .transaction()
      .execute((trx) => operation.run(trx, request.input as never, dialect));
    return { id: request.id, ok: true, value };
  } catch (error) {
    return { id: request.id, ok: false, error: transportError(error) };
  }
}

port.on('message', (message: WorkerRequest | 'stop') => {
  if (message === 'stop') {
    void db.destroy().then(() => port.close());
    return;
  }
  void answer(message).then((reply) => {
    try {
      port.postMessage(reply);
    } catch (error) {
      // A value that cannot cross (a function in it) is the operation's defect; the caller hears so, not silence.
      port.postMessage({ id: message.id, ok: false, error: transportError(error) } satisfies WorkerReply);
    }
  });
});
port.postMessage({ ready: true } satisfies WorkerReply);
