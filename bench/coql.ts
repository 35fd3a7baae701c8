/**
 * COQL at scale: POST /crm/v6/coql over real HTTP against 1,000,000 cases (BENCH_SCALE), one client, p95 for
 * an indexed filter (target ≤ 100 ms) and for GROUP BY Status, Owner (target ≤ 500 ms); and the same SQL — the
 * statement the server's own planner and repository compose — run straight through the driver, for the ratio of
 * what parsing, planning, HTTP and shaping add.
 */
import SQLite from 'better-sqlite3';
import pg from 'pg';
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
} from 'kysely';
import { mintLocalToken } from '../src/server/auth/local-issuer';
import { parseQuery } from '../src/server/coql/coql.parser';
import { planQuery } from '../src/server/coql/coql.planner';
import { coqlStatement } from '../src/server/coql/coql.repository';
import { caseFields } from '../src/shared/case-fields';
import { rng } from './lib/data';
import { freshDatabase, type BenchDatabase, type Engine } from './lib/db';
import { dialectFor } from '../src/server/db/dialect';
import { runLoad } from './lib/load';
import { spawnServer } from './lib/proc';
import { fmt, percentile, table } from './lib/stats';
import type { Database } from '../src/server/db/schema';

export interface CoqlRun {
  name: string;
  query: string;
  target: number;
  requests: number;
  p50: number;
  p95: number;
  /** The same statement through better-sqlite3 / pg, no HTTP, no parsing. */
  rawP50: number;
  rawP95: number;
  rows: number;
}

export interface CoqlResult {
  engine: Engine;
  cases: number;
  loadSeconds: number;
  runs: CoqlRun[];
  plans: { name: string; plan: string }[];
}

const USERS = 20;
const STATUSES = [
  'New',
  'New',
  'New',
  'On Hold',
  'Escalated',
  'Closed',
  'Closed',
  'Closed',
  'Closed',
  'Closed',
];
const PRIORITIES = ['High', 'Medium', 'Low', null];
const ORIGINS = ['Email', 'Phone', 'Web'];
const COLUMNS = [
  'id',
  'case_number',
  'subject',
  'status',
  'priority',
  'case_origin',
  'owner_id',
  'created_time',
  'modified_time',
  'created_by_id',
  'modified_by_id',
] as const;

/** One generated case as a row of COLUMNS: a fixed seed, so every run and engine holds the same data. */
function caseRow(id: number, r: () => number): (string | number | null)[] {
  const time = new Date(Date.UTC(2024, 0, 1) + id * 60_000).toISOString();
  const owner = 1 + Math.floor(r() * USERS);
  return [
    id,
    id,
    `Case ${id}: printer ${Math.floor(r() * 1000)}`,
    STATUSES[Math.floor(r() * STATUSES.length)],
    PRIORITIES[Math.floor(r() * PRIORITIES.length)],
    ORIGINS[Math.floor(r() * ORIGINS.length)],
    owner,
    time,
    time,
    owner,
    owner,
  ];
}

function* chunks(total: number, size: number): Generator<(string | number | null)[][]> {
  const r = rng(2026);
  for (let start = 1; start <= total; start += size) {
    const rows: (string | number | null)[][] = [];
    for (let id = start; id < Math.min(total + 1, start + size); id++) rows.push(caseRow(id, r));
    yield rows;
  }
}

const userSql = `insert into users (id, external_id, email, full_name, role, status, created_time) values `;

