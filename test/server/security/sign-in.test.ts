/**
 * Issue 14, items 5 and 6: the pane's local sign-in (POST /auth/local/token) and the identities it makes, attacked
 * from outside over real HTTP. Raw node:http requests, because fetch cannot set Host.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { configFromEnv } from '../../../src/server/config';
import { ENGINES, startTestServer, type TestServer } from '../harness';

/** The pane's origin by default: the webpack dev server of `npm start` (and the manifest's development origin). */
const PANE = 'https://localhost:3000';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/** One request with exactly these headers (Host included, unless `host: null` leaves it out). */
function send(
  base: string,
  route: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    host?: string | null;
    json?: unknown;
    /** Connect to this address instead of the base URL's (another interface of this machine). */
    connectTo?: string;
  } = {},
): Promise<Answer> {
  const url = new URL(base);
  const body = options.json === undefined ? undefined : JSON.stringify(options.json);
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (options.host !== undefined && options.host !== null) headers.host = options.host;
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: options.connectTo ?? url.hostname,
        port: url.port,
        path: route,
        method: options.method ?? 'POST',
        headers,
        setHost: options.host !== null,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = text;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: parsed });
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const portOf = (t: TestServer) => new URL(t.url).port;

/** The pane's sign-in as the pane makes it (its Origin; Host and peer are this machine's loopback). */
function signIn(
  t: TestServer,
  profile: { email: string; name?: string },
  headers: Record<string, string> = { origin: PANE },
  host?: string | null,
) {
  return send(t.url, '/auth/local/token', { json: profile, headers, host });
}

async function paneToken(t: TestServer, profile: { email: string; name?: string }): Promise<string> {
  const r = await signIn(t, profile);
  expect(r.status).toBe(200);
  return r.body.access_token as string;
}

/** A 4xx with the API's error envelope: a clear refusal, never a 5xx or a token. */
function expectRefused(r: Answer, status: number, label: string) {
  expect([label, r.status]).toEqual([label, status]);
  expect(r.body).toMatchObject({ status: 'error' });
  expect(typeof r.body.code).toBe('string');
  expect(r.body.access_token).toBeUndefined();
}

/** An address of this machine that is not loopback (to be a non-loopback peer, or another IP), if it has one. */
const otherAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
const withOtherAddress = otherAddress ? it : it.skip;

