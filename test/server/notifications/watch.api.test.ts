import { ENGINES, startTestServer, type TestServer } from '../harness';
import { DEFAULT_NOTIFICATION_SETTINGS } from '../../../src/server/notifications/settings';

/**
 * The Notification API's channels as Zoho documents them (POST/GET/PUT/PATCH/DELETE /crm/v6/actions/watch):
 * shapes, field-level refusals that write nothing, the SSRF refusals, and channels that belong to their owner.
 */
const allowLoopback = { ...DEFAULT_NOTIFICATION_SETTINGS, allowPrivateHosts: ['127.0.0.1'] };
const hour = 3600_000;

describe.each(ENGINES)('the Notification API channels on %s', (engine) => {
  jest.setTimeout(30_000);
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine, { notifications: allowLoopback });
  });
  afterAll(() => t.close());

  const watch = (item: Record<string, unknown>) => ({ watch: [item] });
  const item = (channelId: string, extra: Record<string, unknown> = {}) => ({
    channel_id: channelId,
    events: ['Cases.create', 'Cases.edit'],
    notify_url: 'http://127.0.0.1:9/hook?key1=val1',
    token: 'TOKEN_FOR_VERIFICATION',
    ...extra,
  });
  const details = async (role: 'agent' | 'admin' | 'viewer' | 'manager' = 'agent') =>
    t.call('GET', '/crm/v6/actions/watch', { role });

  it('enables a channel in Zoho shape, lists it with its signing secret, updates and disables it', async () => {
    const expiry = new Date(Date.now() + 2 * hour).toISOString();
    const r = await t.call('POST', '/crm/v6/actions/watch', {
      json: watch(item('1000000068001', { channel_expiry: expiry })),
    });
    expect(r.status).toBe(201);
    const [result] = r.body.watch;
    expect(result).toMatchObject({
      code: 'SUCCESS',
      status: 'success',
      message: 'Successfully subscribed for actions-watch of the given module',
      details: { events: [{ channel_id: '1000000068001', resource_name: 'Cases', channel_expiry: expiry }] },
    });
    expect(result.details.events[0].resource_uri).toBe(`${t.url}/crm/v6/Cases`);
    expect(result.details.signing_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const listed = await details();
    expect(listed.status).toBe(200);
    expect(listed.body.watch).toEqual([
      expect.objectContaining({
        channel_id: '1000000068001',
        events: ['Cases.create', 'Cases.edit'],
        notify_url: 'http://127.0.0.1:9/hook?key1=val1',
        token: 'TOKEN_FOR_VERIFICATION',
        notify_on_related_action: false,
        return_affected_field_values: false,
        signing_secret: result.details.signing_secret,
      }),
    ]);
    expect(listed.body.info).toEqual({ per_page: 200, page: 1, count: 1, more_records: false });
    expect((await t.call('GET', '/crm/v6/actions/watch?channel_id=1000000068001,5')).body.watch).toHaveLength(
      1,
    );
    expect((await t.call('GET', '/crm/v6/actions/watch?channel_id=5')).status).toBe(204);
    const badModule = await t.call('GET', '/crm/v6/actions/watch?module=Leads');
    expect(badModule.body).toMatchObject({ code: 'INVALID_MODULE', details: { api_name: 'module' } });

    // PATCH adds events and changes only what it names; with _delete_events it removes them.
    const patched = await t.call('PATCH', '/crm/v6/actions/watch', {
      json: watch({ channel_id: '1000000068001', events: ['Cases.delete'], token: 'NEW' }),
    });
    expect(patched.status).toBe(200);
    expect(patched.body.watch[0]).toMatchObject({
      code: 'SUCCESS',
      message: 'Successfully updated the subscribe details',
    });
    let now = (await details()).body.watch[0];
    expect(now).toMatchObject({
      events: ['Cases.create', 'Cases.edit', 'Cases.delete'],
      token: 'NEW',
      channel_expiry: expiry,
    });
    await t.call('PATCH', '/crm/v6/actions/watch', {
      json: watch({
        channel_id: '1000000068001',
        events: ['Cases.create', 'Cases.edit'],
        _delete_events: true,
      }),
    });
    expect((await details()).body.watch[0].events).toEqual(['Cases.delete']);
    // PUT replaces the whole channel: what it leaves out goes back to the default.
    const put = await t.call('PUT', '/crm/v6/actions/watch', {
      json: watch({
        channel_id: '1000000068001',
        events: ['Cases.all'],
        notify_url: 'http://127.0.0.1:9/other',
      }),
    });
    expect(put.status).toBe(200);
    now = (await details()).body.watch[0];
    expect(now).toMatchObject({
      events: ['Cases.create', 'Cases.edit', 'Cases.delete'],
      token: null,
      notify_url: 'http://127.0.0.1:9/other',
    });

    const off = await t.call('DELETE', '/crm/v6/actions/watch?channel_ids=1000000068001');
    expect(off.status).toBe(200);
    expect(off.body.watch).toEqual([
      {
        code: 'SUCCESS',
        details: { channel_id: '1000000068001' },
        message: 'Successfully unsubscribed from actions-watch of the given module',
        status: 'success',
      },
    ]);
    expect((await details()).status).toBe(204);
  });

  it('follows Zoho on channel_expiry: an hour without one, an hour instead of more than a day', async () => {
    const before = Date.now();
    const r = await t.call('POST', '/crm/v6/actions/watch', {
      json: {
        watch: [
          item('11'),
          item('12', { channel_expiry: new Date(Date.now() + 25 * hour).toISOString() }),
          item('13', {
            channel_expiry: new Date(Date.now() + 23 * hour).toISOString().replace('Z', '+00:00'),
          }),
        ],
      },
    });
    expect(r.status).toBe(201);
    const expiries = r.body.watch.map((w: any) => Date.parse(w.details.events[0].channel_expiry) - before);
    expect(expiries[0]).toBeGreaterThanOrEqual(hour);
    expect(expiries[0]).toBeLessThan(hour + 60_000);
    expect(expiries[1]).toBeLessThan(hour + 60_000);
    expect(expiries[2]).toBeGreaterThan(22 * hour);
    await t.call('DELETE', '/crm/v6/actions/watch?channel_ids=11,12,13');
  });

  it.each([
    ['no notify_url', { notify_url: undefined }, 'MANDATORY_NOT_FOUND', 'notify_url'],
    ['no events', { events: undefined }, 'MANDATORY_NOT_FOUND', 'events'],
    ['no channel_id', { channel_id: undefined }, 'MANDATORY_NOT_FOUND', 'channel_id'],
    ['a channel_id that is not a long', { channel_id: 'abc' }, 'INVALID_DATA', 'channel_id'],
    ['another module', { events: ['Leads.create'] }, 'INVALID_DATA', 'events'],
    ['an unknown operation', { events: ['Cases.merge'] }, 'INVALID_DATA', 'events'],
    ['a token over 50 characters', { token: 'x'.repeat(51) }, 'INVALID_DATA', 'token'],
    [
      'a past channel_expiry',
      { channel_expiry: '2020-01-01T00:00:00+00:00' },
      'INVALID_DATA',
      'channel_expiry',
    ],
    ['a channel_expiry that is not a date', { channel_expiry: 'tomorrow' }, 'INVALID_DATA', 'channel_expiry'],
    ['an ftp notify_url', { notify_url: 'ftp://127.0.0.1/x' }, 'INVALID_DATA', 'notify_url'],
    ['a notify_url with a password', { notify_url: 'http://u:p@127.0.0.1/x' }, 'INVALID_DATA', 'notify_url'],
    ['a notify_url that is no URL', { notify_url: 'not a url' }, 'INVALID_DATA', 'notify_url'],
    [
      'a host that does not resolve',
      { notify_url: 'http://no-such-host.invalid/x' },
      'INVALID_DATA',
      'notify_url',
    ],
    [
      'notification_condition (not served)',
      { notification_condition: [] },
      'INVALID_DATA',
      'notification_condition',
    ],
    [
      'a flag that is no boolean',
      { notify_on_related_action: 'yes' },
      'INVALID_DATA',
      'notify_on_related_action',
    ],
  ])('refuses %s, naming the field and writing nothing', async (_what, change, code, apiName) => {
    const r = await t.call('POST', '/crm/v6/actions/watch', {
      json: { watch: [item('21'), { ...item('22'), ...change }] },
    });
    expect(r.status).toBe(400);
    expect(r.body.watch[0].code).toBe('NOT_EXECUTED');
    expect(r.body.watch[1]).toMatchObject({
      code,
      status: 'error',
      details: { api_name: apiName, json_path: `$.watch[1].${apiName}` },
    });
    expect((await details()).status).toBe(204);
  });

  it.each([
    ['loopback', 'http://127.0.0.2:8080/hook'],
    ['IPv6 loopback', 'http://[::1]:8080/hook'],
    ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.2]/hook'],
    ['the metadata service', 'http://169.254.169.254/latest/meta-data/'],
    ['link-local IPv6', 'http://[fe80::1]/hook'],
    ['RFC 1918 10/8', 'http://10.0.0.5/hook'],
    ['RFC 1918 172.16/12', 'https://172.20.1.1/hook'],
    ['RFC 1918 192.168/16', 'http://192.168.1.1/hook'],
    ['unique-local IPv6', 'http://[fd00:ec2::254]/hook'],
    ['the unspecified address', 'http://0.0.0.0:8080/hook'],
    ['a decimal loopback', 'http://2130706434/hook'],
  ])('refuses a notify_url on %s (SSRF)', async (_what, url) => {
    const r = await t.call('POST', '/crm/v6/actions/watch', { json: watch(item('31', { notify_url: url })) });
    expect(r.status).toBe(400);
    expect(r.body.watch[0]).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'notify_url' } });
    expect(r.body.watch[0].message).toMatch(/refused.*NOTIFY_ALLOW_PRIVATE_HOSTS/);
    expect((await details()).status).toBe(204);
  });

  it('refuses a duplicate channel_id of the same owner, and answers the body errors in Zoho shape', async () => {
    expect((await t.call('POST', '/crm/v6/actions/watch', { json: watch(item('41')) })).status).toBe(201);
    const again = await t.call('POST', '/crm/v6/actions/watch', { json: watch(item('41')) });
    expect(again.status).toBe(400);
    expect(again.body.watch[0]).toMatchObject({
      code: 'DUPLICATE_DATA',
      details: { api_name: 'channel_id' },
    });
    const twice = await t.call('POST', '/crm/v6/actions/watch', {
      json: { watch: [item('42'), item('42')] },
    });
    expect(twice.body.watch[1]).toMatchObject({ code: 'DUPLICATE_DATA' });
    const noBody = await t.call('POST', '/crm/v6/actions/watch', { json: {} });
    expect(noBody.status).toBe(400);
    expect(noBody.body).toMatchObject({ code: 'MANDATORY_NOT_FOUND', details: { api_name: 'watch' } });
    const noIds = await t.call('DELETE', '/crm/v6/actions/watch');
    expect(noIds.body).toMatchObject({ code: 'MANDATORY_NOT_FOUND', details: { api_name: 'channel_ids' } });
    const badIds = await t.call('DELETE', '/crm/v6/actions/watch?channel_ids=1;drop');
    expect(badIds.body).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'channel_ids' } });
    const unknown = await t.call('PATCH', '/crm/v6/actions/watch', {
      json: watch({ channel_id: '43', token: 'x' }),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.watch[0]).toMatchObject({
      code: 'INVALID_DATA',
      details: { api_name: 'channel_id' },
    });
    // A change of address is checked like a new one.
    const toPrivate = await t.call('PATCH', '/crm/v6/actions/watch', {
      json: watch({ channel_id: '41', notify_url: 'http://10.0.0.1/hook' }),
    });
    expect(toPrivate.status).toBe(400);
    expect(toPrivate.body.watch[0]).toMatchObject({
      code: 'INVALID_DATA',
      details: { api_name: 'notify_url' },
    });
    expect((await details()).body.watch[0].notify_url).toBe('http://127.0.0.1:9/hook?key1=val1');
    const badPage = await t.call('GET', '/crm/v6/actions/watch?per_page=201');
    expect(badPage.body).toMatchObject({ code: 'INVALID_DATA', details: { param_name: 'per_page' } });
    await t.call('DELETE', '/crm/v6/actions/watch?channel_ids=41');
  });

  it("keeps a channel its owner's: another agent cannot read, change or disable it; an admin sees and disables it", async () => {
    const mine = await t.call('POST', '/crm/v6/actions/watch', { json: watch(item('51')) });
    expect(mine.status).toBe(201);
    const other = await t.token('agent', 'other.agent@example.com');
    const as = (method: string, route: string, json?: unknown) =>
      t.call(method, route, { token: other, json });
    expect((await as('GET', '/crm/v6/actions/watch')).status).toBe(204);
    expect((await as('GET', '/crm/v6/actions/watch?channel_id=51')).status).toBe(204);
    const del = await as('DELETE', '/crm/v6/actions/watch?channel_ids=51');
    expect(del.status).toBe(400);
    expect(del.body.watch[0]).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'channel_ids' } });
    const patch = await as(
      'PATCH',
      '/crm/v6/actions/watch',
      watch({ channel_id: '51', notify_url: 'http://127.0.0.1:9/theirs' }),
    );
    expect(patch.status).toBe(400);
    // The other agent may use the same channel id for a channel of their own.
    expect((await as('POST', '/crm/v6/actions/watch', watch(item('51')))).status).toBe(201);
    expect((await details()).body.watch).toEqual([
      expect.objectContaining({ channel_id: '51', notify_url: 'http://127.0.0.1:9/hook?key1=val1' }),
    ]);

    // An admin sees everyone's channels (without their signing secrets) and may disable them.
    const seen = await details('admin');
    expect(seen.body.watch).toHaveLength(2);
    for (const w of seen.body.watch) expect(w.signing_secret).toBeUndefined();
    expect((await t.call('DELETE', '/crm/v6/actions/watch?channel_ids=51', { role: 'admin' })).status).toBe(
      200,
    );
    expect((await details()).status).toBe(204);
    expect((await as('GET', '/crm/v6/actions/watch')).status).toBe(204);
    expect((await t.call('GET', '/crm/v6/actions/watch', { token: null })).status).toBe(401);
  });

  it('refuses even 127.0.0.1 and localhost when the admin allows no private address', async () => {
    const strict = await startTestServer(engine);
    try {
      for (const url of ['http://127.0.0.1:9/hook', 'http://localhost:9/hook']) {
        const r = await strict.call('POST', '/crm/v6/actions/watch', {
          json: watch(item('71', { notify_url: url })),
        });
        expect(r.status).toBe(400);
        expect(r.body.watch[0]).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'notify_url' } });
      }
      expect((await strict.call('GET', '/crm/v6/actions/watch')).status).toBe(204);
    } finally {
      await strict.close();
    }
  });

  it('is described in the OpenAPI document, every method', async () => {
    const doc = await t.call('GET', '/openapi.json', { token: null });
    expect(Object.keys(doc.body.paths['/crm/v6/actions/watch']).sort()).toEqual([
      'delete',
      'get',
      'patch',
      'post',
      'put',
    ]);
  });

  it('caps the channels of one user', async () => {
    const capped = await startTestServer(engine, {
      notifications: { ...allowLoopback, maxChannelsPerUser: 2 },
    });
    try {
      const r = await capped.call('POST', '/crm/v6/actions/watch', {
        json: { watch: [item('61'), item('62'), item('63')] },
      });
      expect(r.status).toBe(400);
      expect(r.body.watch[0]).toMatchObject({ code: 'LIMIT_EXCEEDED' });
      expect((await capped.call('GET', '/crm/v6/actions/watch')).status).toBe(204);
    } finally {
      await capped.close();
    }
  });
});
