import { ENGINES, startTestServer, type TestServer } from '../harness';

const MAILBOX = {
  name: 'Support',
  host: 'imap.example.com',
  port: 993,
  user: 'support@example.com',
  password: 'hunter2-very-secret',
  never_capture: ['casepane.com', 'Noreply@Partner.example'],
};

describe.each(ENGINES)('mailbox settings (admin API) on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine, { mailboxCapture: false });
  });
  afterAll(() => t?.close());

  it('stores secrets but never returns them, and shows status fields', async () => {
    const created = await t.call('POST', '/crm/v6/settings/mailboxes', {
      role: 'admin',
      json: { mailboxes: [MAILBOX] },
    });
    expect(created.status).toBe(201);
    const record = created.body.mailboxes[0].details;
    expect(record).toMatchObject({
      name: 'Support',
      folder: 'INBOX',
      secure: true,
      enabled: true,
      password_set: true,
      access_token_set: false,
      never_capture: ['casepane.com', 'noreply@partner.example'],
      status: { last_poll_time: null, messages_captured: 0, last_error: null },
    });
    const listed = await t.call('GET', '/crm/v6/settings/mailboxes', { role: 'admin' });
    expect(listed.status).toBe(200);
    expect(listed.text).not.toContain('hunter2');
    expect(created.text).not.toContain('hunter2');
    expect(listed.body.mailboxes).toHaveLength(1);

    // Switching to XOAUTH2: the token is stored, the password cleared; neither comes back.
    const token = 'eyJ0eXAiOiJKV1QiLCJhbGciOi-access-token';
    const updated = await t.call('PUT', `/crm/v6/settings/mailboxes/${record.id}`, {
      role: 'admin',
      json: { mailboxes: [{ access_token: token, password: null, folder: 'Support/Inbox' }] },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.mailboxes[0].details).toMatchObject({
      password_set: false,
      access_token_set: true,
      folder: 'Support/Inbox',
    });
    const one = await t.call('GET', `/crm/v6/settings/mailboxes/${record.id}`, { role: 'admin' });
    expect(one.text).not.toContain(token);
    const stored = await t.server.storage.db.selectFrom('mailboxes').selectAll().executeTakeFirstOrThrow();
    expect(stored.access_token).toBe(token);
    expect(stored.password).toBeNull();

    // Taking away the last secret is refused, naming the field.
    const noSecret = await t.call('PUT', `/crm/v6/settings/mailboxes/${record.id}`, {
      role: 'admin',
      json: { mailboxes: [{ access_token: null }] },
    });
    expect(noSecret.status).toBe(400);
    expect(noSecret.body.data[0].details.api_name).toBe('password');

    const removed = await t.call('DELETE', `/crm/v6/settings/mailboxes/${record.id}`, { role: 'admin' });
    expect(removed.status).toBe(200);
    expect((await t.call('GET', `/crm/v6/settings/mailboxes/${record.id}`, { role: 'admin' })).status).toBe(
      404,
    );
  });

  it('refuses non-admins and anonymous callers', async () => {
    for (const role of ['agent', 'manager'] as const) {
      expect((await t.call('GET', '/crm/v6/settings/mailboxes', { role })).status).toBe(403);
      const post = await t.call('POST', '/crm/v6/settings/mailboxes', {
        role,
        json: { mailboxes: [MAILBOX] },
      });
      expect(post.status).toBe(403);
    }
    expect((await t.call('GET', '/crm/v6/settings/mailboxes', { token: null })).status).toBe(401);
    const count = await t.server.storage.db
      .selectFrom('mailboxes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('is described in /openapi.json with its secrets write-only', async () => {
    const openapi = await t.call('GET', '/openapi.json', { token: null });
    const post = openapi.body.paths['/crm/v6/settings/mailboxes'].post;
    const item = post.requestBody.content['application/json'].schema.properties.mailboxes.items;
    expect(item.properties.password.writeOnly).toBe(true);
    expect(item.properties.access_token.writeOnly).toBe(true);
  });

  it.each([
    [{ ...MAILBOX, port: 70000 }, 'port'],
    [{ ...MAILBOX, host: 'bad host!' }, 'host'],
    [{ ...MAILBOX, user: undefined }, 'user'],
    [{ ...MAILBOX, password: undefined }, 'password'],
    [{ ...MAILBOX, secure: 'yes' }, 'secure'],
    [{ ...MAILBOX, never_capture: ['not an address'] }, 'never_capture'],
    [{ ...MAILBOX, colour: 'red' }, 'colour'],
  ])('refuses bad input with the field named (%#)', async (input, apiName) => {
    const response = await t.call('POST', '/crm/v6/settings/mailboxes', {
      role: 'admin',
      json: { mailboxes: [input] },
    });
    expect(response.status).toBe(400);
    expect(response.body.data[0].details.api_name).toBe(apiName);
  });
});