describe.each(ENGINES)('the local sign-in on %s (issue 14, item 5: whom it answers)', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
  });
  afterAll(() => t.close());

  it("answers the pane: a loopback peer, a loopback Host, the pane's Origin", async () => {
    for (const host of [`127.0.0.1:${portOf(t)}`, `localhost:${portOf(t)}`, `[::1]:${portOf(t)}`]) {
      const r = await signIn(t, { email: 'ola@example.pl', name: 'Ola Nowak' }, { origin: PANE }, host);
      expect([host, r.status]).toEqual([host, 200]);
      expect(r.body).toMatchObject({ token_type: 'Bearer', expires_in: expect.any(Number) });
      expect(r.headers['cache-control']).toBe('no-store');
    }
  });

  it('refuses a Host that is not loopback: a page whose DNS name was rebound to 127.0.0.1', async () => {
    const port = portOf(t);
    for (const host of [
      'anything',
      `evil.example:${port}`,
      `localhost.evil.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
      `localhost.:${port}`,
      `user@localhost:${port}`,
      `[::1]x:${port}`,
    ]) {
      // With the pane's Origin, and with the rebinding page's own.
      expectRefused(await signIn(t, { email: 'ola@example.pl' }, { origin: PANE }, host), 403, host);
      expectRefused(
        await signIn(t, { email: 'ola@example.pl' }, { origin: `http://${host}` }, host),
        403,
        `${host} (own origin)`,
      );
    }
    // No Host at all (HTTP/1.1 requires one): still a 4xx.
    const none = await signIn(t, { email: 'ola@example.pl' }, { origin: PANE }, null);
    expect(none.status).toBeGreaterThanOrEqual(400);
    expect(none.status).toBeLessThan(500);
  });

  it("refuses a request without the pane's Origin: another page, no browser, an opaque origin", async () => {
    const refused: Record<string, Record<string, string>> = {
      'no Origin': {},
      'another site': { origin: 'https://evil.example' },
      'the pane origin on another port': { origin: 'https://localhost:3443' },
      'the pane origin over http': { origin: 'http://localhost:3000' },
      'opaque origin': { origin: 'null' },
      'not an origin': { origin: 'https://localhost:3000/taskpane.html' },
      garbage: { origin: '%%%' },
      // The API's own origin: it serves no pane here (no ADDIN_DIR).
      'the API origin without a pane': { origin: `http://127.0.0.1:${portOf(t)}` },
    };
    for (const [label, headers] of Object.entries(refused))
      expectRefused(await signIn(t, { email: 'ola@example.pl' }, headers), 403, label);
  });

  it('refuses any request that carries forwarding headers: it came through a proxy', async () => {
    const forwarded: Record<string, string>[] = [
      { 'x-forwarded-for': '203.0.113.7' },
      { 'x-forwarded-for': '127.0.0.1' },
      { forwarded: 'for=203.0.113.7;proto=https;host=casepane.example.com' },
      { 'x-forwarded-host': 'casepane.example.com' },
      { 'x-forwarded-proto': 'https' },
      { 'x-forwarded-port': '443' },
      { 'x-real-ip': '203.0.113.7' },
      { via: '1.1 proxy.example' },
    ];
    for (const headers of forwarded)
      expectRefused(
        await signIn(t, { email: 'ola@example.pl' }, { origin: PANE, ...headers }),
        403,
        JSON.stringify(headers),
      );
  });

  it('refuses what a TLS proxy on this host sends without forwarding headers (nginx defaults)', async () => {
    // proxy_pass http://127.0.0.1:PORT: loopback peer, Host rewritten to the upstream, the public page's Origin.
    const r = await signIn(
      t,
      { email: 'ola@example.pl' },
      { origin: 'https://casepane.example.com' },
      `127.0.0.1:${portOf(t)}`,
    );
    expectRefused(r, 403, 'nginx-style proxy');
  });

  withOtherAddress('refuses a peer that is not loopback, whatever Host and Origin it sends', async () => {
    const open = await startTestServer(engine, { host: '0.0.0.0' });
    try {
      const r = await send(open.url, '/auth/local/token', {
        connectTo: otherAddress,
        json: { email: 'ola@example.pl' },
        headers: { origin: PANE },
        host: `localhost:${portOf(open)}`,
      });
      expectRefused(r, 403, `peer ${otherAddress}`);
    } finally {
      await open.close();
    }
  });

  it('with the pane served from the API (ADDIN_DIR), answers that same loopback origin only', async () => {
    const addinDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casepane-pane-'));
    fs.writeFileSync(path.join(addinDir, 'taskpane.html'), '<!doctype html><title>pane</title>');
    const served = await startTestServer(engine, { addinDir });
    try {
      const port = portOf(served);
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
        const r = await signIn(served, { email: 'ola@example.pl' }, { origin: `http://${host}` }, host);
        expect([host, r.status]).toEqual([host, 200]);
      }
      // Another loopback origin than the one the request was sent to, or https where the API speaks http.
      expectRefused(
        await signIn(
          served,
          { email: 'ola@example.pl' },
          { origin: `http://localhost:${port}` },
          `127.0.0.1:${port}`,
        ),
        403,
        'origin ≠ host',
      );
      expectRefused(
        await signIn(served, { email: 'ola@example.pl' }, { origin: `https://127.0.0.1:${port}` }),
        403,
        'https origin',
      );
    } finally {
      await served.close();
      fs.rmSync(addinDir, { recursive: true, force: true });
    }
  });

  it('answers the origins LOCAL_SIGNIN_ORIGINS names instead of the default', async () => {
    const custom = await startTestServer(engine, { localSignInOrigins: ['https://localhost:4443'] });
    try {
      expect(
        (await signIn(custom, { email: 'a@example.com' }, { origin: 'https://localhost:4443' })).status,
      ).toBe(200);
      expectRefused(
        await signIn(custom, { email: 'a@example.com' }, { origin: PANE }),
        403,
        'default origin',
      );
    } finally {
      await custom.close();
    }
  });

  it('keeps its other refusals: turned off, a bad email, a bad name (all 4xx)', async () => {
    const off = await startTestServer(engine, { localSignIn: false });
    try {
      expectRefused(await signIn(off, { email: 'ola@example.pl' }), 403, 'LOCAL_SIGNIN=off');
    } finally {
      await off.close();
    }
    expectRefused(await signIn(t, { email: 'nope' }), 400, 'bad email');
    expectRefused(await signIn(t, { email: 'ola@example.pl', name: 'x'.repeat(256) }), 400, 'long name');
    const notJson = await send(t.url, '/auth/local/token', {
      headers: { origin: PANE, 'content-type': 'application/json' },
    });
    expect(notJson.status).toBeGreaterThanOrEqual(400);
    expect(notJson.status).toBeLessThan(500);
  });
});

