/**
 * Reports at scale: every GET /crm/v6/reports/<name> over real HTTP, one client, against 1,000,000 cases with
 * 2,000,000 emails and their timeline (BENCH_SCALE), as an admin (the widest scope: every case). Target: p95 ≤ 200 ms
 * per report per engine. Timed reports run on their default range, the last 30 days.
 */
import { mintLocalToken } from '../src/server/auth/local-issuer';
import { REPORT_NAMES } from '../src/shared/report-types';
import { seedPostgresAtScale, seedSqliteAtScale } from './lib/cases-at-scale';
import { freshDatabase, type Engine } from './lib/db';
import { runLoad } from './lib/load';
import { spawnServer } from './lib/proc';
import { fmt, table } from './lib/stats';

export interface ReportRun {
  path: string;
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

const PATHS = [
  ...REPORT_NAMES.map((name) => `/crm/v6/reports/${name}`),
  '/crm/v6/reports/created_vs_closed?interval=week&from=2026-01-01',
  '/crm/v6/reports/first_response?by=week&owner=3',
];

export async function reportsSection(
  engines: Engine[],
  options: { scale: number; pgScale: number; seconds: number; log: (s: string) => void },
): Promise<ReportsResult[]> {
  const results: ReportsResult[] = [];
  for (const engine of engines) {
    const cases = Math.round(1_000_000 * (engine === 'sqlite' ? options.scale : options.pgScale));
    options.log(
      `reports: seeding ${cases.toLocaleString('en-US')} cases, ${(2 * cases).toLocaleString('en-US')} emails into ${engine}`,
    );
    const d = await freshDatabase(engine, 'reports');
    try {
      const t0 = performance.now();
      if (engine === 'sqlite') seedSqliteAtScale(d.file as string, cases, options.log);
      else await seedPostgresAtScale(d.url as string, cases, options.log);
      const seedSeconds = (performance.now() - t0) / 1000;
      options.log(`  ${engine}: seeded in ${seedSeconds.toFixed(1)} s`);
      const token = await mintLocalToken(
        { dataDir: d.dataDir, databaseUrl: d.url },
        { email: 'bench-admin@casepane.example', role: 'admin' },
      );
      const server = await spawnServer({ dataDir: d.dataDir, databaseUrl: d.url });
      const runs: ReportRun[] = [];
      try {
        for (const path of PATHS) {
          const next = () => ({ method: 'GET' as const, path });
          await runLoad({ url: server.url, connections: 1, duration: 1, token, next });
          const r = await runLoad({
            url: server.url,
            connections: 1,
            duration: options.seconds,
            token,
            next,
          });
          runs.push({ path, requests: r.ok, non2xx: r.non2xx, p50: r.p50, p95: r.p95 });
          options.log(
            `  ${engine} ${path}: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms (${r.ok} ok, ${r.non2xx} non-2xx)`,
          );
        }
      } finally {
        await server.stop();
      }
      results.push({ engine, cases, seedSeconds, runs });
    } finally {
      await d.drop();
    }
  }
  return results;
}

export function reportsTable(results: ReportsResult[]): { text: string; markdown: string } {
  return table(
    'Reports: GET /crm/v6/reports/<name> as an admin (every case), one client over HTTP',
    ['engine', 'cases', 'report', 'requests', 'p50 ms', 'p95 ms', 'target'],
    results.flatMap((r) =>
      r.runs.map((run) => [
        r.engine,
        fmt.int(r.cases),
        run.path.replace('/crm/v6/reports/', ''),
        run.non2xx ? `${run.requests} (${run.non2xx} non-2xx)` : run.requests,
        fmt.ms(run.p50),
        fmt.ms(run.p95),
        `p95 ≤ ${TARGET_MS} ms ${run.p95 <= TARGET_MS && !run.non2xx ? 'met' : 'MISSED'}`,
      ]),
    ),
  );
}
