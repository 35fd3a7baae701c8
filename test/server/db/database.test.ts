import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Transaction } from 'kysely';
import { openStorage, type Storage } from '../../../src/server/db/database';
import type { Database } from '../../../src/server/db/schema';
import { POSTGRES_URL, createPostgresDatabase } from '../../postgres';

const insert = (trx: Transaction<Database>, n: number) => sql`insert into t (n) values (${n})`.execute(trx);
const storedIn = async (storage: Storage) =>
  (await sql<{ n: number }>`select n from t order by n`.execute(storage.db)).rows.map((r) => r.n);

/** The SQLite group commit behind storage.write: shared transactions, failures rolled back alone. */
describe('SQLite storage.write', () => {
  let dataDir: string;
  let storage: Storage;

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casepane-db-'));
    storage = await openStorage({ dataDir });
    await sql`create table t (n integer primary key)`.execute(storage.db);
  });
  afterEach(async () => {
    await storage.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const stored = () => storedIn(storage);

  it('commits writes that arrive in the same event-loop turn in one transaction', async () => {
    const transactions = new Set<Transaction<Database>>();
    // Like requests parsed from several sockets: each reaches write() after its own chain of awaits.
    const afterAwaits = async (count: number) => {
      for (let i = 0; i < count; i++) await Promise.resolve();
    };
    const results = await Promise.all(
      Array.from({ length: 40 }, async (_, n) => {
        await afterAwaits(n % 7);
        return storage.write(async (trx) => {
          transactions.add(trx);
          await insert(trx, n);
          return n * 2;
        });
      }),
    );
    expect(results).toEqual(Array.from({ length: 40 }, (_, n) => n * 2));
    expect(transactions.size).toBe(1);
    expect(await stored()).toHaveLength(40);
  });

  it('rolls back a failing write alone and tells only its caller', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, n) =>
        storage.write(async (trx) => {
          await insert(trx, n);
          if (n === 7) throw new Error('write 7 failed after inserting');
          return n;
        }),
      ),
    );
    const rejected = outcomes.flatMap((o, n) => (o.status === 'rejected' ? [n] : []));
    expect(rejected).toEqual([7]);
    expect((outcomes[7] as PromiseRejectedResult).reason).toEqual(
      new Error('write 7 failed after inserting'),
    );
    expect(await stored()).toEqual(Array.from({ length: 20 }, (_, n) => n).filter((n) => n !== 7));
  });

  it('keeps accepting writes queued while a group commits', async () => {
    const first = storage.write((trx) => insert(trx, 1));
    const second = storage.write(async (trx) => {
      await insert(trx, 2);
      // queued from inside a running group: must go into a later group, not be lost
      void storage.write((inner) => insert(inner, 3));
    });
    await Promise.all([first, second]);
    await storage.write((trx) => insert(trx, 4));
    expect(await stored()).toEqual([1, 2, 3, 4]);
  });
});

const describePostgres = POSTGRES_URL ? describe : describe.skip;

