import { ENGINES, startTestServer, type TestServer } from './harness';

describe.each(ENGINES)('field layout on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
  });
  afterAll(() => t.close());

  const fields = async () =>
    (await t.call('GET', '/crm/v6/settings/fields?module=Cases')).body.fields as {
      api_name: string;
      visible: boolean;
      read_only: boolean;
      custom_field: boolean;
    }[];

  it('lets an admin hide, lock and order fields; the API then enforces it', async () => {
    const order = ['Subject', 'Status', 'Case_Origin', 'Email', 'Priority', 'Phone', 'Reported_By'];
    expect(
      (await t.call('PUT', '/crm/v6/settings/layout?module=Cases', { role: 'agent', json: { fields: [] } }))
        .status,
    ).toBe(403);
    const r = await t.call('PUT', '/crm/v6/settings/layout?module=Cases', {
      role: 'admin',
      json: {
        fields: order.map((api_name) => ({
          api_name,
          hidden: api_name === 'Phone',
          read_only: api_name === 'Reported_By',
        })),
      },
    });
    expect(r.status).toBe(200);
    const now = await fields();
    expect(now.slice(0, order.length).map((f) => f.api_name)).toEqual(order);
    expect(now.find((f) => f.api_name === 'Phone')).toMatchObject({ visible: false });
    expect(now.find((f) => f.api_name === 'Reported_By')).toMatchObject({ read_only: true });
    const hidden = await t.call('POST', '/crm/v6/Cases', {
      json: { data: [{ Subject: 'x', Case_Origin: 'Phone', Phone: '1' }] },
    });
    expect([hidden.status, hidden.body.data[0].details.api_name]).toEqual([400, 'Phone']);
    const locked = await t.call('POST', '/crm/v6/Cases', {
      json: { data: [{ Subject: 'x', Case_Origin: 'Phone', Reported_By: 'A' }] },
    });
    expect([locked.status, locked.body.data[0].details.api_name]).toEqual([400, 'Reported_By']);
    expect(
      (await t.call('POST', '/crm/v6/Cases', { json: { data: [{ Subject: 'x', Case_Origin: 'Phone' }] } }))
        .status,
    ).toBe(201);
  });

  it('refuses to hide or lock mandatory fields', async () => {
    for (const api_name of ['Subject', 'Status', 'Case_Origin', 'Email']) {
      const r = await t.call('PUT', '/crm/v6/settings/layout?module=Cases', {
        role: 'admin',
        json: { fields: [{ api_name, hidden: true }] },
      });
      expect([api_name, r.status]).toEqual([api_name, 400]);
    }
    expect(
      (
        await t.call('PUT', '/crm/v6/settings/layout?module=Cases', {
          role: 'admin',
          json: { fields: [{ api_name: 'Nope' }] },
        })
      ).status,
    ).toBe(400);
  });

  it('adds custom fields that the API accepts at once', async () => {
    const add = await t.call('POST', '/crm/v6/settings/fields?module=Cases', {
      role: 'admin',
      json: {
        fields: [
          {
            api_name: `Severity_${engine}`,
            label: { en: 'Severity', pl: 'Waga', 'zh-CN': '严重程度' },
            type: 'picklist',
            pick_list_values: ['S1', 'S2'],
          },
        ],
      },
    });
    expect(add.status).toBe(201);
    expect((await fields()).find((f) => f.api_name === `Severity_${engine}`)).toMatchObject({
      custom_field: true,
      visible: true,
    });
    const ok = await t.call('POST', '/crm/v6/Cases', {
      json: { data: [{ Subject: 'x', Case_Origin: 'Phone', [`Severity_${engine}`]: 'S2' }] },
    });
    expect(ok.status).toBe(201);
    expect(
      (await t.call('GET', `/crm/v6/Cases/${ok.body.data[0].details.id}`)).body.data[0][`Severity_${engine}`],
    ).toBe('S2');
    const bad = await t.call('POST', '/crm/v6/Cases', {
      json: { data: [{ Subject: 'x', Case_Origin: 'Phone', [`Severity_${engine}`]: 'S9' }] },
    });
    expect(bad.status).toBe(400);
    const dup = await t.call('POST', '/crm/v6/settings/fields?module=Cases', {
      role: 'admin',
      json: { fields: [{ api_name: 'Subject', label: 'x', type: 'text' }] },
    });
    expect(dup.status).toBe(400);
  });

  it('keeps the quick-create flag per field: the defaults until an admin chooses, then the choice', async () => {
    const quick = async () =>
      (await fields())
        .filter((f) => (f as { quick_create?: boolean }).quick_create)
        .map((f) => f.api_name)
        .sort();
    // A layout saved without the flag (as older admin screens do) keeps the defaults.
    const before = await t.call('PUT', '/crm/v6/settings/layout?module=Cases', {
      role: 'admin',
      json: { fields: [{ api_name: 'Subject' }, { api_name: 'Priority' }, { api_name: 'Type' }] },
    });
    expect(before.status).toBe(200);
    expect(await quick()).toEqual(
      ['Description', 'Email', 'Owner', 'Priority', 'Reported_By', 'Status', 'Subject'].sort(),
    );
    const r = await t.call('PUT', '/crm/v6/settings/layout?module=Cases', {
      role: 'admin',
      json: {
        fields: [
          { api_name: 'Subject', quick: true },
          { api_name: 'Priority', quick: false },
          { api_name: 'Type', quick: true },
        ],
      },
    });
    expect(r.status).toBe(200);
    const now = await quick();
    expect(now).toContain('Type');
    expect(now).not.toContain('Priority');
    const bad = await t.call('PUT', '/crm/v6/settings/layout?module=Cases', {
      role: 'admin',
      json: { fields: [{ api_name: 'Type', quick: 'yes' }] },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('quick');
    expect(await quick()).toContain('Type'); // nothing written
  });
});
