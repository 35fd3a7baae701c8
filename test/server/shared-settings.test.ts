/**
 * Issue 15, item 4: custom fields and the layout live in the database, so every node enforces the same fields, and
 * a change made on one node is enforced by the others from the next request (no refresh window). Real server
 * processes on one PostgreSQL database; node A has a fields file, node B has none.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnServer, type ServerProcess } from '../../bench/lib/proc';
import { cliToken } from './cli-token';
import { POSTGRES_URL, createPostgresDatabase } from './harness';

const FIELDS_FILE = {
  fields: [
    {
      api_name: 'Contract_Number',
      label: { en: 'Contract number', pl: 'Numer umowy' },
      type: 'text',
      length: 20,
    },
  ],
};

(POSTGRES_URL ? describe : describe.skip)('fields on two nodes sharing one PostgreSQL database', () => {
  jest.setTimeout(120_000);
  let db: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let a: ServerProcess;
  let b: ServerProcess;
  let admin: string;
  let agent: string;
  const dirs: string[] = [];

  /** `npm run token` against the shared database: one token for both nodes. */
  const mint = (email: string, role: string) =>
    cliToken({ DATA_DIR: dirs[0], DATABASE_URL: db.url }, email, role);

  const call = async (node: ServerProcess, token: string, method: string, url: string, json?: unknown) => {
    const r = await fetch(`${node.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(json ? { 'content-type': 'application/json' } : {}) },
      body: json ? JSON.stringify(json) : undefined,
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : undefined };
  };
  const create = (node: ServerProcess, record: Record<string, unknown>) =>
    call(node, agent, 'POST', '/crm/v6/Cases', {
      data: [{ Subject: 'Shared fields', Case_Origin: 'Phone', ...record }],
    });

  beforeAll(async () => {
    db = await createPostgresDatabase();
    for (let i = 0; i < 2; i++) dirs.push(fs.mkdtempSync(path.join(os.tmpdir(), 'casepane-fields-')));
    const file = path.join(dirs[0], 'custom-fields.json');
    fs.writeFileSync(file, JSON.stringify(FIELDS_FILE));
    a = await spawnServer({ dataDir: dirs[0], databaseUrl: db.url, env: { CASEPANE_FIELDS_FILE: file } });
    b = await spawnServer({ dataDir: dirs[1], databaseUrl: db.url });
    admin = await mint('lead@example.pl', 'admin');
    agent = await mint('agent@example.pl', 'agent');
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await db?.drop();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('has the fields file’s fields on the node without the file: accepted, read back and kept by a clone there', async () => {
    const created = await create(b, { Contract_Number: 'UM/2026/17' });
    expect(created.status).toBe(201);
    const id = created.body.data[0].details.id;
    expect((await call(a, agent, 'GET', `/crm/v6/Cases/${id}`)).body.data[0].Contract_Number).toBe(
      'UM/2026/17',
    );
    const clone = await call(b, agent, 'POST', `/crm/v6/Cases/${id}/actions/clone`, { data: [{}] });
    expect(clone.status).toBe(201);
    const copy = await call(b, agent, 'GET', `/crm/v6/Cases/${clone.body.data[0].details.id}`);
    expect(copy.body.data[0].Contract_Number).toBe('UM/2026/17');
    const tooLong = await create(b, { Contract_Number: 'x'.repeat(21) });
    expect([tooLong.status, tooLong.body.data[0].details.api_name]).toEqual([400, 'Contract_Number']);
  });

  it('enforces a layout change made on one node on the other from the next request', async () => {
    expect((await create(b, { Reported_By: 'Ola' })).status).toBe(201);
    const order = ['Subject', 'Status', 'Case_Origin', 'Email', 'Reported_By'];
    const layout = await call(a, admin, 'PUT', '/crm/v6/settings/layout?module=Cases', {
      fields: order.map((api_name) => ({ api_name, read_only: api_name === 'Reported_By' })),
    });
    expect(layout.status).toBe(200);
    // At once, not after B's refresh timer: every write B takes now is checked against the new layout.
    for (let i = 0; i < 16; i++) {
      const refused = await create(b, { Reported_By: `Ola ${i}` });
      expect([refused.status, refused.body.data[0].details.api_name]).toEqual([400, 'Reported_By']);
    }
    const seen = await call(b, agent, 'GET', '/crm/v6/settings/fields?module=Cases');
    expect(seen.body.fields.find((f: { api_name: string }) => f.api_name === 'Reported_By')).toMatchObject({
      read_only: true,
    });
  });

  it('accepts on one node a custom field just added on the other', async () => {
    const added = await call(b, admin, 'POST', '/crm/v6/settings/fields?module=Cases', {
      fields: [{ api_name: 'Site_Code', label: 'Site code', type: 'text' }],
    });
    expect(added.status).toBeLessThan(300);
    expect((await create(a, { Site_Code: 'WAW-1' })).status).toBe(201);
  });
});