/** Bulk insert straight into the tables, indexes dropped and rebuilt afterwards (the FTS5 index left empty: COQL does not read it). */
function seedSqlite(file: string, total: number): void {
  const db = new SQLite(file);
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const objects = db
    .prepare(
      `select type, name, sql from sqlite_master where type in ('index', 'trigger') and sql is not null and tbl_name = 'cases'`,
    )
    .all() as { type: string; name: string; sql: string }[];
  for (const o of objects) db.exec(`drop ${o.type} ${o.name}`);
  const now = new Date().toISOString();
  for (let u = 1; u <= USERS; u++)
    db.prepare(`${userSql}(?, ?, ?, ?, 'agent', 'active', ?)`).run(
      u,
      `bench|${u}`,
      `agent${u}@casepane.example`,
      `Agent ${u}`,
      now,
    );
  const insert = db.prepare(
    `insert into cases (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})`,
  );
  const write = db.transaction((rows: (string | number | null)[][]) =>
    rows.forEach((row) => insert.run(row)),
  );
  for (const rows of chunks(total, 50_000)) write(rows);
  db.prepare(`update counters set value = ? where name = 'case_number'`).run(total);
  for (const o of objects) db.exec(o.sql);
  db.exec('analyze');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

async function seedPostgres(url: string, total: number): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`set maintenance_work_mem = '512MB'`);
  await c.query(`set synchronous_commit = off`);
  const { rows: indexes } = await c.query<{ indexname: string; indexdef: string }>(
    `select indexname, indexdef from pg_indexes where tablename = 'cases' and indexname not in (select conname from pg_constraint)`,
  );
  for (const i of indexes) await c.query(`drop index ${i.indexname}`);
  const now = new Date().toISOString();
  for (let u = 1; u <= USERS; u++)
    await c.query(`${userSql}($1, $2, $3, $4, 'agent', 'active', $5)`, [
      u,
      `bench|${u}`,
      `agent${u}@casepane.example`,
      `Agent ${u}`,
      now,
    ]);
  await c.query(`select setval(pg_get_serial_sequence('users', 'id'), ${USERS})`);
  const types: Record<string, string> = {
    id: 'bigint',
    case_number: 'bigint',
    owner_id: 'bigint',
    created_by_id: 'bigint',
    modified_by_id: 'bigint',
    created_time: 'timestamptz',
    modified_time: 'timestamptz',
  };
  const insert = `insert into cases (${COLUMNS.join(', ')}) select * from unnest(${COLUMNS.map((k, i) => `$${i + 1}::${types[k] ?? 'text'}[]`).join(', ')})`;
  for (const rows of chunks(total, 10_000))
    await c.query(
      insert,
      COLUMNS.map((_, k) => rows.map((row) => row[k])),
    );
  for (const i of indexes) await c.query(i.indexdef);
  await c.query(`select setval(pg_get_serial_sequence('cases', 'id'), ${total})`);
  await c.query(`select setval('case_number_seq', ${total})`);
  await c.query('vacuum analyze cases');
  await c.end();
}

/** A Kysely that only compiles (placeholders and quoting of the engine), as read.ts uses for its plans. */
const compilerFor = (engine: Engine) =>
  new Kysely<Database>({
    dialect: {
      createAdapter: () => (engine === 'postgres' ? new PostgresAdapter() : new SqliteAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) =>
        engine === 'postgres' ? new PostgresIntrospector(db) : new SqliteIntrospector(db),
      createQueryCompiler: () =>
        engine === 'postgres' ? new PostgresQueryCompiler() : new SqliteQueryCompiler(),
    },
  });

/** The SQL the server runs for a query text: its own parser, planner and repository, compiled for the engine. */
function statementOf(engine: Engine, text: string): CompiledQuery {
  return coqlStatement(dialectFor(engine), planQuery(parseQuery(text), caseFields())).compile(
    compilerFor(engine),
  );
}

interface Raw {
  run(q: CompiledQuery): Promise<number>;
  explain(q: CompiledQuery): Promise<string>;
  close(): Promise<void>;
}

async function rawDriver(d: BenchDatabase): Promise<Raw> {
  if (d.engine === 'sqlite') {
    const db = new SQLite(d.file as string, { readonly: true });
    return {
      run: async (q) => db.prepare(q.sql).all(...(q.parameters as unknown[])).length,
      explain: async (q) =>
        (
          db.prepare(`explain query plan ${q.sql}`).all(...(q.parameters as unknown[])) as {
            detail: string;
          }[]
        )
          .map((r) => r.detail)
          .join('\n'),
      close: async () => void db.close(),
    };
  }
  const c = new pg.Client({ connectionString: d.url });
  await c.connect();
  return {
    run: async (q) => (await c.query(q.sql, q.parameters as unknown[])).rowCount ?? 0,
    explain: async (q) =>
      (await c.query(`explain ${q.sql}`, q.parameters as unknown[])).rows
        .map((r: Record<string, string>) => r['QUERY PLAN'])
        .join('\n'),
    close: () => c.end(),
  };
}

async function timeRaw(
  raw: Raw,
  make: () => CompiledQuery,
  seconds: number,
): Promise<{ p50: number; p95: number; rows: number }> {
  const times: number[] = [];
  let rows = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const q = make();
    const t0 = performance.now();
    rows = await raw.run(q);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), rows };
}

