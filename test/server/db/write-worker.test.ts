import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openStorage, type Storage } from '../../../src/server/db/database';
import { HttpError } from '../../../src/server/http/errors';
import { conflict, failAfterInsert, insertRows, slowInsert, uncloneable } from './write-operations.fixture';

/**
 * SQLite's write worker (issue 15, item 6) through storage.operate: named operations run on a thread of their own
 * once it is ready, share the one writer with storage.write, and fail as they would have on the caller's thread.
 */
const FIXTURE = path.join(__dirname, 'write-operations.fixture.ts');

describe('SQLite storage.operate and the write worker', () => {
  let dataDir: string;
  let storage: Storage;

  const open = async (writeOperations = FIXTURE) => {
    storage = await openStorage({ dataDir, writeOperations });
    await sql`create table if not exists t (n integer primary key)`.execute(storage.db);
  };
  const stored = async () =>
    (await sql<{ n: number }>`select n from t order by n`.execute(storage.db)).rows.map((r) => r.n);
  let next = 0;
  /** Inserts one row per call until a call comes back from another thread (the worker starts on the first). */
  const untilInWorker = async () => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const { threadId } = await storage.operate(insertRows, { from: 10_000 + next++, count: 1 });
      if (threadId !== 0) return;
      if (Date.now() > deadline) throw new Error('the write worker never took a call');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casepane-worker-'));
    next = 0;
    await open();
  });
  afterEach(async () => {
    await storage.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes on the calling thread until the worker is ready, then in the worker', async () => {
    const first = await storage.operate(insertRows, { from: 1, count: 3 });
    expect(first).toEqual({ threadId: 0, rows: 3 });
    await untilInWorker();
    const later = await storage.operate(insertRows, { from: 100, count: 2 });
    expect(later.threadId).not.toBe(0);
    // What the worker committed is what the server's own connection reads next.
    expect(await stored()).toEqual(expect.arrayContaining([1, 2, 3, 100, 101]));
    expect(later.rows).toBe((await stored()).length);
  });

  it('shares the one writer with storage.write: every interleaved write and operation commits', async () => {
    await untilInWorker();
    const before = (await stored()).length;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 300 }, (_, i) =>
        i % 2
          ? storage.operate(insertRows, { from: 1_000 + i * 10, count: 5 })
          : storage.write((trx) => sql`insert into t (n) values (${1_000 + i * 10})`.execute(trx)),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    expect((await stored()).length).toBe(before + 150 * 5 + 150);
  });

  it("rolls an operation back when it throws, and gives its caller the error's message and fields", async () => {
    await untilInWorker();
    const before = await stored();
    const error = await storage.operate(failAfterInsert, { n: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      message: 'failed after inserting',
      code: 'TEST_FAILURE',
      detail: { n: 5 },
    });
    expect(await stored()).toEqual(before);
  });

  it("gives back the operation's own error class (an HTTP error keeps its status, body and headers)", async () => {
    await untilInWorker();
    const error = await storage.operate(conflict, { n: 6 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({
      statusCode: 409,
      body: { code: 'CONFLICT', details: { api_name: 'n' }, message: 'taken', status: 'error' },
      headers: { 'retry-after': '1' },
    });
    expect(await stored()).not.toContain(6);
  });

  it('answers an output that cannot cross the thread with an error, and goes on with the next call', async () => {
    await untilInWorker();
    await expect(storage.operate(uncloneable, {})).rejects.toThrow(/could not be cloned/);
    const after = await storage.operate(insertRows, { from: 500, count: 1 });
    expect(after.threadId).not.toBe(0);
  });

  it('lets the operations already asked for finish before the storage closes', async () => {
    await untilInWorker();
    const slow = storage.operate(slowInsert, { n: 7, ms: 300 });
    const queued = storage.operate(insertRows, { from: 8, count: 1 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await storage.close();
    expect(await slow).not.toBe(0);
    expect((await queued).threadId).not.toBe(0);
    await open();
    expect(await stored()).toEqual(expect.arrayContaining([7, 8]));
  });

  it('keeps the HTTP thread free while the worker writes: a write of its own waits without blocking it', async () => {
    await untilInWorker();
    const slow = storage.operate(slowInsert, { n: 9, ms: 400 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const write = storage.write((trx) => sql`insert into t (n) values (${10})`.execute(trx));
    // Waiting in SQLite's busy handler instead would hold this thread, and the timer, until the worker commits.
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(Date.now() - started).toBeLessThan(200);
    await Promise.all([slow, write]);
    expect(await stored()).toEqual(expect.arrayContaining([9, 10]));
  });

  it('keeps writing on the calling thread when the registry cannot be loaded', async () => {
    await storage.close();
    await open(path.join(dataDir, 'no-such-registry.ts'));
    for (let i = 0; i < 20; i++) {
      const { threadId } = await storage.operate(insertRows, { from: 2_000 + i, count: 1 });
      expect(threadId).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
});
