import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration } from 'kysely';
import pg from 'pg';
import type { Engine } from './engine';
import type { Database } from './schema';
import { initial } from './migrations/2026-11-25T0900-initial';
import { caseFollowUp } from './migrations/2026-11-25T1200-case-followup';
import { mailAndIntake } from './migrations/2026-11-25T1500-mail-intake';
import { fieldLayout } from './migrations/2026-11-25T1700-field-layout';

export interface Storage {
  db: Kysely<Database>;
  engine: Engine;
  /** Where the SQLite file lives (undefined on PostgreSQL). */
  file?: string;
  close(): Promise<void>;
}

export interface StorageOptions {
  /** postgres://… selects PostgreSQL; otherwise the embedded SQLite file under dataDir. */
  databaseUrl?: string;
  dataDir: string;
  poolSize?: number;
}

/** Date-named migrations, applied in name order on every start. */
function migrationsFor(engine: Engine): Record<string, Migration> {
  return {
    '2026-11-25T0900-initial': initial(engine),
    '2026-11-25T1200-case-followup': caseFollowUp(engine),
    '2026-11-25T1500-mail-intake': mailAndIntake(engine),
    '2026-11-25T1700-field-layout': fieldLayout(engine),
  };
}

// PostgreSQL returns timestamptz as text in the session time zone; we keep ISO-8601 UTC strings end to end.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (value: string) =>
  new Date(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString(),
);

function openSqlite(dataDir: string): Storage {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'casepane.sqlite');
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  // NORMAL in WAL mode survives a killed process (only an OS crash can lose the last commits).
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // A 64 MiB page cache keeps the indexes' hot pages in memory under bulk writes.
  database.pragma('cache_size = -65536');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return { db, engine: 'sqlite', file, close: () => db.destroy() };
}

function openPostgres(connectionString: string, poolSize: number): Storage {
  const pool = new pg.Pool({ connectionString, max: poolSize, options: '-c TimeZone=UTC' });
  // An idle client losing its connection (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  // A client checked out for a transaction when the server goes away emits 'error' too; without a listener that
  // would end the process. The query in flight fails and the request answers 503.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: 'postgres', close: () => db.destroy() };
}

export async function openStorage(options: StorageOptions): Promise<Storage> {
  const url = options.databaseUrl;
  const storage =
    url && /^postgres(ql)?:\/\//.test(url)
      ? openPostgres(url, options.poolSize ?? 10)
      : openSqlite(options.dataDir);
  await migrate(storage);
  return storage;
}

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
}