export async function coqlBench(
  d: BenchDatabase,
  cases: number,
  options: { seconds: number; log: (s: string) => void },
): Promise<CoqlResult> {
  const t0 = performance.now();
  if (d.engine === 'sqlite') seedSqlite(d.file as string, cases);
  else await seedPostgres(d.url as string, cases);
  const loadSeconds = (performance.now() - t0) / 1000;
  options.log(`  ${d.engine}: ${cases.toLocaleString('en-US')} cases seeded in ${loadSeconds.toFixed(1)} s`);
  const r = rng(7);
  const queries = [
    {
      name: 'indexed filter: Owner = u and Status = Escalated',
      target: 100,
      text: () =>
        `select Subject, Status, Priority, Owner, Created_Time from Cases where Owner = '${1 + Math.floor(r() * USERS)}' and Status = 'Escalated' limit 200`,
    },
    {
      name: 'GROUP BY Status, Owner with COUNT',
      target: 500,
      text: () =>
        `select Status, Owner, COUNT(id) from Cases where id is not null group by Status, Owner limit 2000`,
    },
  ];
  const token = await mintLocalToken(
    { dataDir: d.dataDir, databaseUrl: d.url },
    { email: 'agent@example.com', role: 'viewer' },
  );
  const server = await spawnServer({ dataDir: d.dataDir, databaseUrl: d.url });
  const raw = await rawDriver(d);
  const runs: CoqlRun[] = [];
  const plans: { name: string; plan: string }[] = [];
  try {
    for (const q of queries) {
      const next = () => ({
        method: 'POST' as const,
        path: '/crm/v6/coql',
        body: JSON.stringify({ select_query: q.text() }),
      });
      await runLoad({ url: server.url, connections: 1, duration: 2, token, next });
      const http = await runLoad({ url: server.url, connections: 1, duration: options.seconds, token, next });
      const direct = await timeRaw(raw, () => statementOf(d.engine, q.text()), options.seconds);
      runs.push({
        name: q.name,
        query: q.text(),
        target: q.target,
        requests: http.ok,
        p50: http.p50,
        p95: http.p95,
        rawP50: direct.p50,
        rawP95: direct.p95,
        rows: direct.rows,
      });
      plans.push({ name: q.name, plan: await raw.explain(statementOf(d.engine, q.text())) });
      options.log(
        `  ${d.engine} ${q.name}: HTTP p95 ${http.p95.toFixed(1)} ms (${http.ok} requests, ${http.non2xx} non-2xx), driver p95 ${direct.p95.toFixed(1)} ms`,
      );
    }
  } finally {
    await raw.close();
    await server.stop();
  }
  return { engine: d.engine, cases, loadSeconds, runs, plans };
}

/** The section as run.ts calls it: a fresh database per engine, seeded, measured and dropped. */
export async function coqlSection(
  engines: Engine[],
  options: { scale: number; pgScale: number; seconds: number; log: (s: string) => void },
): Promise<CoqlResult[]> {
  const results: CoqlResult[] = [];
  for (const engine of engines) {
    const cases = Math.round(1_000_000 * (engine === 'sqlite' ? options.scale : options.pgScale));
    options.log(`COQL: seeding ${cases.toLocaleString('en-US')} cases into ${engine}`);
    const d = await freshDatabase(engine, 'coql');
    try {
      results.push(await coqlBench(d, cases, { seconds: options.seconds, log: options.log }));
    } finally {
      await d.drop();
    }
  }
  return results;
}

export function coqlTable(results: CoqlResult[]): { text: string; markdown: string } {
  return table(
    'COQL: POST /crm/v6/coql, one client over HTTP, vs the same SQL straight through the driver',
    ['engine', 'cases', 'query', 'rows', 'p50 ms', 'p95 ms', 'driver p95 ms', 'ratio', 'target'],
    results.flatMap((r) =>
      r.runs.map((run) => [
        r.engine,
        fmt.int(r.cases),
        run.name,
        run.rows,
        fmt.ms(run.p50),
        fmt.ms(run.p95),
        fmt.ms(run.rawP95),
        fmt.ratio(run.p95 / run.rawP95),
        `p95 ≤ ${run.target} ms ${run.p95 <= run.target ? 'met' : 'MISSED'}`,
      ]),
    ),
  );
}

export function coqlPlans(results: CoqlResult[]): string {
  return results
    .flatMap((r) => r.plans.map((p) => `-- ${r.engine}: ${p.name}\n${p.plan.replace(/^/gm, '   ')}`))
    .join('\n');
}
