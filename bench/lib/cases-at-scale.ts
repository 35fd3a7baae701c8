/**
 * Cases at scale for the reports bench (and any other that needs a realistic support history): N cases over two
 * years up to now, two emails each (the customer's first mail and, mostly, the answer sent from the case), and the
 * timeline of their closes and escalations, with the reports' rollup (case_metrics, case_closes) those imply.
 * Written with direct multi-row inserts into the server's own schema (migrated by freshDatabase), a fixed seed so
 * every engine holds the same data.
 */
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { LOCAL_ISSUER } from '../../src/server/auth/local-issuer';
import { rng } from './data';

export const SCALE_AGENTS = 20;
/**
 * Users 21 and 22 are the managers of agents 1–10 and 11–20; 23 is an admin. Their external ids are the local
 * issuer's, so a token minted for agent1@casepane.example (mintLocalToken) signs in as user 1.
 */
export const SCALE_MANAGERS = [21, 22];

const DAY = 86_400_000;
const SPAN = 730 * DAY;
const STATUSES = [
  'Closed',
  'Closed',
  'Closed',
  'Closed',
  'Closed',
  'Closed',
  'New',
  'New',
  'On Hold',
  'Escalated',
];
const PRIORITIES = ['High', 'Medium', 'Low', null];
const ORIGINS = ['Email', 'Email', 'Phone', 'Web'];
const TYPES = ['Question', 'Problem', 'Feature Request', null];
const REASONS = ['Complex functionality', 'Existing problem', 'Instructions not clear', 'New problem', null];

type Cell = string | number | null;
export interface Batch {
  cases: Cell[][];
  emails: Cell[][];
  history: Cell[][];
  metrics: Cell[][];
  closes: Cell[][];
}

export const CASE_COLUMNS = [
  'id',
  'case_number',
  'subject',
  'status',
  'priority',
  'case_origin',
  'type',
  'case_reason',
  'owner_id',
  'created_time',
  'modified_time',
  'created_by_id',
  'modified_by_id',
] as const;
export const EMAIL_COLUMNS = [
  'case_id',
  'internet_message_id',
  'from_email',
  'to_json',
  'cc_json',
  'sent_time',
  'linked_time',
  'linked_by_id',
  'direction',
] as const;
export const HISTORY_COLUMNS = ['case_id', 'action', 'changes', 'actor_id', 'time'] as const;
export const METRICS_COLUMNS = [
  'case_id',
  'created_time',
  'owner_id',
  'status',
  'case_origin',
  'type',
  'first_inbound_time',
  'first_response_time',
  'last_closed_time',
] as const;
export const CLOSES_COLUMNS = ['case_id', 'time'] as const;

const iso = (ms: number) => new Date(ms).toISOString();

/** One case with its two emails and its timeline entries. */
function caseBatch(id: number, total: number, now: number, r: () => number, out: Batch): void {
  const created = now - SPAN + Math.floor((id / total) * SPAN);
  const status = STATUSES[Math.floor(r() * STATUSES.length)];
  const owner = 1 + Math.floor(r() * SCALE_AGENTS);
  const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)];
  const closed = Math.min(now - 1000, created + 3_600_000 + Math.floor(r() * 10 * DAY));
  const modified = status === 'Closed' ? closed : Math.min(now - 1000, created + Math.floor(r() * 5 * DAY));
  out.cases.push([
    id,
    id,
    `Case ${id}`,
    status,
    pick(PRIORITIES),
    pick(ORIGINS),
    pick(TYPES),
    pick(REASONS),
    owner,
    iso(created),
    iso(modified),
    owner,
    owner,
  ]);
  const inbound = created + Math.floor(r() * 60_000);
  out.emails.push([
    id,
    `<c${id}-0@bench.example>`,
    `customer${id % 5000}@example.pl`,
    '[]',
    '[]',
    iso(inbound),
    iso(inbound),
    owner,
    'received',
  ]);
  // Nine in ten are answered from the case within two days; the rest got a second mail from the customer.
  const answered = r() < 0.9;
  const second = Math.min(now - 1000, inbound + Math.floor(r() * 2 * DAY));
  out.emails.push([
    id,
    `<c${id}-1@bench.example>`,
    answered ? 'support@casepane.example' : `customer${id % 5000}@example.pl`,
    '[]',
    '[]',
    iso(second),
    iso(second),
    owner,
    answered ? 'sent' : 'received',
  ]);
  out.history.push([
    id,
    'created',
    JSON.stringify([{ api_name: 'Status', old: null, new: 'New' }]),
    owner,
    iso(created),
  ]);
  // What the server's rollup would hold: the customer's mail is the first inbound, the answer (at or after it) the
  // first response; the one close is the last.
  const response = answered && second >= inbound ? iso(second) : null;
  const [, , , , , origin, type] = out.cases[out.cases.length - 1];
  out.metrics.push([
    id,
    iso(created),
    owner,
    status,
    origin,
    type,
    iso(inbound),
    response,
    status === 'Closed' ? iso(closed) : null,
  ]);
  if (status === 'Closed') out.closes.push([id, iso(closed)]);
  if (status === 'Closed')
    out.history.push([
      id,
      'updated',
      JSON.stringify([{ api_name: 'Status', old: 'New', new: 'Closed' }]),
      owner,
      iso(closed),
    ]);
  if (status === 'Escalated')
    out.history.push([
      id,
      'escalated',
      JSON.stringify([{ api_name: 'Status', old: 'New', new: 'Escalated' }]),
      null,
      iso(modified),
    ]);
}

