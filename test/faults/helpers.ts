import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { openStorage, type Storage } from '../../src/server/db/database';
import { createPostgresDatabase, ENGINES, POSTGRES_URL, type EngineName } from '../postgres';

export { ENGINES, POSTGRES_URL, type EngineName };

/** A data dir and, on PostgreSQL, a fresh database; for tests that run the server as a child process. */
export async function freshStore(engine: EngineName): Promise<{ dataDir: string; url?: string; drop(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casepane-fault-'));
  const removeDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  if (engine === 'sqlite') return { dataDir, drop: async () => removeDir() };
  const db = await createPostgresDatabase();
  return {
    dataDir,
    url: db.url,
    async drop() {
      removeDir();
      await db.drop();
    },
  };
}

/** Open the same storage the server uses (migrations are idempotent), for checks straight in the database. */
export function openStore(store: { dataDir: string; url?: string }): Promise<Storage> {
  return openStorage({ dataDir: store.dataDir, databaseUrl: store.url, poolSize: 2 });
}

/** Row counts of every table except the migration bookkeeping: "was anything written?" */
export async function tableCounts(db: Kysely<any>): Promise<Record<string, number>> {
  const tables = (await db.introspection.getTables()).map((t) => t.name).filter((n) => !n.startsWith('kysely_') && !n.startsWith('cases_fts'));
  const counts: Record<string, number> = {};
  for (const t of tables.sort()) {
    const { rows } = await sql<{ n: string | number }>`select count(*) as n from ${sql.table(t)}`.execute(db);
    counts[t] = Number(rows[0].n);
  }
  return counts;
}

/** Cases without their email link, links without their case, and unfinished conversion claims. */
export async function integrity(db: Kysely<any>) {
  const one = async (q: ReturnType<typeof sql<{ n: string | number }>>) => Number((await q.execute(db)).rows[0].n);
  return {
    casesWithoutLink: await one(sql`select count(*) as n from cases c where not exists (select 1 from email_links l where l.case_id = c.id)`),
    linksWithoutCase: await one(sql`select count(*) as n from email_links l where not exists (select 1 from cases c where c.id = l.case_id)`),
    claimsWithoutCase: await one(sql`select count(*) as n from email_conversions e where e.case_id is null or not exists (select 1 from cases c where c.id = e.case_id)`),
  };
}

/** A from_email item for message `key`: a case and the message it comes from. */
export function fromEmailItem(key: string) {
  const subject = `Fault ${key}: drukarka nie działa / 打印机无法使用`;
  const email = `sender.${key}@example.pl`;
  return {
    case: { Subject: subject, Case_Origin: 'Email', Email: email, Reported_By: 'Anna Nowak', Description: `Body of ${key}\nZażółć gęślą jaźń.` },
    message: {
      internet_message_id: `<${key}@fault.example.com>`,
      conversation_id: `conv-${key}`,
      from: { name: 'Anna Nowak', email },
      to: [{ name: 'Support', email: 'support@example.com' }],
      subject,
      sent_time: '2026-11-20T09:15:00Z',
      body_text: `Body of ${key}`,
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
