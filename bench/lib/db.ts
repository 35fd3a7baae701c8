import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { spawnServer } from './proc';

export type Engine = 'sqlite' | 'postgres';

/** PostgreSQL server for the bench: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else none (skipped). */
export const PG_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;

export interface BenchDatabase {
  engine: Engine;
  dataDir: string;
  /** PostgreSQL URL of this bench's own database. */
  url?: string;
  /** SQLite file. */
  file?: string;
  drop(): Promise<void>;
}

/**
 * A fresh database with the server's own schema: a temp data dir (SQLite) or a new PostgreSQL database, migrated
 * by starting the real server on it once — so the bench always measures the schema the server ships.
 */
export async function freshDatabase(engine: Engine, label: string): Promise<BenchDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `casepane-bench-${label}-`));
  let url: string | undefined;
  let name: string | undefined;
  if (engine === 'postgres') {
    if (!PG_URL) throw new Error('no PostgreSQL URL');
    name = `casepane_bench_${label}_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(PG_URL);
    u.pathname = `/${name}`;
    url = u.toString();
  }
  const server = await spawnServer({ dataDir, databaseUrl: url });
  await server.stop();
  return {
    engine,
    dataDir,
    url,
    file: engine === 'sqlite' ? path.join(dataDir, 'casepane.sqlite') : undefined,
    async drop() {
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (name) {
        const admin = new pg.Client({ connectionString: PG_URL });
        await admin.connect();
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    },
  };
}
