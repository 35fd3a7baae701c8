import crypto from 'node:crypto';
import pg from 'pg';

/** The engines a test run covers: SQLite always, PostgreSQL when TEST_DATABASE_URL is set (CI sets it). */
export type EngineName = 'sqlite' | 'postgres';
export const POSTGRES_URL = process.env.TEST_DATABASE_URL;
export const ENGINES: EngineName[] = POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'];

/** A new, empty PostgreSQL database on the TEST_DATABASE_URL server, dropped (with its sessions) by drop(). */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!POSTGRES_URL) throw new Error('TEST_DATABASE_URL is not set');
  const name = `casepane_t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
