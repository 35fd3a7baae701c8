import fs from 'node:fs';
import path from 'node:path';
import {
  Kysely,
  Migrator,
  sql,
  PostgresDialect,
  SqliteDialect,
  type Migration,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { startCheckpointer } from './checkpointer';
import { openSqliteConnection } from './sqlite-connection';
import { writeLane } from './write-lane';
import { reviveError, type WriteOperation } from './write-operation';
import { startWriteWorker, WorkerFailure, type WriteWorkerState } from './write-worker';
import { dialectFor, type Dialect } from './dialect';
import { postgresGroupCommitter, sqliteGroupCommitter } from './group-commit';
import type { Engine } from './engine';
import type { Database } from './schema';
import { initial } from './migrations/2026-11-25T0900-initial';
import { caseFollowUp } from './migrations/2026-11-25T1200-case-followup';
import { mailAndIntake } from './migrations/2026-11-25T1500-mail-intake';
import { fieldLayout } from './migrations/2026-11-25T1700-field-layout';
import { importHeartbeat } from './migrations/2026-12-01T1000-import-heartbeat';
import { outbox } from './migrations/2026-12-01T1200-outbox';
import { signingKeys } from './migrations/2026-12-01T1400-signing-keys';
import { attachmentBlobs } from './migrations/2026-12-01T1600-blobs';
import { coqlIndexes } from './migrations/2026-12-02T0100-coql-indexes';
import { deletedCases } from './migrations/2026-12-02T0100-deleted-cases';
import { notificationChannels } from './migrations/2026-12-02T0100-notification-channels';
import { mailboxes } from './migrations/2026-12-02T0200-mailboxes';
import { settingsVersions } from './migrations/2026-12-02T0300-settings-version';
import { reportIndexes } from './migrations/2026-12-02T1100-report-indexes';
import { customViews } from './migrations/2026-12-02T1120-custom-views';
import { emailThreadHeaders } from './migrations/2026-12-02T1150-email-thread-headers';
import { mailboxAcknowledgement } from './migrations/2026-12-02T1151-mailbox-acknowledgement';
import { fieldLayoutQuick } from './migrations/2026-12-02T1140-field-layout-quick';
import { caseMetrics } from './migrations/2026-12-02T1300-case-metrics';
import { openCaseCounts } from './migrations/2026-12-03T1900-open-case-counts';
import { durationRanks } from './migrations/2026-12-04T0300-duration-ranks';
import { mailboxOAuth } from './migrations/2026-12-02T1320-mailbox-oauth';

export interface Storage {
  db: Kysely<Database>;
  engine: Engine;
  /** What differs between the engines: the only place that knows (db/dialect.ts). */
  dialect: Dialect;
  /**
   * Run a unit of writes atomically, by group commit: writes that arrive while the database is busy share the next
   * transaction, each inside its own savepoint, so one failing write rolls back alone while the others commit
   * together; each caller is answered only after the commit. SQLite has one such lane (one writer); PostgreSQL
   * several, each on its own connection. A write that arrives while a lane is free runs alone, as its own
   * transaction.
   */
  write<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /**
   * Run reads that must agree with each other in one snapshot: a report of several statements sees every write
   * committed before its first one and none after. SQLite: a read transaction on the one connection (writes wait
   * for it, as they wait for any statement there); PostgreSQL: a read-only REPEATABLE READ transaction on a pooled
   * connection. `work` must not write, nor use `db` outside `trx` (on SQLite that would wait for itself).
   */
  read<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /**
   * Run a named write operation (db/write-operation.ts) in a transaction of its own: on SQLite in the write worker
   * once it runs (the HTTP thread is free meanwhile), else as `write` would.
   */
  operate<I, O>(operation: WriteOperation<I, O>, input: I): Promise<O>;
  /** SQLite's write worker, when the storage has one (shown by /health). */
  writeWorker?: () => WriteWorkerState;
  /** How many write transactions run at once: SQLite's one writer, or PostgreSQL's lanes. */
  concurrentWrites: number;
  /** One round trip to the database (/health); rejects when it cannot be reached. */
  ping(): Promise<void>;
  /** Where the SQLite file lives (undefined on PostgreSQL). */
  file?: string;
  close(): Promise<void>;
}

export interface StorageOptions {
  /** postgres://… selects PostgreSQL; otherwise the embedded SQLite file under dataDir. */
  databaseUrl?: string;
  dataDir: string;
  poolSize?: number;
  /**
   * The module whose `writeOperations` SQLite's write worker loads (the server's src/server/write-operations.ts).
   * Unset (CLIs, tools), operations are written on the caller's thread.
   */
  writeOperations?: string;
}

/** Date-named migrations, applied in name order on every start. */
function migrationsFor(engine: Engine): Record<string, Migration> {
  return {
    '2026-11-25T0900-initial': initial(engine),
    '2026-11-25T1200-case-followup': caseFollowUp(engine),
    '2026-11-25T1500-mail-intake': mailAndIntake(engine),
    '2026-11-25T1700-field-layout': fieldLayout(engine),
    '2026-12-01T1000-import-heartbeat': importHeartbeat(engine),
    '2026-12-01T1200-outbox': outbox(engine),
    '2026-12-01T1400-signing-keys': signingKeys(engine),
    '2026-12-01T1600-blobs': attachmentBlobs(engine),
    '2026-12-02T0100-coql-indexes': coqlIndexes(engine),
    '2026-12-02T0100-deleted-cases': deletedCases(engine),
    '2026-12-02T0100-notification-channels': notificationChannels(engine),
    '2026-12-02T0200-mailboxes': mailboxes(engine),
    '2026-12-02T0300-settings-version': settingsVersions(),
    '2026-12-02T1100-report-indexes': reportIndexes(),
    '2026-12-02T1120-custom-views': customViews(engine),
    '2026-12-02T1150-email-thread-headers': emailThreadHeaders(),
    '2026-12-02T1151-mailbox-acknowledgement': mailboxAcknowledgement(engine),
    '2026-12-02T1140-field-layout-quick': fieldLayoutQuick(engine),
    '2026-12-02T1300-case-metrics': caseMetrics(engine),
    '2026-12-02T1320-mailbox-oauth': mailboxOAuth(),
    '2026-12-03T1900-open-case-counts': openCaseCounts(engine),
    '2026-12-04T0300-duration-ranks': durationRanks(engine),
  };
}

// PostgreSQL returns timestamptz as text in the session time zone (UTC: the pool sets it), e.g.
// `2026-01-02 10:00:00.12+00`; we keep ISO-8601 UTC strings to the millisecond end to end, as Date.toISOString
// writes them. The UTC form is rearranged as text: through a Date it cost 2.5 µs a value, 350 ms of an 11-month
// report's 46,000 rows (measured). Another zone goes through a Date; text no Date can read is kept as it came.
const UTC_TIMESTAMPTZ = /^(\d{4,6})(-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/;

function isoFromTimestamptz(value: string): string {
  const utc = UTC_TIMESTAMPTZ.exec(value);
  if (utc) {
    const [, year, monthDay, time, fraction = ''] = utc;
    const isoYear = year.length === 4 ? year : `+${year.padStart(6, '0')}`;
    return `${isoYear}${monthDay}T${time}.${fraction.padEnd(3, '0').slice(0, 3)}Z`;
  }
  const date = new Date(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, isoFromTimestamptz);

/** A named operation as a `write` on this thread: where no worker runs, or until it is ready. */
const operateInThread =
  (write: Storage['write'], dialect: Dialect): Storage['operate'] =>
  (operation, input) =>
    write((trx) => operation.run(trx, input, dialect));

function openSqlite(dataDir: string, writeOperations?: string): Storage {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'casepane.sqlite');
  const database = openSqliteConnection(file);
  const checkpointer = startCheckpointer(file);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  const dialect = dialectFor('sqlite');
  const lane = writeLane();
  const write = sqliteGroupCommitter(db, (statement) => database.exec(statement), lane);
  const inThread = operateInThread(write, dialect);
  const worker = writeOperations ? startWriteWorker(file, writeOperations) : undefined;
  const operate: Storage['operate'] = (operation, input) => {
    if (!worker?.available()) return inThread(operation, input);
    return lane
      .run(() => worker.call(operation.name, input))
      .catch((error: unknown) => {
        throw error instanceof WorkerFailure ? reviveError(operation as never, error.error) : error;
      }) as Promise<never>;
  };
  const close = async () => {
    // In the lane: a write the worker has under way ends first.
    await lane.run(async () => worker?.stop());
    await checkpointer.stop();
    await db.destroy();
  };
  return {
    db,
    engine: 'sqlite',
    dialect,
    ping: () => ping(db),
    file,
    write,
    read: (work) => db.transaction().execute(work),
    operate,
    writeWorker: worker && (() => worker.state()),
    concurrentWrites: 1,
    close,
  };
}

async function ping(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}

/** Lanes for writes; the rest of the pool serves reads (and a request's reads before its write). */
const writeLanes = (poolSize: number) => Math.max(1, Math.floor(poolSize / 2));

function openPostgres(connectionString: string, poolSize: number): Storage {
  // Sessions in UTC and ISO dates: timestamps come back in the form isoFromTimestamptz rearranges, and a date
  // cast as text (the reports' days and weeks) is YYYY-MM-DD whatever the server's default DateStyle.
  const pool = new pg.Pool({ connectionString, max: poolSize, options: '-c TimeZone=UTC -c DateStyle=ISO' });
  // An idle client losing its connection (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  // A client checked out for a transaction when the server goes away emits 'error' too; without a listener that
  // would end the process. The query in flight fails and the request answers 503.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const lanes = writeLanes(poolSize);
  const write = postgresGroupCommitter(db, lanes);
  const dialect = dialectFor('postgres');
  return {
    db,
    engine: 'postgres',
    dialect,
    ping: () => ping(db),
    write,
    read: (work) =>
      db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(work),
    operate: operateInThread(write, dialect),
    concurrentWrites: lanes,
    close: () => db.destroy(),
  };
}

export async function openStorage(options: StorageOptions): Promise<Storage> {
  const url = options.databaseUrl;
  const storage =
    url && /^postgres(ql)?:\/\//.test(url)
      ? openPostgres(url, options.poolSize ?? 10)
      : openSqlite(options.dataDir, options.writeOperations);
  await migrate(storage);
  return storage;
}

/**
 * Tables a migration rewrites on PostgreSQL (stored generated columns). A rewritten table has no visibility map
 * until it is vacuumed, so its index-only scans read every row from the heap as well (first response by owner at
 * 1,000,000 cases: 1.4 s before a vacuum, 0.1 s after), and autovacuum may not come for days. VACUUM cannot run
 * inside the migration's transaction, so it runs after, on the node that ran the migration.
 */
const REWRITTEN_ON_POSTGRES: Record<string, string[]> = {
  '2026-12-04T0300-duration-ranks': ['case_metrics'],
};

export async function migrate(storage: Storage): Promise<void> {
  const migrations = migrationsFor(storage.engine);
  const migrator = new Migrator({ db: storage.db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(
      `migration ${failed?.migrationName ?? ''} failed: ${String((error as Error)?.message ?? error)}`,
    );
  }
  if (storage.engine !== 'postgres') return;
  for (const ran of results ?? [])
    for (const table of REWRITTEN_ON_POSTGRES[ran.migrationName] ?? [])
      await sql`vacuum (analyze) ${sql.table(table)}`.execute(storage.db);
}
