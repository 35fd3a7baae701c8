/**
 * Reports and queues at scale: every GET /crm/v6/reports/<name> as an admin (the widest scope: every case), the My
 * cases queue (GET /crm/v6/Cases/actions/queue) as an agent who owns a twentieth of the cases, and the built-in
 * views' queues as the admin — over real HTTP, one client, against N cases with 2N emails, their timeline and the
 * reports' rollup. N: BENCH_CASES (a comma list, e.g. 100000,1000000, each seeded fresh), else 1,000,000 ×
 * BENCH_SCALE (BENCH_PG_SCALE on PostgreSQL). Target: p95 ≤ 200 ms per call per engine. Timed reports run on their
 * default range, the last 30 days, and created vs closed, first response and resolution also over 11 months (by
 * week and by owner, and by week for one origin) and for one owner.
 */
import { mintLocalToken } from '../src/server/auth/local-issuer';
import { openStorage } from '../src/server/db/database';
import { rebuildOpenCaseCounts } from '../src/server/reports/open-case-counts.repository';
import { REPORT_NAMES } from '../src/shared/report-types';
import { BUILT_IN_VIEW_IDS } from '../src/shared/view-types';
import { seedPostgresAtScale, seedSqliteAtScale } from './lib/cases-at-scale';
import { freshDatabase, type Engine } from './lib/db';
import { runLoad } from './lib/load';
import { spawnServer } from './lib/proc';
import { fmt, table } from './lib/stats';

export interface ReportRun {
  path: string;
  as: As;
  requests: number;
  non2xx: number;
  p50: number;
  p95: number;
}

export interface ReportsResult {
  engine: Engine;
  cases: number;
  seedSeconds: number;
  runs: ReportRun[];
}

const TARGET_MS = 200;

type As = 'admin' | 'agent';
const ELEVEN_MONTHS = new Date(Date.now() - 335 * 86_400_000).toISOString().slice(0, 10);
const PATHS: { path: string; as: As }[] = [
  ...REPORT_NAMES.map((name) => ({ path: `/crm/v6/reports/${name}`, as: 'admin' as As })),
  { path: `/crm/v6/reports/created_vs_closed?interval=week&from=${ELEVEN_MONTHS}`, as: 'admin' },
  { path: `/crm/v6/reports/first_response?by=week&from=${ELEVEN_MONTHS}`, as: 'admin' },
  { path: `/crm/v6/reports/resolution?by=week&from=${ELEVEN_MONTHS}`, as: 'admin' },
  { path: `/crm/v6/reports/first_response?from=${ELEVEN_MONTHS}`, as: 'admin' },
  { path: `/crm/v6/reports/resolution?from=${ELEVEN_MONTHS}`, as: 'admin' },
  { path: `/crm/v6/reports/first_response?by=week&from=${ELEVEN_MONTHS}&origin=Email`, as: 'admin' },
  { path: '/crm/v6/reports/first_response?by=week&owner=3', as: 'admin' },
  { path: '/crm/v6/reports/resolution', as: 'agent' },
  { path: `/crm/v6/Cases/actions/queue?cvid=${BUILT_IN_VIEW_IDS.my_open}`, as: 'agent' },
  ...(['unassigned', 'escalated', 'waiting', 'recently_closed', 'all_open'] as const).map((view) => ({
    path: `/crm/v6/Cases/actions/queue?cvid=${BUILT_IN_VIEW_IDS[view]}`,
    as: 'admin' as As,
  })),
];

/** The sizes to seed per engine. */
function sizesFor(engine: Engine, scale: number, pgScale: number): number[] {
  const listed = (process.env.BENCH_CASES ?? '')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  return listed.length ? listed : [Math.round(1_000_000 * (engine === 'sqlite' ? scale : pgScale))];
}

async function oneSize(
  engine: Engine,
  cases: number,
  options: { seconds: number; log: (s: string) => void },
): Promise<ReportsResult> {
  options.log(
    `reports: seeding ${cases.toLocaleString('en-US')} cases, ${(2 * cases).toLocaleString('en-US')} emails into ${engine}`,
  );
  const d = await freshDatabase(engine, 'reports');
  try {
    const t0 = performance.now();
    if (engine === 'sqlite') seedSqliteAtScale(d.file as string, cases, options.log);
    else await seedPostgresAtScale(d.url as string, cases, options.log);
    // The seed's inserts appended one counter row per open case; the server would fold them within
    // OPEN_COUNT_FOLD_SECONDS of starting, the bench does it before timing anything.
    const storage = await openStorage({ dataDir: d.dataDir, databaseUrl: d.url });
    await storage.write((trx) => rebuildOpenCaseCounts(trx));
    await storage.close();
    const seedSeconds = (performance.now() - t0) / 1000;
    options.log(`  ${engine}: seeded in ${seedSeconds.toFixed(1)} s`);
    const store = { dataDir: d.dataDir, databaseUrl: d.url };
    const tokens: Record<As, string> = {
      admin: await mintLocalToken(store, { email: 'admin@casepane.example', role: 'admin' }),
      // User 1 (see cases-at-scale.ts): owns a twentieth of the cases.
      agent: await mintLocalToken(store, { email: 'agent1@casepane.example', role: 'agent' }),
    };
    const server = await spawnServer(store);
    const runs: ReportRun[] = [];
    try {
      for (const { path, as } of PATHS) {
        const next = () => ({ method: 'GET' as const, path });
        const token = tokens[as];
        await runLoad({ url: server.url, connections: 1, duration: 1, token, next });
        const r = await runLoad({ url: server.url, connections: 1, duration: options.seconds, token, next });
        runs.push({ path, as, requests: r.ok, non2xx: r.non2xx, p50: r.p50, p95: r.p95 });
        options.log(
          `  ${engine} ${as} ${path}: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms (${r.ok} ok, ${r.non2xx} non-2xx)`,
        );
      }
    } finally {
      await server.stop();
    }
    return { engine, cases, seedSeconds, runs };
  } finally {
    await d.drop();
  }
}

export async function reportsSection(
  engines: Engine[],
  options: { scale: number; pgScale: number; seconds: number; log: (s: string) => void },
): Promise<ReportsResult[]> {
  const results: ReportsResult[] = [];
  for (const engine of engines)
    for (const cases of sizesFor(engine, options.scale, options.pgScale))
      results.push(await oneSize(engine, cases, options));
  return results;
}

export function reportsTable(results: ReportsResult[]): { text: string; markdown: string } {
  return table(
    'Reports and queues: GET /crm/v6/reports/<name> and /crm/v6/Cases/actions/queue, one client over HTTP',
    ['engine', 'cases', 'call', 'as', 'requests', 'p50 ms', 'p95 ms', 'target'],
    results.flatMap((r) =>
      r.runs.map((run) => [
        r.engine,
        fmt.int(r.cases),
        run.path.replace('/crm/v6/reports/', '').replace('/crm/v6/Cases/actions/', ''),
        run.as,
        run.non2xx ? `${run.requests} (${run.non2xx} non-2xx)` : run.requests,
        fmt.ms(run.p50),
        fmt.ms(run.p95),
        `p95 ≤ ${TARGET_MS} ms ${run.p95 <= TARGET_MS && !run.non2xx ? 'met' : 'MISSED'}`,
      ]),
    ),
  );
}