/** PostgreSQL's group commit behind storage.write: lanes, writes that waited share a transaction, failures alone. */
describePostgres('PostgreSQL storage.write', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let storage: Storage;

  beforeEach(async () => {
    database = await createPostgresDatabase();
    // A pool of 2: one lane for writes, so everything that arrives while it is busy waits for the next group.
    storage = await openStorage({ dataDir: '/nonexistent', databaseUrl: database.url, poolSize: 2 });
    await sql`create table t (n integer primary key)`.execute(storage.db);
  });
  afterEach(async () => {
    await storage.close();
    await database.drop();
  });

  const stored = () => storedIn(storage);
  const txid = async (trx: Transaction<Database>) =>
    (await sql<{ id: string }>`select txid_current()::text as id`.execute(trx)).rows[0].id;

  it('runs a write that finds the lane free alone, and those that waited in one transaction', async () => {
    expect(storage.concurrentWrites).toBe(1);
    const transactions: string[] = [];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        storage.write(async (trx) => {
          transactions.push(await txid(trx));
          await insert(trx, n);
          return n * 2;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, n) => n * 2));
    // The first write alone, the 19 that queued behind it together.
    expect(new Set(transactions).size).toBe(2);
    expect(transactions.filter((id) => id === transactions[0])).toHaveLength(1);
    expect(await stored()).toHaveLength(20);
  });

  it('reads timestamptz as ISO-8601 UTC text to the millisecond, whatever zone it was written in', async () => {
    const written = [
      '2026-01-02 10:00:00+00',
      '2026-01-02 10:00:00.1+00',
      '2026-01-02 10:00:00.12+00',
      '2026-12-31 23:59:59.123+00',
      '2026-01-02 10:00:00.123956+00', // microseconds: truncated to the millisecond, as Date does
      '2026-06-30 01:15:00.5+05:30', // another zone: read in UTC, the day before
      '0999-03-04 05:06:07.008+00',
      '12026-01-02 10:00:00+00', // a five-digit year: ISO's extended form
      'infinity', // no Date reads it: kept as PostgreSQL wrote it, not a failed read
    ];
    const { rows } = await sql<{
      t: string;
    }>`select t from unnest(${written}::timestamptz[]) with ordinality as u(t, i) order by i`.execute(
      storage.db,
    );
    expect(rows.map((r) => r.t)).toEqual([
      '2026-01-02T10:00:00.000Z',
      '2026-01-02T10:00:00.100Z',
      '2026-01-02T10:00:00.120Z',
      '2026-12-31T23:59:59.123Z',
      '2026-01-02T10:00:00.123Z',
      '2026-06-29T19:45:00.500Z',
      '0999-03-04T05:06:07.008Z',
      '+012026-01-02T10:00:00.000Z',
      'infinity',
    ]);
  });

  it('rolls back each failing write alone, runs every write once, and tells only the callers that failed', async () => {
    const runs = new Map<number, number>();
    const block = storage.write(async (trx) => {
      await insert(trx, 100);
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, n) =>
        storage.write(async (trx) => {
          runs.set(n, (runs.get(n) ?? 0) + 1);
          if (n === 0) throw new Error('the first of the group failed before writing');
          await insert(trx, n);
          if (n === 5) throw new Error('write 5 failed after inserting');
          // A failing statement puts the transaction in its aborted state; the others must still commit.
          if (n === 9) await insert(trx, 3);
          return n;
        }),
      ),
    );
    await block;
    const rejected = outcomes.flatMap((o, n) => (o.status === 'rejected' ? [n] : []));
    expect(rejected).toEqual([0, 5, 9]);
    expect((outcomes[0] as PromiseRejectedResult).reason).toEqual(
      new Error('the first of the group failed before writing'),
    );
    expect([...runs.values()].every((count) => count === 1)).toBe(true);
    expect(runs.size).toBe(20);
    expect(await stored()).toEqual([
      ...Array.from({ length: 20 }, (_, n) => n).filter((n) => ![0, 5, 9].includes(n)),
      100,
    ]);
  });
});

/** The log is copied into the database file by the checkpointer thread, not by the writer's commits. */
describePostgres('PostgreSQL migrations', () => {
  it('vacuum a table a migration rewrote, so its index-only scans need no heap fetch', async () => {
    const database = await createPostgresDatabase();
    const storage = await openStorage({ dataDir: '/nonexistent', databaseUrl: database.url, poolSize: 2 });
    try {
      const { rows } = await sql<{ vacuum_count: string }>`
        select vacuum_count from pg_stat_user_tables where relname = 'case_metrics'`.execute(storage.db);
      expect(Number(rows[0].vacuum_count)).toBeGreaterThanOrEqual(1);
    } finally {
      await storage.close();
      await database.drop();
    }
  });
});

describe('SQLite checkpoints', () => {
  it('copies committed pages into the database file while the writer goes on, and lets go on close', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casepane-wal-'));
    const storage = await openStorage({ dataDir });
    const file = storage.file as string;
    try {
      await sql`create table blobs (id integer primary key, data text not null)`.execute(storage.db);
      const before = fs.statSync(file).size;
      // 4 MiB of log: far below the writer's own threshold (10,000 pages, 40 MiB), so only the thread copies it.
      for (let batch = 0; batch < 8; batch++)
        await storage.write(async (trx) => {
          for (let i = 0; i < 16; i++)
            await sql`insert into blobs (data) values (${'x'.repeat(32_768)})`.execute(trx);
        });
      const deadline = Date.now() + 4_000;
      while (fs.statSync(file).size < before + 4 * 2 ** 20 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(fs.statSync(file).size).toBeGreaterThanOrEqual(before + 4 * 2 ** 20);
    } finally {
      await storage.close();
    }
    // The last connection to close removes the log; had the thread kept its connection, the log would remain.
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
