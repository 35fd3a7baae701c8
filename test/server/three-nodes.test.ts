/**
 * Issue 15, "done when": three API nodes on one PostgreSQL database behind a round-robin proxy, as a team runs
 * them — each node its own process and DATA_DIR, sharing the database, an S3-protocol blob store (s3rver) and a
 * Redis limit store, all real and on loopback. Every request below goes through the proxy unless it names a node,
 * so consecutive requests land on different nodes (the proxy's `x-served-by` shows which).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnServer, sleep, type ServerProcess } from '../../bench/lib/proc';
import { cliToken } from './cli-token';
import { POSTGRES_URL, createPostgresDatabase } from './harness';
import { REDIS_SERVER, startRedis } from './redis';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy';
import { startS3 } from './s3';
import { caseWithUpload } from './uploads';

const PANE = 'https://localhost:3000';

interface Cluster {
  nodes: ServerProcess[];
  proxy: RoundRobinProxy;
  dirs: string[];
  dbUrl: string;
  stop(): Promise<void>;
}

/** Three nodes sharing one new database, one s3rver bucket and one Redis, and the proxy in front of them. */
async function startCluster(env: Record<string, string>): Promise<Cluster> {
  const db = await createPostgresDatabase();
  const redis = await startRedis();
  const s3 = await startS3();
  const shared = {
    REDIS_URL: redis.url,
    TRUSTED_PROXIES: '127.0.0.1',
    BLOB_STORE: 's3',
    S3_BUCKET: s3.settings.bucket,
    S3_ENDPOINT: s3.settings.endpoint ?? '',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    ...env,
  };
  const dirs = [0, 1, 2].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'casepane-three-')));
  // Started together on an empty database, as a deployment rolls out: all three migrate at the same moment.
  const nodes = await Promise.all(
    dirs.map((dataDir) => spawnServer({ dataDir, databaseUrl: db.url, env: shared })),
  );
  const proxy = await startRoundRobinProxy(nodes.map((n) => n.url));
  return {
    nodes,
    proxy,
    dirs,
    dbUrl: db.url,
    async stop() {
      await proxy.close();
      await Promise.all(nodes.map((n) => n.stop()));
      await redis.kill();
      await s3.close();
      await db.drop();
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `npm run token` as an operator runs it on the first node's machine. */
const mint = (cluster: Cluster, email: string, role: string) =>
  cliToken({ DATA_DIR: cluster.dirs[0], DATABASE_URL: cluster.dbUrl }, email, role);

async function call(origin: string, token: string, method: string, url: string, json?: unknown) {
  const r = await fetch(`${origin}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(json ? { 'content-type': 'application/json' } : {}) },
    body: json ? JSON.stringify(json) : undefined,
  });
  const text = await r.text();
  let body: any;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: r.status, servedBy: r.headers.get('x-served-by'), body };
}

// In CI every part is installed (npm test installs them as root); skipping there would hide a missing feature.
const runnable = !!POSTGRES_URL && (!!REDIS_SERVER || process.env.CI === 'true');
const onCluster = runnable ? describe : describe.skip;

onCluster('three nodes behind a round-robin proxy', () => {
  jest.setTimeout(180_000);
  const LIMIT = 60;
  let cluster: Cluster;
  let admin: string;
  let agent: string;
  beforeAll(async () => {
    cluster = await startCluster({ RATE_LIMIT_PER_MINUTE: String(LIMIT) });
    admin = await mint(cluster, 'lead@example.pl', 'admin');
    agent = await mint(cluster, 'agent@example.pl', 'agent');
  });
  afterAll(async () => cluster?.stop());
  const via = () => cluster.proxy.url;

  it('accepts on every node the token of a pane sign-in on one node, and a CLI token', async () => {
    const signIn = (origin: string) =>
      fetch(`${origin}/auth/local/token`, {
        method: 'POST',
        headers: { origin: PANE, 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ola@example.pl', name: 'Ola Nowak' }),
      });
    // The local sign-in is for a pane on the same machine: through a proxy it would hand anyone a token.
    expect((await signIn(via())).status).toBe(403);
    const onNode = await signIn(cluster.nodes[2].url);
    expect(onNode.status).toBe(200);
    const pane = ((await onNode.json()) as { access_token: string }).access_token;
    for (const token of [pane, agent]) {
      const servers = new Set<string>();
      for (let i = 0; i < 3; i++) {
        const r = await call(via(), token, 'GET', '/crm/v6/users?type=CurrentUser');
        expect(r.status).toBe(200);
        servers.add(r.servedBy ?? '');
      }
      expect(servers.size).toBe(3);
    }
  });

  it('downloads on every node the bytes uploaded through one of them', async () => {
    const bytes = crypto.randomBytes(512 * 1024 + 7);
    const { caseId, upload } = await caseWithUpload(via(), agent, bytes, 'scan.pdf');
    expect(upload.status).toBe(201);
    const listed = await call(via(), agent, 'GET', `/crm/v6/Cases/${caseId}/Attachments`);
    const attachmentId = listed.body.data[0].id as string;
    const servers = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const download = await fetch(`${via()}/crm/v6/Cases/${caseId}/Attachments/${attachmentId}`, {
        headers: { authorization: `Bearer ${agent}` },
      });
      expect(download.status).toBe(200);
      servers.add(download.headers.get('x-served-by') ?? '');
      expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    }
    expect(servers.size).toBe(3);
  });

  it('enforces a custom field and a layout change made on one node on the others from the next request', async () => {
    const added = await call(via(), admin, 'POST', '/crm/v6/settings/fields?module=Cases', {
      fields: [{ api_name: 'Site_Code', label: 'Site code', type: 'text', length: 8 }],
    });
    expect(added.status).toBeLessThan(300);
    const accepted = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const created = await call(via(), agent, 'POST', '/crm/v6/Cases', {
        data: [{ Subject: `Site ${i}`, Case_Origin: 'Phone', Site_Code: `WAW-${i}` }],
      });
      expect(created.status).toBe(201);
      accepted.add(created.servedBy ?? '');
      const tooLong = await call(via(), agent, 'POST', '/crm/v6/Cases', {
        data: [{ Subject: `Site ${i}`, Case_Origin: 'Phone', Site_Code: 'WAW-123456' }],
      });
      expect([tooLong.status, tooLong.body.data[0].details.api_name]).toEqual([400, 'Site_Code']);
    }
    expect(accepted.size).toBe(3);

    const order = ['Subject', 'Status', 'Case_Origin', 'Email', 'Reported_By'];
    const layout = await call(via(), admin, 'PUT', '/crm/v6/settings/layout?module=Cases', {
      fields: order.map((api_name) => ({ api_name, read_only: api_name === 'Reported_By' })),
    });
    expect(layout.status).toBe(200);
    const refusedBy = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const refused = await call(via(), agent, 'POST', '/crm/v6/Cases', {
        data: [{ Subject: 'Read-only now', Case_Origin: 'Phone', Reported_By: 'Ola' }],
      });
      expect([refused.status, refused.body.data[0].details.api_name]).toEqual([400, 'Reported_By']);
      refusedBy.add(refused.servedBy ?? '');
    }
    expect(refusedBy.size).toBe(3);
  });

  // Last in this block: it uses up the user's allowance for the minute.
  it("limits one user's requests to the limit in total, however the proxy spreads them", async () => {
    const busy = await mint(cluster, 'busy.agent@example.pl', 'agent');
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 15; i++)
      statuses.push((await call(via(), busy, 'GET', '/crm/v6/users?type=CurrentUser')).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
    expect(statuses.slice(LIMIT)).toEqual(Array(15).fill(429));
    // Another user is untouched, on every node.
    for (const node of cluster.nodes)
      expect((await call(node.url, agent, 'GET', '/crm/v6/users?type=CurrentUser')).status).toBe(200);
  });
});

/** One customer email converted to a case, as the pane sends it; `n` makes the message unique. */
const conversion = (tag: string, n: number) => ({
  data: [
    {
      case: {
        Subject: `Zamówienie ${n} nie dotarło`,
        Case_Origin: 'Email',
        Email: `klient${n % 50}@example.pl`,
      },
      message: {
        internet_message_id: `<${tag}.${n}@mail.example.pl>`,
        conversation_id: `conv-${tag}-${n}`,
        from: { name: `Klient ${n}`, email: `klient${n % 50}@example.pl` },
        to: [{ name: 'Support', email: 'support@casepane.example' }],
        subject: `Zamówienie ${n} nie dotarło`,
        sent_time: '2026-11-20T09:15:00Z',
        body_text: 'Dzień dobry, paczka nie dotarła.',
      },
    },
  ],
});

onCluster('three nodes behind a round-robin proxy, one killed with kill -9 under 64 clients', () => {
  jest.setTimeout(240_000);
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster({ RATE_LIMIT_PER_MINUTE: '100000000' });
  });
  afterAll(async () => cluster?.stop());

  it('loses no acknowledged case, makes none twice, and the other nodes go on', async () => {
    const token = await mint(cluster, 'load.agent@example.pl', 'agent');
    const CLIENTS = 64;
    const EACH = 12;
    const tag = `k9${Date.now().toString(36)}`;
    const acknowledged = new Map<number, string>();
    const failuresSeen: number[] = [];
    let done = 0;
    const victim = cluster.nodes[1];
    const servedAfterKill = new Set<string>();
    let killed = false;

    /** One message until it is acknowledged: a 502 (the node died holding it) is retried — the conversion is idempotent. */
    const convert = async (n: number) => {
      for (let attempt = 0; attempt < 20; attempt++) {
        const r = await call(
          cluster.proxy.url,
          token,
          'POST',
          '/crm/v6/Cases/actions/from_email',
          conversion(tag, n),
        );
        if (r.status === 200 || r.status === 201) {
          acknowledged.set(n, String(r.body.data[0].details.id));
          if (killed) servedAfterKill.add(r.servedBy ?? '');
          return;
        }
        failuresSeen.push(r.status);
        await sleep(50);
      }
      throw new Error(`message ${n} was never acknowledged`);
    };
    const clients = Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; i < EACH; i++) {
        await convert(c * EACH + i);
        done++;
      }
    });
    // Kill the middle node once the load is well under way.
    while (done < (CLIENTS * EACH) / 4) await sleep(20);
    await victim.kill9();
    killed = true;
    await Promise.all(clients);

    expect(acknowledged.size).toBe(CLIENTS * EACH);
    // The kill caught requests in flight (about a third of 64 are on each node at any moment): those, and only
    // those, failed — as the balancer reports them — and their retries were acknowledged above.
    expect(failuresSeen.length).toBeGreaterThan(0);
    expect(cluster.proxy.servedBy.get(victim.url)).toBeGreaterThan(0);
    expect(failuresSeen.every((s) => s === 502)).toBe(true);
    expect(servedAfterKill.has(victim.url)).toBe(false);
    expect(servedAfterKill.size).toBe(2);

    // Every acknowledged case is there, once: one case per message, no message made two.
    const survivor = cluster.nodes[0].url;
    const count = await call(survivor, token, 'GET', '/crm/v6/Cases/actions/count');
    expect(count.status).toBe(200);
    expect(count.body.count).toBe(CLIENTS * EACH);
    expect(new Set(acknowledged.values()).size).toBe(CLIENTS * EACH);
    for (const n of [0, 1, CLIENTS * EACH - 1, Math.floor((CLIENTS * EACH) / 2)]) {
      const linked = await call(
        survivor,
        token,
        'GET',
        `/crm/v6/Emails/cases?internet_message_id=${encodeURIComponent(`<${tag}.${n}@mail.example.pl>`)}`,
      );
      expect(linked.status).toBe(200);
      expect(JSON.stringify(linked.body)).toContain(acknowledged.get(n));
    }
  });
});
