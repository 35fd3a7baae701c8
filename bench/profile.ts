/**
 * `npm run bench:profile`: the server under 64-client from_email load with `node --cpu-prof`, then the top
 * functions by self time and by package — what limits create throughput.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mintLocalToken } from '../src/server/auth/local-issuer';
import { fromEmailBody, senders } from './lib/data';
import { freshDatabase, PG_URL, type Engine } from './lib/db';
import { runLoad } from './lib/load';
import { spawnServer } from './lib/proc';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export function summarize(
  profile: Profile,
  top = 25,
): { functions: [string, number][]; areas: [string, number][] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, number>();
  const area = new Map<string, number>();
  for (const [id, t] of self) {
    const n = byId.get(id) as ProfileNode;
    const url = n.callFrame.url;
    const name =
      `${n.callFrame.functionName || '(anonymous)'} ${url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/src\//, 'src/')}:${n.callFrame.lineNumber + 1}` : ''}`.trim();
    fn.set(name, (fn.get(name) ?? 0) + t);
    const a = !url
      ? n.callFrame.functionName.startsWith('(')
        ? n.callFrame.functionName
        : '(native)'
      : url.includes('node_modules/')
        ? url.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1')
        : url.startsWith('node:')
          ? 'node core'
          : url.includes('/src/')
            ? 'casepane src'
            : url;
    area.set(a, (area.get(a) ?? 0) + t);
  }
  const pct = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => [k, (100 * v) / total] as [string, number]);
  return { functions: pct(fn), areas: pct(area) };
}

async function main() {
  const engine = (process.env.BENCH_ENGINE as Engine) || 'sqlite';
  if (engine === 'postgres' && !PG_URL) throw new Error('set BENCH_DATABASE_URL or TEST_DATABASE_URL');
  const d = await freshDatabase(engine, 'prof');
  const profDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casepane-prof-'));
  const token = await mintLocalToken(
    { dataDir: d.dataDir, databaseUrl: d.url },
    { email: 'agent@example.com', role: 'agent' },
  );
  const server = await spawnServer({
    dataDir: d.dataDir,
    databaseUrl: d.url,
    nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profDir}`],
  });
  const pool = senders(5000);
  let n = 0;
  const r = await runLoad({
    url: server.url,
    connections: 64,
    duration: Number(process.env.BENCH_SECONDS || 8),
    token,
    next: () => ({
      method: 'POST',
      path: '/crm/v6/Cases/actions/from_email',
      body: fromEmailBody('prof', n++, pool),
    }),
  });
  await server.stop();
  console.log(
    `${engine}, 64 clients: ${r.rate.toFixed(0)} cases/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms (under the profiler)`,
  );
  const file = fs.readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no profile written');
  const s = summarize(JSON.parse(fs.readFileSync(path.join(profDir, file), 'utf8')) as Profile);
  console.log('\nself time by area');
  for (const [k, v] of s.areas) console.log(`${v.toFixed(1).padStart(6)}%  ${k}`);
  console.log('\nself time by function');
  for (const [k, v] of s.functions) console.log(`${v.toFixed(1).padStart(6)}%  ${k}`);
  console.log(`\nprofile: ${path.join(profDir, file)}`);
  await d.drop();
}

if (require.main === module)
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
