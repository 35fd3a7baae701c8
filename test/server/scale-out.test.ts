import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mintLocalToken } from '../../src/server/auth/local-issuer';
import { POSTGRES_URL, createPostgresDatabase } from './harness';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${url} did not become healthy`);
}

(POSTGRES_URL ? describe : describe.skip)('two server processes on one PostgreSQL database', () => {
  jest.setTimeout(120_000);
  const children: ChildProcess[] = [];
  let drop: () => Promise<void> = async () => undefined;
  afterAll(async () => {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(
      children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
    );
    await drop();
  });

  it('create 1,000 cases with 1,000 distinct, increasing numbers, and convert each message once', async () => {
    const db = await createPostgresDatabase();
    drop = db.drop;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casepane-scale-'));
    const urls: string[] = [];
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
        env: {
          ...process.env,
          PORT: String(port),
          DATA_DIR: dataDir,
          DATABASE_URL: db.url,
          LOG_LEVEL: 'warn',
          RATE_LIMIT_PER_MINUTE: '1000000',
        },
        stdio: 'ignore',
      });
      children.push(child);
      urls.push(`http://127.0.0.1:${port}`);
    }
    await Promise.all(urls.map((u, i) => waitForHealth(u, children[i])));
    const token = await mintLocalToken(
      { dataDir, databaseUrl: db.url },
      { email: 'agent@example.com', role: 'agent' },
    );
    const post = (url: string, route: string, body: unknown) =>
      fetch(`${url}${route}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: await r.json() }));

    const numbers: string[] = [];
    for (let batch = 0; batch < 20; batch++) {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          post(urls[i % 2], '/crm/v6/Cases', {
            data: [{ Subject: `scale ${batch}-${i}`, Case_Origin: 'Phone' }],
          }),
        ),
      );
      for (const r of results) {
        expect(r.status).toBe(201);
        numbers.push(r.body.data[0].details.Case_Number);
      }
    }
    expect(numbers).toHaveLength(1000);
    expect(new Set(numbers).size).toBe(1000);

    // The same message converted through both processes at once: one case.
    const message = { internet_message_id: '<both@x>', from: { email: 'a@example.com' } };
    const storm = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        post(urls[i % 2], '/crm/v6/Cases/actions/from_email', {
          data: [{ case: { Subject: 'both', Case_Origin: 'Email', Email: 'a@example.com' }, message }],
        }),
      ),
    );
    expect(new Set(storm.map((r) => r.body.data[0].details.id)).size).toBe(1);
  });
});
