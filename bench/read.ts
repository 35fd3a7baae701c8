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
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { mintLocalToken } from '../src/server/auth/local-issuer';
import { searchCondition } from '../src/server/cases/case.query';
import { caseWhere } from '../src/server/cases/case.repository';
import type { Database } from '../src/server/db/schema';
import { caseFields } from '../src/shared/case-fields';
import { caseWithLinks, conversationIdOf, messageIdOf, rng } from './lib/data';
import type { BenchDatabase, Engine } from './lib/db';
import { dialectFor } from '../src/server/db/dialect';
import { runLoad, type LoadResult } from './lib/load';
import { BENCH_USERS, senderPool } from './lib/load-data';
import { rssOf, sampleRss, spawnServer } from './lib/proc';

export interface ReadRun extends LoadResult {
  name: string;
  route: string;
}

export interface ReadResult {
  engine: Engine;
  cases: number;
  statusLookup: ReadRun[];
  search: ReadRun[];
  plans: { name: string; sql: string; plan: string }[];
  rssStartBytes: number;
  rssMaxBytes: number;
  rssAfterBytes: number;
}

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

/** The SQL the search route runs for a query string (the server's own searchCondition, the repository's list shape). */
function searchSql(engine: Engine, query: Record<string, string>): CompiledQuery {
  const where = caseWhere(dialectFor(engine), searchCondition(query, caseFields()));
  return compilerFor(engine)
    .selectFrom('cases')
    .selectAll()
    .where(where)
    .orderBy('modified_time', 'desc')
    .orderBy('id', 'desc')
    .limit(201)
    .offset(0)
    .compile();
}

function lookupSql(
  engine: Engine,
  column: 'internet_message_id' | 'conversation_id',
  value: string,
): CompiledQuery {
  const q = compilerFor(engine).selectFrom('email_links').select('case_id').where(column, '=', value);
  return (column === 'conversation_id' ? q.distinct() : q).limit(50).compile();
}

async function explain(d: BenchDatabase, queries: { name: string; q: CompiledQuery }[]) {
  const out: { name: string; sql: string; plan: string }[] = [];
  if (d.engine === 'sqlite') {
    const db = new SQLite(d.file as string, { readonly: true });
    for (const { name, q } of queries) {
      const rows = db.prepare(`explain query plan ${q.sql}`).all(...(q.parameters as unknown[])) as {
        detail: string;
      }[];
      out.push({ name, sql: q.sql, plan: rows.map((r) => r.detail).join('\n') });
    }
    db.close();
  } else {
    const c = new pg.Client({ connectionString: d.url });
    await c.connect();
    for (const { name, q } of queries) {
      const { rows } = await c.query(
        `explain (analyze, costs off, timing off, summary off) ${q.sql}`,
        q.parameters as unknown[],
      );
      out.push({
        name,
        sql: q.sql,
        plan: rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n'),
      });
    }
    await c.end();
  }
  return out;
}

/** Status lookups and link-to-case searches against a loaded database, one client (latency) and 16 (throughput). */
export async function readBench(
  d: BenchDatabase,
  cases: number,
  options: { seconds: number; log: (s: string) => void },
): Promise<ReadResult> {
  const token = await mintLocalToken(
    { dataDir: d.dataDir, databaseUrl: d.url },
    { email: 'agent@example.com', role: 'agent' },
  );
  const server = await spawnServer({ dataDir: d.dataDir, databaseUrl: d.url });
  const rssStart = rssOf(server.pid) ?? NaN;
  const rss = sampleRss(server.pid);
  const r = rng(99);
  const anyCase = () => 1 + Math.floor(r() * cases);
  const pool = senderPool(cases);
  const userIds = Array.from({ length: BENCH_USERS }, (_, i) => i + 1);
  const status = (linked: boolean) => () => {
    const id = anyCase();
    const mid = linked ? messageIdOf(id, 0) : `unlinked.${id}.${Math.floor(r() * 1e9)}@mail.example.com`;
    const conv = linked ? conversationIdOf(id) : `AAQkADnew${Math.floor(r() * 1e12).toString(36)}`;
    return {
      method: 'GET' as const,
      path: `/crm/v6/Emails/cases?internet_message_id=${encodeURIComponent(`<${mid}>`)}&conversation_id=${encodeURIComponent(conv)}`,
    };
  };
  const words = ['printer', 'drukarka', '打印机', 'invoice', 'faktura', 'VPN', '发票', 'refund'];
  const searches: { name: string; query: () => Record<string, string> }[] = [
    {
      name: 'by number (criteria Case_Number:equals)',
      query: () => ({ criteria: `(Case_Number:equals:${anyCase()})` }),
    },
    {
      name: 'by number typed as a word (word=#n)',
      query: () => ({ word: `#${String(anyCase()).padStart(8, '0')}` }),
    },
    {
      name: 'by subject word, rare (order ref)',
      query: () => ({ word: String(100000 + (anyCase() % 900000)) }),
    },
    {
      name: 'by subject word, common (~1 in 15 cases)',
      query: () => ({ word: words[Math.floor(r() * words.length)] }),
    },
    {
      name: 'by email (email=)',
      query: () => ({ email: caseWithLinks(anyCase(), pool, userIds).row.email }),
    },
    {
      name: "sender's open cases (pane on open)",
      query: () => ({
        criteria: `((Email:equals:${caseWithLinks(anyCase(), pool, userIds).row.email})and(Status:not_equal:Closed))`,
      }),
    },
  ];
  const statusLookup: ReadRun[] = [];
  const search: ReadRun[] = [];
  const run = async (
    name: string,
    route: string,
    next: () => { method: 'GET'; path: string },
    connections: number,
    seconds: number,
  ) => {
    const res = await runLoad({ url: server.url, connections, duration: seconds, token, next });
    options.log(
      `  ${d.engine} ${name}, ${connections} client(s): p50 ${res.p50.toFixed(2)} ms, p95 ${res.p95.toFixed(2)} ms, p99 ${res.p99.toFixed(2)} ms, ${res.rate.toFixed(0)}/s`,
    );
    return { name, route, ...res };
  };
  try {
    await runLoad({ url: server.url, connections: 4, duration: 2, token, next: status(true) });
    for (const linked of [true, false])
      for (const c of [1, 16])
        statusLookup.push(
          await run(
            linked ? 'status, linked message' : 'status, unlinked message',
            'GET /crm/v6/Emails/cases',
            status(linked),
            c,
            options.seconds,
          ),
        );
    for (const s of searches)
      search.push(
        await run(
          s.name,
          'GET /crm/v6/Cases/search',
          () => ({
            method: 'GET',
            path: `/crm/v6/Cases/search?${new URLSearchParams(s.query()).toString()}`,
          }),
          1,
          options.seconds,
        ),
      );
  } finally {
    await server.stop();
  }
  const mem = rss.stop();
  const plans = await explain(d, [
    {
      name: 'status: by internet_message_id',
      q: lookupSql(d.engine, 'internet_message_id', messageIdOf(5, 0)),
    },
    { name: 'status: by conversation_id', q: lookupSql(d.engine, 'conversation_id', conversationIdOf(5)) },
    ...searches.map((s) => ({ name: `search ${s.name}`, q: searchSql(d.engine, s.query()) })),
  ]);
  return {
    engine: d.engine,
    cases,
    statusLookup,
    search,
    plans,
    rssStartBytes: rssStart,
    rssMaxBytes: mem.maxBytes,
    rssAfterBytes: mem.lastBytes,
  };
}
