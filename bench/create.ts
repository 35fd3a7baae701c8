import SQLite from 'better-sqlite3';
import pg from 'pg';
import { mintLocalToken } from '../src/server/auth/local-issuer';
import { fromEmailBody, senders, rng, subject, body, type Sender } from './lib/data';
import { freshDatabase, type Engine } from './lib/db';
import { runLoad, type LoadResult } from './lib/load';
import { sampleRss, spawnServer } from './lib/proc';

export interface RawResult {
  mode: string;
  /** Concurrent driver clients, when the mode is compared with the API at the same number of clients. */
  clients?: number;
  cases: number;
  seconds: number;
  rate: number;
}

export interface CreateResult {
  engine: Engine;
  levels: LoadResult[];
  raw: RawResult[];
  rssMaxBytes: number;
  rssAfterBytes: number;
}

const now = () => new Date().toISOString();

/** The rows from_email writes for one message, as plain values. */
function rowValues(n: number, pool: readonly Sender[], tag: string) {
  const r = rng(n * 31 + 5);
  const sender = pool[n % pool.length];
  const subj = subject(r, sender.lang, n);
  const text = body(r, sender.lang, sender.name);
  return { mid: `${tag}.${n}@mail.bench.example`, conv: `conv-${tag}-${n}`, sender, subj, text };
}

const SQLITE_STEPS = {
  claim: `insert into email_conversions (internet_message_id, case_id, created_time) values (?, null, ?) on conflict (internet_message_id) do nothing returning internet_message_id`,
  number: `update counters set value = value + 1 where name = 'case_number' returning value`,
  insertCase: `insert into cases (case_number, subject, status, priority, case_origin, email, email_lower, reported_by, description, owner_id, custom_fields, created_time, modified_time, created_by_id, modified_by_id, version) values (?, ?, 'New', 'Medium', 'Email', ?, ?, ?, ?, 1, '{}', ?, ?, 1, 1, 1) returning id`,
  insertLink: `insert into email_links (case_id, internet_message_id, conversation_id, from_name, from_email, to_json, cc_json, subject, sent_time, body_text, linked_time, linked_by_id) values (?, ?, ?, ?, ?, ?, '[]', ?, ?, ?, ?, 1) on conflict (internet_message_id, case_id) do nothing returning id`,
  complete: `update email_conversions set case_id = ? where internet_message_id = ?`,
};

/**
 * The same statements the server runs for one from_email, straight through better-sqlite3 on the same schema
 * and pragmas: one transaction per case (what the API does), then 1,000 cases per transaction (the ceiling).
 */
export function rawSqlite(file: string, seconds: number, pool: readonly Sender[]): RawResult[] {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  const st = Object.fromEntries(Object.entries(SQLITE_STEPS).map(([k, v]) => [k, db.prepare(v)])) as Record<
    keyof typeof SQLITE_STEPS,
    SQLite.Statement
  >;
  const to = JSON.stringify([{ name: 'Support', email: 'support@casepane.example' }]);
  let n = 0;
  const one = (tag: string) => {
    const v = rowValues(n++, pool, tag);
    const t = now();
    st.claim.get(v.mid, t);
    const { value } = st.number.get() as { value: number };
    const { id } = st.insertCase.get(
      value,
      v.subj,
      v.sender.email,
      v.sender.email.toLowerCase(),
      v.sender.name,
      v.text,
      t,
      t,
    ) as { id: number };
    st.insertLink.get(id, v.mid, v.conv, v.sender.name, v.sender.email, to, v.subj, t, v.text, t);
    st.complete.run(id, v.mid);
  };
  const results: RawResult[] = [];
  const perCase = db.transaction(() => one('raw1'));
  const batch = db.transaction((count: number) => {
    for (let i = 0; i < count; i++) one('rawB');
  });
  for (const [mode, step, size] of [
    ['1 case / transaction', () => perCase(), 1],
    ['1,000 cases / transaction', () => batch(1000), 1000],
  ] as const) {
    const start = performance.now();
    let cases = 0;
    while (performance.now() - start < seconds * 1000) {
      step();
      cases += size;
    }
    const s = (performance.now() - start) / 1000;
    results.push({ mode, cases, seconds: s, rate: cases / s });
  }
  db.close();
  return results;
}

