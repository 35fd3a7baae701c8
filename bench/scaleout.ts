import { mintLocalToken } from '../src/server/auth/local-issuer';
import { fromEmailBody, messageIdOf, conversationIdOf, rng, senders } from './lib/data';
import type { BenchDatabase } from './lib/db';
import { runLoad, type LoadResult } from './lib/load';
import { spawnServer, type ServerProcess } from './lib/proc';

export interface ScaleOutRun {
  workload: string;
  processes: number;
  connections: number;
  rate: number;
  p50: number;
  p99: number;
}

/** Several autocannon runs at once, one per server process, connections split between them; rates add up. */
async function together(
  servers: ServerProcess[],
  connections: number,
  seconds: number,
  token: string,
  next: () => { method: 'GET' | 'POST'; path: string; body?: string },
): Promise<LoadResult[]> {
  return Promise.all(
    servers.map((s, index) =>
      runLoad({
        url: s.url,
        // 64 over 3 is 22 + 21 + 21: the total stays the number of clients the table names.
        connections:
          Math.floor(connections / servers.length) + (index < connections % servers.length ? 1 : 0),
        duration: seconds,
        token,
        next,
      }),
    ),
  );
}

/** 1, 2 and 3 server processes on one PostgreSQL database: from_email creates and status lookups at 64 clients. */
export async function scaleOut(
  d: BenchDatabase,
  cases: number,
  options: { seconds: number; log: (s: string) => void },
): Promise<ScaleOutRun[]> {
  const token = await mintLocalToken(
    { dataDir: d.dataDir, databaseUrl: d.url },
    { email: 'agent@example.com', role: 'agent' },
  );
  const pool = senders(5000);
  const r = rng(5);
  let n = 0;
  const tag = `so${Date.now().toString(36)}`;
  const create = () => ({
    method: 'POST' as const,
    path: '/crm/v6/Cases/actions/from_email',
    body: fromEmailBody(tag, n++, pool),
  });
  const lookup = () => {
    const id = 1 + Math.floor(r() * cases);
    return {
      method: 'GET' as const,
      path: `/crm/v6/Emails/cases?internet_message_id=${encodeURIComponent(`<${messageIdOf(id, 0)}>`)}&conversation_id=${encodeURIComponent(conversationIdOf(id))}`,
    };
  };
  const runs: ScaleOutRun[] = [];
  for (const processes of [1, 2, 3]) {
    const servers: ServerProcess[] = [];
    try {
      for (let i = 0; i < processes; i++)
        servers.push(await spawnServer({ dataDir: d.dataDir, databaseUrl: d.url }));
      await together(servers, 8, 2, token, lookup);
      for (const [workload, next] of [
        ['from_email create', create],
        ['status lookup', lookup],
      ] as const) {
        const results = await together(servers, 64, options.seconds, token, next);
        const rate = results.reduce((a, x) => a + x.rate, 0);
        const run = {
          workload,
          processes,
          connections: 64,
          rate,
          p50: Math.max(...results.map((x) => x.p50)),
          p99: Math.max(...results.map((x) => x.p99)),
        };
        options.log(
          `  postgres ${workload}, ${processes} process(es), 64 clients: ${rate.toFixed(0)}/s, p99 ${run.p99.toFixed(1)} ms`,
        );
        runs.push(run);
      }
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  }
  return runs;
}
