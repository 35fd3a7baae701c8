/**
 * Issue 15, item 3: rate limits in a store all nodes share. Two real server processes on one PostgreSQL database
 * with REDIS_URL pointing at one real Redis: a user gets the limit once in total, not once per node, and refusals
 * seen by one node hold the address back on the other. Without REDIS_URL each node counts alone (sign-in.test.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnServer, type ServerProcess } from '../../bench/lib/proc';
import { POSTGRES_URL, createPostgresDatabase } from './harness';
import { REDIS_SERVER, startRedis } from './redis';

const PANE = 'https://localhost:3000';
const LIMIT = 40;
const FAILURES = 6;

async function paneToken(node: ServerProcess, email: string): Promise<string> {
  const r = await fetch(`${node.url}/auth/local/token`, {
    method: 'POST',
    headers: { origin: PANE, 'content-type': 'application/json' },
    body: JSON.stringify({ email, name: email }),
  });
  expect(r.status).toBe(200);
  return ((await r.json()) as { access_token: string }).access_token;
}

const me = (node: ServerProcess, token: string, headers: Record<string, string> = {}) =>
  fetch(`${node.url}/crm/v6/users?type=CurrentUser`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
  });

// In CI both are installed (npm test installs them as root); skipping there would hide a missing feature.
const runnable = !!POSTGRES_URL && (!!REDIS_SERVER || process.env.CI === 'true');
(runnable ? describe : describe.skip)('two nodes on one PostgreSQL sharing REDIS_URL', () => {
  jest.setTimeout(120_000);
  let db: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let a: ServerProcess;
  let b: ServerProcess;
  const dirs: string[] = [];
  const node = (i: number) => (i % 2 === 0 ? a : b);

  beforeAll(async () => {
    db = await createPostgresDatabase();
    redis = await startRedis();
    const env = {
      REDIS_URL: redis.url,
      RATE_LIMIT_PER_MINUTE: String(LIMIT),
      AUTH_FAILURES_PER_MINUTE: String(FAILURES),
      // The refusal test speaks for other addresses through X-Forwarded-For, so loopback itself is never held back.
      TRUSTED_PROXIES: '127.0.0.1',
    };
    for (let i = 0; i < 2; i++) dirs.push(fs.mkdtempSync(path.join(os.tmpdir(), 'casepane-limits-')));
    a = await spawnServer({ dataDir: dirs[0], databaseUrl: db.url, env });
    b = await spawnServer({ dataDir: dirs[1], databaseUrl: db.url, env });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await redis?.kill();
    await db?.drop();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('limits one user to RATE_LIMIT_PER_MINUTE in total across the nodes, not per node', async () => {
    const token = await paneToken(a, 'busy.agent@example.pl');
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 20; i++) statuses.push((await me(node(i), token)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
    expect(statuses.slice(LIMIT)).toEqual(Array(20).fill(429));
    // Another user still has the whole allowance, on either node.
    const other = await paneToken(b, 'calm.agent@example.pl');
    expect((await me(a, other)).status).toBe(200);
    expect((await me(b, other)).status).toBe(200);
    expect((await redis.client.keys('casepane:limit:crm:*')).length).toBeGreaterThanOrEqual(2);
  });

  it('holds an address back on every node once the nodes together refused it AUTH_FAILURES_PER_MINUTE times', async () => {
    const visitor = { 'x-forwarded-for': '203.0.113.7' };
    for (let i = 0; i < FAILURES; i++) expect((await me(node(i), `forged.${i}`, visitor)).status).toBe(401);
    const good = await paneToken(a, 'visitor.agent@example.pl');
    for (const n of [a, b]) {
      const held = await me(n, good, visitor);
      expect(held.status).toBe(429);
      expect(await held.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    }
    // The same user from another address is not held back.
    expect((await me(b, good, { 'x-forwarded-for': '203.0.113.8' })).status).toBe(200);
  });

  it('keeps serving, without limits, while Redis is down; and a node does not start without its limit store', async () => {
    const token = await paneToken(a, 'outage.agent@example.pl');
    const unreachable = redis.url;
    await redis.kill();
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 5; i++) statuses.push((await me(node(i), token)).status);
    expect(statuses).toEqual(Array(LIMIT + 5).fill(200));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casepane-limits-'));
    dirs.push(dir);
    await expect(
      spawnServer({ dataDir: dir, databaseUrl: db.url, env: { REDIS_URL: unreachable } }),
    ).rejects.toThrow(/REDIS_URL: cannot reach the limit store/);
  });
});