export function* batches(total: number, size: number, now = Date.now()): Generator<Batch> {
  const r = rng(1212);
  for (let start = 1; start <= total; start += size) {
    const out: Batch = { cases: [], emails: [], history: [], metrics: [], closes: [] };
    for (let id = start; id < Math.min(total + 1, start + size); id++) caseBatch(id, total, now, r, out);
    yield out;
  }
}

function userRows(now: string): Cell[][] {
  const rows: Cell[][] = [];
  for (let u = 1; u <= SCALE_AGENTS; u++)
    rows.push([
      u,
      `${LOCAL_ISSUER}|agent${u}@casepane.example`,
      `agent${u}@casepane.example`,
      `Agent ${u}`,
      'agent',
      u <= 10 ? 21 : 22,
      'active',
      now,
    ]);
  rows.push([
    21,
    `${LOCAL_ISSUER}|lead1@casepane.example`,
    'lead1@casepane.example',
    'Lead One',
    'manager',
    null,
    'active',
    now,
  ]);
  rows.push([
    22,
    `${LOCAL_ISSUER}|lead2@casepane.example`,
    'lead2@casepane.example',
    'Lead Two',
    'manager',
    null,
    'active',
    now,
  ]);
  rows.push([
    23,
    `${LOCAL_ISSUER}|admin@casepane.example`,
    'admin@casepane.example',
    'Bench Admin',
    'admin',
    null,
    'active',
    now,
  ]);
  return rows;
}
const USER_COLUMNS = [
  'id',
  'external_id',
  'email',
  'full_name',
  'role',
  'manager_id',
  'status',
  'created_time',
];

/** Multi-row insert statements of up to `per` rows (SQLite binds at most 32,766 parameters). */
function insertMany(db: SQLite.Database, table: string, columns: readonly string[], rows: Cell[][]): void {
  const per = Math.floor(30_000 / columns.length);
  for (let i = 0; i < rows.length; i += per) {
    const part = rows.slice(i, i + per);
    const values = part.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ');
    db.prepare(`insert into ${table} (${columns.join(', ')}) values ${values}`).run(...part.flat());
  }
}

export function seedSqliteAtScale(file: string, total: number, log: (s: string) => void): void {
  const db = new SQLite(file);
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  insertMany(db, 'users', USER_COLUMNS, userRows(new Date().toISOString()));
  const write = db.transaction((b: Batch) => {
    insertMany(db, 'cases', CASE_COLUMNS, b.cases);
    insertMany(db, 'email_links', EMAIL_COLUMNS, b.emails);
    insertMany(db, 'case_history', HISTORY_COLUMNS, b.history);
    insertMany(db, 'case_metrics', METRICS_COLUMNS, b.metrics);
    insertMany(db, 'case_closes', CLOSES_COLUMNS, b.closes);
  });
  let done = 0;
  for (const b of batches(total, 20_000)) {
    write(b);
    done += b.cases.length;
    if (done % 200_000 === 0) log(`    sqlite: ${done.toLocaleString('en-US')} cases`);
  }
  db.prepare(`update counters set value = ? where name = 'case_number'`).run(total);
  db.exec('analyze');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

const PG_TYPES: Record<string, string> = {
  id: 'bigint',
  case_number: 'bigint',
  owner_id: 'bigint',
  created_by_id: 'bigint',
  modified_by_id: 'bigint',
  case_id: 'bigint',
  linked_by_id: 'bigint',
  actor_id: 'bigint',
  manager_id: 'bigint',
  created_time: 'timestamptz',
  modified_time: 'timestamptz',
  sent_time: 'timestamptz',
  linked_time: 'timestamptz',
  time: 'timestamptz',
  first_inbound_time: 'timestamptz',
  first_response_time: 'timestamptz',
  last_closed_time: 'timestamptz',
};

async function unnestInsert(
  c: pg.Client,
  table: string,
  columns: readonly string[],
  rows: Cell[][],
): Promise<void> {
  if (!rows.length) return;
  const arrays = columns.map((k, i) => `$${i + 1}::${PG_TYPES[k] ?? 'text'}[]`).join(', ');
  await c.query(
    `insert into ${table} (${columns.join(', ')}) select * from unnest(${arrays})`,
    columns.map((_, k) => rows.map((row) => row[k])),
  );
}

export async function seedPostgresAtScale(
  url: string,
  total: number,
  log: (s: string) => void,
): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`set synchronous_commit = off`);
  await unnestInsert(c, 'users', USER_COLUMNS, userRows(new Date().toISOString()));
  await c.query(`select setval(pg_get_serial_sequence('users', 'id'), 23)`);
  let done = 0;
  for (const b of batches(total, 10_000)) {
    await c.query('begin');
    await unnestInsert(c, 'cases', CASE_COLUMNS, b.cases);
    await unnestInsert(c, 'email_links', EMAIL_COLUMNS, b.emails);
    await unnestInsert(c, 'case_history', HISTORY_COLUMNS, b.history);
    await unnestInsert(c, 'case_metrics', METRICS_COLUMNS, b.metrics);
    await unnestInsert(c, 'case_closes', CLOSES_COLUMNS, b.closes);
    await c.query('commit');
    done += b.cases.length;
    if (done % 200_000 === 0) log(`    postgres: ${done.toLocaleString('en-US')} cases`);
  }
  await c.query(`select setval(pg_get_serial_sequence('cases', 'id'), ${total})`);
  await c.query(`select setval('case_number_seq', ${total})`);
  await c.query('vacuum analyze');
  await c.end();
}