describe.each(ENGINES)('the local sign-in on %s (issue 14, item 6: the identities it makes)', (engine) => {
  let t: TestServer;
  let admin: { id: string; token: string };
  beforeAll(async () => {
    t = await startTestServer(engine);
    const token = await t.token('admin', 'admin@example.com', 'Ada Admin');
    const me = await t.call('GET', '/crm/v6/users?type=CurrentUser', { token });
    admin = { id: me.body.users[0].id, token };
  });
  afterAll(() => t.close());

  const me = async (token: string) =>
    (await t.call('GET', '/crm/v6/users?type=CurrentUser', { token })).body.users[0];
  const userById = async (id: string) =>
    (await t.call('GET', '/crm/v6/users?type=AllUsers', { token: admin.token })).body.users.find(
      (u: { id: string }) => u.id === id,
    );

  it("a pane sign-in with the admin's email is its own agent: the admin is neither renamed nor acted as", async () => {
    const mallory = await paneToken(t, { email: 'admin@example.com', name: 'Mallory' });
    const who = await me(mallory);
    expect(who.id).not.toBe(admin.id);
    expect(who).toMatchObject({ full_name: 'Mallory', email: 'admin@example.com', role: { name: 'agent' } });
    expect(await userById(admin.id)).toMatchObject({ full_name: 'Ada Admin', role: { name: 'admin' } });
    // Uppercase email: the same pane identity, still not the admin.
    expect((await me(await paneToken(t, { email: 'ADMIN@example.com', name: 'Mallory' }))).id).toBe(who.id);

    // None of the admin's powers.
    const forbidden = await t.call('GET', '/crm/v6/settings/assignment_rules', { token: mallory });
    expect(forbidden.status).toBe(403);
    const created = await t.call('POST', '/crm/v6/Cases', {
      token: admin.token,
      json: { data: [{ Subject: `admin's case ${engine}`, Case_Origin: 'Phone' }] },
    });
    const caseId = created.body.data[0].details.id;
    expect((await t.call('DELETE', `/crm/v6/Cases/${caseId}`, { token: mallory })).status).toBe(403);
    expect((await t.call('GET', `/crm/v6/Cases/${caseId}`, { token: admin.token })).status).toBe(200);
  });

  it("notes written through a pane sign-in are the pane user's in the timeline, not the admin's", async () => {
    const mallory = await paneToken(t, { email: 'admin@example.com', name: 'Mallory' });
    const created = await t.call('POST', '/crm/v6/Cases', {
      token: admin.token,
      json: { data: [{ Subject: `timeline ${engine}`, Case_Origin: 'Phone' }] },
    });
    const caseId = created.body.data[0].details.id;
    const note = await t.call('POST', `/crm/v6/Cases/${caseId}/Notes`, {
      token: mallory,
      json: { data: [{ Note_Content: 'Refund approved by the admin.' }] },
    });
    expect(note.status).toBe(201);
    const timeline = (await t.call('GET', `/crm/v6/Cases/${caseId}/__timeline`, { token: admin.token })).body
      .__timeline as { action: string; done_by: { id: string; name: string } }[];
    const noted = timeline.find((e) => e.action === 'note_added');
    expect(noted?.done_by.id).not.toBe(admin.id);
    expect(noted?.done_by).toEqual({ id: (await me(mallory)).id, name: 'Mallory' });
    const made = timeline.find((e) => e.action === 'created');
    expect(made?.done_by).toEqual({ id: admin.id, name: 'Ada Admin' });
  });

  it('a later sign-in never renames its user; a CLI token for the same email is another user', async () => {
    const first = await me(await paneToken(t, { email: 'ola@example.pl', name: 'Ola Nowak' }));
    const again = await me(await paneToken(t, { email: 'ola@example.pl', name: 'Mallory' }));
    expect(again).toMatchObject({ id: first.id, full_name: 'Ola Nowak', role: { name: 'agent' } });
    expect(await userById(first.id)).toMatchObject({ full_name: 'Ola Nowak', role: { name: 'agent' } });

    // The pane cannot become a CLI/Entra identity, nor the other way round.
    const cli = await me(await t.token('manager', 'ola@example.pl', 'Ola (CLI)'));
    expect(cli.id).not.toBe(first.id);
    expect(cli.role.name).toBe('manager');
    expect(await userById(first.id)).toMatchObject({ full_name: 'Ola Nowak', role: { name: 'agent' } });
    expect((await me(await paneToken(t, { email: 'ola@example.pl' }))).role.name).toBe('agent');
  });

  it("an administrator's change of a pane user's role stays across later sign-ins", async () => {
    const first = await me(await paneToken(t, { email: 'piotr@example.pl', name: 'Piotr' }));
    // No API changes roles today; an administrator does it in the database.
    await t.server.storage.db
      .updateTable('users')
      .set({ role: 'viewer' })
      .where('id', '=', first.id)
      .execute();
    // Signing in again (another name, so not served from the one-minute user cache) keeps the stored role.
    const token = await paneToken(t, { email: 'piotr@example.pl', name: 'Piotr Again' });
    expect(await me(token)).toMatchObject({ id: first.id, full_name: 'Piotr', role: { name: 'viewer' } });
    const write = await t.call('POST', '/crm/v6/Cases', {
      token,
      json: { data: [{ Subject: 'viewer write', Case_Origin: 'Phone' }] },
    });
    expect(write.status).toBe(403);
  });

  it("an import's Owner given by email is the admin, not a pane user with the admin's address", async () => {
    // The pane user with this address exists before the CLI user does.
    const pane = await me(await paneToken(t, { email: 'boss@example.com', name: 'Mallory' }));
    const boss = await me(await t.token('manager', 'boss@example.com', 'Bea Boss'));
    expect(boss.id).not.toBe(pane.id);
    const form = new FormData();
    form.append('import_key', `owner-${engine}`);
    form.append(
      'file',
      new Blob([`Subject,Case_Origin,Owner\r\nOwner by email ${engine},Phone,boss@example.com\r\n`]),
      'owner.csv',
    );
    const response = await fetch(`${t.url}/crm/v6/Cases/actions/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}` },
      body: form,
    });
    expect(response.status).toBe(200);
    const found = await t.call(
      'GET',
      `/crm/v6/Cases/search?criteria=${encodeURIComponent(`(Subject:equals:Owner by email ${engine})`)}`,
      { token: admin.token },
    );
    expect(found.body.data[0].Owner).toMatchObject({ id: boss.id, name: 'Bea Boss' });
  });
});

