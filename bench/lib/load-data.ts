import SQLite from 'better-sqlite3';
import pg from 'pg';
import { caseWithLinks, senders, type CaseRowData, type LinkRowData } from './data';

export const BENCH_USERS = 20;
const userIds = Array.from({ length: BENCH_USERS }, (_, i) => i + 1);

export interface LoadStats {
  cases: number;
  links: number;
  seconds: number;
  /** Of which: recreating indexes (and the SQLite FTS5 table) after the bulk insert. */
  indexSeconds: number;
  bytes?: number;
}

const CASE_COLS = [
  'id',
  'case_number',
  'subject',
  'status',
  'priority',
  'case_origin',
  'type',
  'case_reason',
  'email',
  'email_lower',
  'reported_by',
  'description',
  'owner_id',
  'created_time',
  'modified_time',
  'created_by_id',
  'modified_by_id',
] as const;
const LINK_COLS = [
  'case_id',
  'internet_message_id',
  'conversation_id',
  'item_id',
  'mailbox',
  'from_name',
  'from_email',
  'to_json',
  'cc_json',
  'subject',
  'sent_time',
  'body_text',
  'linked_time',
  'linked_by_id',
] as const;

function* chunks(total: number, size: number, pool: ReturnType<typeof senders>) {
  for (let start = 1; start <= total; start += size) {
    const cases: CaseRowData[] = [];
    const links: LinkRowData[] = [];
    for (let id = start; id < Math.min(total + 1, start + size); id++) {
      const c = caseWithLinks(id, pool, userIds);
      cases.push(c.row);
      links.push(...c.links);
    }
    yield { cases, links };
  }
}

/** Senders pool size for a case count: ~5 cases per address. */
export const senderPool = (cases: number) => senders(Math.max(100, Math.round(cases / 5)));

/**
 * Bulk-load SQLite straight through better-sqlite3: secondary indexes and the FTS5 trigger dropped, 50,000 cases
 * per transaction, then indexes recreated and the FTS5 trigram index rebuilt — the schema ends up as shipped.
 */
export function loadSqlite(file: string, total: number, log: (s: string) => void): LoadStats {
  const t0 = performance.now();
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  db.pragma('temp_store = MEMORY');
  const objects = db
    .prepare(
      `select type, name, sql from sqlite_master where type in ('index', 'trigger') and sql is not null and tbl_name in ('cases', 'email_links')`,
    )
    .all() as { type: string; name: string; sql: string }[];
  for (const o of objects) db.exec(`drop ${o.type} ${o.name}`);
  const now = new Date().toISOString();
  const addUser = db.prepare(
    `insert into users (id, external_id, email, full_name, role, status, created_time) values (?, ?, ?, ?, 'agent', 'active', ?)`,
  );
  for (const id of userIds)
    addUser.run(id, `bench|agent${id}`, `agent${id}@casepane.example`, `Agent ${id}`, now);
  const insCase = db.prepare(
    `insert into cases (${CASE_COLS.join(', ')}) values (${CASE_COLS.map(() => '?').join(', ')})`,
  );
  const insLink = db.prepare(
    `insert into email_links (${LINK_COLS.join(', ')}) values (${LINK_COLS.map(() => '?').join(', ')})`,
  );
  const insConv = db.prepare(
    `insert into email_conversions (internet_message_id, case_id, created_time) values (?, ?, ?)`,
  );
  const pool = senderPool(total);
  let links = 0;
  const write = db.transaction((chunk: { cases: CaseRowData[]; links: LinkRowData[] }) => {
    for (const c of chunk.cases) insCase.run(CASE_COLS.map((k) => c[k]));
    for (const l of chunk.links) {
      insLink.run(LINK_COLS.map((k) => l[k]));
      if (l.internet_message_id.includes('.0.')) insConv.run(l.internet_message_id, l.case_id, l.linked_time);
    }
  });
  let done = 0;
  for (const chunk of chunks(total, 50_000, pool)) {
    write(chunk);
    done += chunk.cases.length;
    links += chunk.links.length;
    if (done % 200_000 === 0)
      log(
        `    sqlite: ${done.toLocaleString('en-US')} cases, ${((performance.now() - t0) / 1000).toFixed(0)} s`,
      );
  }
  db.prepare(`update counters set value = ? where name = 'case_number'`).run(total);
  const t1 = performance.now();
  for (const o of objects.filter((x) => x.type === 'index')) db.exec(o.sql);
  db.exec(`insert into cases_fts (cases_fts) values ('rebuild')`);
  for (const o of objects.filter((x) => x.type === 'trigger')) db.exec(o.sql);
  db.exec('analyze');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const t2 = performance.now();
  return { cases: total, links, seconds: (t2 - t0) / 1000, indexSeconds: (t2 - t1) / 1000 };
}