/** The same statements through pg: one transaction per case with 16 and 64 clients, and 1,000 per transaction. */
export async function rawPostgres(
  url: string,
  seconds: number,
  pool: readonly Sender[],
): Promise<RawResult[]> {
  const clients = new pg.Pool({ connectionString: url, max: 64 });
  // Dropping the database (with force) may reach a client the pool is still closing; that must not end the bench.
  clients.on('error', () => undefined);
  const to = JSON.stringify([{ name: 'Support', email: 'support@casepane.example' }]);
  let n = 0;
  const one = async (c: pg.PoolClient, tag: string) => {
    const v = rowValues(n++, pool, tag);
    const t = now();
    await c.query(
      `insert into email_conversions (internet_message_id, case_id, created_time) values ($1, null, $2) on conflict (internet_message_id) do nothing returning internet_message_id`,
      [v.mid, t],
    );
    const num = (await c.query(`select nextval('case_number_seq') as n`)).rows[0].n as string;
    const id = (
      await c.query(
        `insert into cases (case_number, subject, status, priority, case_origin, email, email_lower, reported_by, description, owner_id, custom_fields, created_time, modified_time, created_by_id, modified_by_id, version) values ($1, $2, 'New', 'Medium', 'Email', $3, $4, $5, $6, 1, '{}', $7, $7, 1, 1, 1) returning id`,
        [num, v.subj, v.sender.email, v.sender.email.toLowerCase(), v.sender.name, v.text, t],
      )
    ).rows[0].id as string;
    await c.query(
      `insert into email_links (case_id, internet_message_id, conversation_id, from_name, from_email, to_json, cc_json, subject, sent_time, body_text, linked_time, linked_by_id) values ($1, $2, $3, $4, $5, $6, '[]', $7, $8, $9, $8, 1) on conflict (internet_message_id, case_id) do nothing returning id`,
      [id, v.mid, v.conv, v.sender.name, v.sender.email, to, v.subj, t, v.text],
    );
    await c.query(`update email_conversions set case_id = $1 where internet_message_id = $2`, [id, v.mid]);
  };
  const results: RawResult[] = [];
  // The FK target row for created_by_id etc. does not matter (no FK on those), but owner 1 must exist for joins.
  // At 16 and 64 clients, so the API's rate can be set against the driver's at the same concurrency.
  for (const concurrency of [16, 64]) {
    const start = performance.now();
    let cases = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        const c = await clients.connect();
        while (performance.now() - start < seconds * 1000) {
          await c.query('begin');
          await one(c, 'raw1');
          await c.query('commit');
          cases++;
        }
        c.release();
      }),
    );
    const s = (performance.now() - start) / 1000;
    results.push({
      mode: `1 case / transaction, ${concurrency} clients`,
      clients: concurrency,
      cases,
      seconds: s,
      rate: cases / s,
    });
  }
  {
    const c = await clients.connect();
    const start = performance.now();
    let cases = 0;
    while (performance.now() - start < seconds * 1000) {
      await c.query('begin');
      for (let i = 0; i < 1000; i++) await one(c, 'rawB');
      await c.query('commit');
      cases += 1000;
    }
    c.release();
    const s = (performance.now() - start) / 1000;
    results.push({ mode: '1,000 cases / transaction, 1 client', cases, seconds: s, rate: cases / s });
  }
  await clients.end();
  return results;
}

/** Create throughput over HTTP at each concurrency, then the raw driver rate on a fresh copy of the schema. */
export async function createThroughput(
  engine: Engine,
  options: { seconds: number; levels: number[]; log: (s: string) => void },
): Promise<CreateResult> {
  const pool = senders(5000);
  const apiDb = await freshDatabase(engine, 'create');
  const token = await mintLocalToken(
    { dataDir: apiDb.dataDir, databaseUrl: apiDb.url },
    { email: 'agent@example.com', role: 'agent' },
  );
  const server = await spawnServer({ dataDir: apiDb.dataDir, databaseUrl: apiDb.url });
  const rss = sampleRss(server.pid);
  const levels: LoadResult[] = [];
  let n = 0;
  const tag = `api${Date.now().toString(36)}`;
  try {
    // Warm-up: JIT, connection pool, first user upsert.
    await runLoad({
      url: server.url,
      connections: 8,
      duration: 2,
      token,
      next: () => ({
        method: 'POST',
        path: '/crm/v6/Cases/actions/from_email',
        body: fromEmailBody(`${tag}w`, n++, pool),
      }),
    });
    for (const connections of options.levels) {
      const r = await runLoad({
        url: server.url,
        connections,
        duration: options.seconds,
        token,
        next: () => ({
          method: 'POST',
          path: '/crm/v6/Cases/actions/from_email',
          body: fromEmailBody(tag, n++, pool),
        }),
      });
      options.log(
        `  ${engine} from_email, ${connections} clients: ${r.rate.toFixed(0)} cases/s, p99 ${r.p99.toFixed(1)} ms`,
      );
      levels.push(r);
    }
  } finally {
    await server.stop();
  }
  const mem = rss.stop();
  await apiDb.drop();
  const rawDb = await freshDatabase(engine, 'raw');
  const raw =
    engine === 'sqlite'
      ? rawSqlite(rawDb.file as string, Math.max(3, options.seconds / 2), pool)
      : await rawPostgres(rawDb.url as string, Math.max(3, options.seconds / 2), pool);
  await rawDb.drop();
  return { engine, levels, raw, rssMaxBytes: mem.maxBytes, rssAfterBytes: mem.lastBytes };
}