describe.each(ENGINES)('401 and 403 answers on %s are rate-limited per IP', (engine) => {
  it('after the limit of failed answers, an IP gets 429 (with Retry-After) for everything but /health', async () => {
    const t = await startTestServer(engine, { authFailuresPerMinute: 5 });
    try {
      const good = await t.token('agent');
      const viewer = await t.token('viewer');
      // 20 good requests first: successes are not counted.
      for (let i = 0; i < 20; i++)
        expect((await t.call('GET', '/crm/v6/users?type=CurrentUser', { token: good })).status).toBe(200);
      const failures = [
        await t.call('GET', '/crm/v6/Cases', { token: 'not.a.token' }),
        await t.call('GET', '/crm/v6/Cases', { token: 'not.a.token.either' }),
        await t.call('POST', '/crm/v6/Cases', {
          token: viewer,
          json: { data: [{ Subject: 'x', Case_Origin: 'Phone' }] },
        }),
        await t.call('DELETE', '/crm/v6/Cases/1', { token: viewer }),
        await t.call('GET', '/crm/v6/Cases', { token: 'bad' }),
      ];
      expect(failures.map((f) => f.status)).toEqual([401, 401, 403, 403, 401]);

      const limited = await send(t.url, '/crm/v6/users?type=CurrentUser', {
        method: 'GET',
        headers: { authorization: `Bearer ${good}` },
      });
      expectRefused(limited, 429, 'a good token after 5 failures');
      expect(limited.body.code).toBe('TOO_MANY_REQUESTS');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
      expectRefused(await signIn(t, { email: 'ola@example.pl' }), 429, 'the pane sign-in too');
      expect((await t.call('GET', '/health', { token: null })).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('counts only refusals of requests that carry a token: a web page, which cannot send one, cannot lock the pane out', async () => {
    const t = await startTestServer(engine, { authFailuresPerMinute: 5 });
    try {
      // What any page the agent visits can make the browser send to the loopback API: no Authorization header
      // (that needs a CORS preflight, which a foreign origin fails), and the local sign-in from its own origin.
      for (let i = 0; i < 30; i++) {
        expect((await t.call('GET', '/crm/v6/Cases', { token: null })).status).toBe(401);
        expect(
          (await signIn(t, { email: 'ola@example.pl' }, { origin: 'https://evil.example' })).status,
        ).toBe(403);
      }
      expect(
        (await t.call('GET', '/crm/v6/users?type=CurrentUser', { token: await t.token('agent') })).status,
      ).toBe(200);
      expect((await signIn(t, { email: 'ola@example.pl' })).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  withOtherAddress('counts per IP: another address keeps its budget', async () => {
    const t = await startTestServer(engine, { host: '0.0.0.0', authFailuresPerMinute: 3 });
    try {
      for (let i = 0; i < 3; i++)
        expect((await t.call('GET', '/crm/v6/Cases', { token: 'bad' })).status).toBe(401);
      expect((await t.call('GET', '/crm/v6/Cases')).status).toBe(429);
      const other = await send(t.url, '/crm/v6/users?type=CurrentUser', {
        method: 'GET',
        connectTo: otherAddress,
        headers: { authorization: `Bearer ${await t.token('agent')}` },
      });
      expect(other.status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('AUTH_FAILURES_PER_MINUTE=0 turns the limit off', async () => {
    const t = await startTestServer(engine, { authFailuresPerMinute: 0 });
    try {
      for (let i = 0; i < 30; i++)
        expect((await t.call('GET', '/crm/v6/Cases', { token: 'bad' })).status).toBe(401);
    } finally {
      await t.close();
    }
  });
});

describe('the sign-in settings', () => {
  it('reads LOCAL_SIGNIN_ORIGINS and AUTH_FAILURES_PER_MINUTE, with their documented defaults', () => {
    expect(configFromEnv({})).toMatchObject({
      localSignInOrigins: [PANE],
      authFailuresPerMinute: 60,
    });
    expect(
      configFromEnv({
        LOCAL_SIGNIN_ORIGINS: 'https://localhost:4443, https://PANE.example.test',
        AUTH_FAILURES_PER_MINUTE: '10',
      }),
    ).toMatchObject({
      localSignInOrigins: ['https://localhost:4443', 'https://pane.example.test'],
      authFailuresPerMinute: 10,
    });
    for (const bad of ['localhost:3000', 'https://localhost:3000/taskpane.html', 'ftp://localhost', '*'])
      expect(() => configFromEnv({ LOCAL_SIGNIN_ORIGINS: bad })).toThrow(/LOCAL_SIGNIN_ORIGINS/);
  });
});