/**
 * Bulk-load PostgreSQL through pg: non-constraint indexes dropped, foreign-key triggers off for the session
 * (session_replication_role = replica), multi-row `insert … select from unnest($1::…[])` of 5,000 cases per
 * statement, then indexes recreated (pg_trgm GIN included), sequences moved past the data, and ANALYZE.
 */
export async function loadPostgres(url: string, total: number, log: (s: string) => void): Promise<LoadStats> {
  const t0 = performance.now();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`set session_replication_role = replica`);
  await c.query(`set maintenance_work_mem = '1GB'`);
  await c.query(`set synchronous_commit = off`);
  const { rows: indexes } = await c.query<{ indexname: string; indexdef: string }>(
    `select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename in ('cases', 'email_links')
       and indexname not in (select conname from pg_constraint)`,
  );
  for (const i of indexes) await c.query(`drop index ${i.indexname}`);
  const now = new Date().toISOString();
  for (const id of userIds)
    await c.query(
      `insert into users (id, external_id, email, full_name, role, status, created_time) values ($1, $2, $3, $4, 'agent', 'active', $5)`,
      [id, `bench|agent${id}`, `agent${id}@casepane.example`, `Agent ${id}`, now],
    );
  await c.query(`select setval(pg_get_serial_sequence('users', 'id'), ${BENCH_USERS})`);
  const caseTypes: Record<string, string> = {
    id: 'bigint',
    case_number: 'bigint',
    owner_id: 'bigint',
    created_by_id: 'bigint',
    modified_by_id: 'bigint',
    created_time: 'timestamptz',
    modified_time: 'timestamptz',
  };
  const linkTypes: Record<string, string> = {
    case_id: 'bigint',
    linked_by_id: 'bigint',
    sent_time: 'timestamptz',
    linked_time: 'timestamptz',
  };
  const insertSql = (table: string, cols: readonly string[], types: Record<string, string>) =>
    `insert into ${table} (${cols.join(', ')}) select * from unnest(${cols.map((k, i) => `$${i + 1}::${types[k] ?? 'text'}[]`).join(', ')})`;
  const caseSql = insertSql('cases', CASE_COLS, caseTypes);
  const linkSql = insertSql('email_links', LINK_COLS, linkTypes);
  const convSql = `insert into email_conversions (internet_message_id, case_id, created_time) select * from unnest($1::text[], $2::bigint[], $3::timestamptz[])`;
  const pool = senderPool(total);
  let done = 0;
  let links = 0;
  for (const chunk of chunks(total, 5_000, pool)) {
    await c.query('begin');
    await c.query(
      caseSql,
      CASE_COLS.map((k) => chunk.cases.map((r) => r[k])),
    );
    await c.query(
      linkSql,
      LINK_COLS.map((k) => chunk.links.map((r) => r[k])),
    );
    const firsts = chunk.links.filter((l) => l.internet_message_id.includes('.0.'));
    await c.query(convSql, [
      firsts.map((l) => l.internet_message_id),
      firsts.map((l) => l.case_id),
      firsts.map((l) => l.linked_time),
    ]);
    await c.query('commit');
    done += chunk.cases.length;
    links += chunk.links.length;
    if (done % 200_000 === 0)
      log(
        `    postgres: ${done.toLocaleString('en-US')} cases, ${((performance.now() - t0) / 1000).toFixed(0)} s`,
      );
  }
  const t1 = performance.now();
  for (const i of indexes) await c.query(i.indexdef);
  await c.query(`select setval(pg_get_serial_sequence('cases', 'id'), ${total})`);
  await c.query(
    `select setval(pg_get_serial_sequence('email_links', 'id'), (select max(id) from email_links))`,
  );
  await c.query(`select setval('case_number_seq', ${total})`);
  // A bulk COPY leaves the visibility map unset; autovacuum (insert-triggered since PostgreSQL 13) sets it soon
  // after on a live server. Vacuum here so the bench measures that steady state, not the first minutes after a load.
  await c.query('vacuum analyze');
  const bytes = Number((await c.query(`select pg_database_size(current_database()) as b`)).rows[0].b);
  await c.end();
  const t2 = performance.now();
  return { cases: total, links, seconds: (t2 - t0) / 1000, indexSeconds: (t2 - t1) / 1000, bytes };
}
