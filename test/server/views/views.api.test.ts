import { BUILT_IN_VIEW_IDS } from '../../../src/shared/view-types';
import { ENGINES, message, startTestServer, type TestServer } from '../harness';

type Role = 'agent' | 'admin';
interface Rec {
  id: string;
  Case_Number: string;
  Status: string;
  Priority: string | null;
  Owner: { id: string } | null;
  Created_Time: string;
  Modified_Time: string;
}

const DAY = 86_400_000;

describe.each(ENGINES)('views on %s', (engine) => {
  let t: TestServer;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  const caseIds: Record<string, string> = {};

  const as = (who: string) => ({ token: tokens[who] });
  const call = (who: string, method: string, route: string, json?: unknown) =>
    t.call(method, route, { ...as(who), ...(json === undefined ? {} : { json }) });
  const setCase = (key: string, patch: { owner_id?: null; modified_time?: string; created_time?: string }) =>
    t.server.storage.db.updateTable('cases').set(patch).where('id', '=', caseIds[key]).execute();

  beforeAll(async () => {
    t = await startTestServer(engine);
    for (const [who, role] of [
      ['ala', 'agent'],
      ['bob', 'agent'],
      ['admin', 'admin'],
    ] as [string, Role][]) {
      tokens[who] = await t.token(role, `${who}@example.com`);
      ids[who] = (await call(who, 'GET', '/crm/v6/users?type=CurrentUser')).body.users[0].id;
    }
    const cases: [string, Record<string, unknown>][] = [
      ['high', { Priority: 'High', Owner: ids.ala }],
      ['low', { Priority: 'Low', Owner: ids.ala }],
      ['none', { Owner: ids.ala }],
      ['medium', { Priority: 'Medium', Owner: ids.ala }],
      ['hold', { Priority: 'High', Status: 'On Hold', Owner: ids.ala }],
      ['closedNew', { Status: 'Closed', Owner: ids.ala }],
      ['closedOld', { Status: 'Closed', Owner: ids.bob }],
      ['escalated', { Status: 'Escalated', Owner: ids.bob }],
      ['bobs', { Priority: 'High', Owner: ids.bob }],
      ['nobody', { Priority: 'Medium', Owner: ids.bob }],
    ];
    for (const [key, fields] of cases) {
      const r = await call('admin', 'POST', '/crm/v6/Cases', {
        data: [{ Subject: `Case ${key}`, Case_Origin: 'Phone', ...fields }],
      });
      expect(r.status).toBe(201);
      caseIds[key] = r.body.data[0].details.id;
    }
    // Two inbound emails on "high": the later one is the last customer message.
    const older = message(`older-${engine}`, { sent_time: '2026-11-20T09:00:00Z', item_id: 'AAMk-older' });
    const newer = message(`newer-${engine}`, {
      sent_time: '2026-11-21T10:30:00Z',
      subject: 'Still broken',
      body_text: 'It shows E-43 now.',
      item_id: 'AAMk-newer',
      mailbox: 'ala@example.com',
    });
    expect(
      (await call('ala', 'POST', `/crm/v6/Cases/${caseIds.high}/Emails`, { data: [older, newer] })).status,
    ).toBe(201);
    const now = Date.now();
    await setCase('nobody', { owner_id: null });
    await setCase('closedOld', { modified_time: new Date(now - 10 * DAY).toISOString() });
    await setCase('closedNew', { modified_time: new Date(now - 2 * DAY).toISOString() });
    // Ages, so "oldest first" is decided by the data, not by insertion order.
    await setCase('low', { created_time: new Date(now - 5 * DAY).toISOString() });
    await setCase('none', { created_time: new Date(now - 9 * DAY).toISOString() });
    await setCase('high', { modified_time: new Date(now - 5 * 3_600_000).toISOString() });
  });
  afterAll(() => t.close());

  async function allCases(): Promise<Rec[]> {
    const r = await call('admin', 'GET', '/crm/v6/Cases?per_page=200');
    return r.body.data as Rec[];
  }
  const listIds = async (who: string, cvid: string, extra = '') => {
    const r = await call(who, 'GET', `/crm/v6/Cases?cvid=${cvid}&per_page=200${extra}`);
    expect([200, 204]).toContain(r.status);
    return r.status === 204 ? [] : (r.body.data as Rec[]).map((c) => c.id);
  };
  const sorted = (list: string[]) => [...list].sort();

  it('lists the built-in views with stable ids, Zoho-shaped', async () => {
    const r = await call('ala', 'GET', '/crm/v6/settings/custom_views?module=Cases');
    expect(r.status).toBe(200);
    const builtIn = r.body.custom_views.filter((v: { system_defined: boolean }) => v.system_defined);
    expect(builtIn.map((v: { id: string; name: string }) => [v.id, v.name])).toEqual([
      [BUILT_IN_VIEW_IDS.my_open, 'My open cases'],
      [BUILT_IN_VIEW_IDS.unassigned, 'Unassigned'],
      [BUILT_IN_VIEW_IDS.escalated, 'Escalated'],
      [BUILT_IN_VIEW_IDS.waiting, 'Waiting on customer'],
      [BUILT_IN_VIEW_IDS.recently_closed, 'Recently closed'],
      [BUILT_IN_VIEW_IDS.all_open, 'All open cases'],
    ]);
    expect(builtIn[2]).toMatchObject({
      display_value: 'Escalated',
      system_name: 'ESCALATEDCASES',
      category: 'public_views',
      editable: false,
      criteria: { comparator: 'equal', field: { api_name: 'Status' }, value: 'Escalated' },
    });
    expect(r.body.info).toMatchObject({
      count: r.body.custom_views.length,
      default: BUILT_IN_VIEW_IDS.my_open,
    });
  });

  it('each built-in view returns exactly the cases a recount finds', async () => {
    const all = await allCases();
    const now = Date.now();
    const open = (c: Rec) => c.Status !== 'Closed';
    const expected: Record<keyof typeof BUILT_IN_VIEW_IDS, (c: Rec) => boolean> = {
      my_open: (c) => c.Owner?.id === ids.ala && open(c),
      unassigned: (c) => c.Owner === null && open(c),
      escalated: (c) => c.Status === 'Escalated',
      waiting: (c) => c.Status === 'On Hold',
      recently_closed: (c) => c.Status === 'Closed' && now - Date.parse(c.Modified_Time) <= 7 * DAY,
      all_open: open,
    };
    for (const [key, keep] of Object.entries(expected)) {
      const want = sorted(all.filter(keep).map((c) => c.id));
      expect(want.length).toBeGreaterThan(0);
      const got = sorted(await listIds('ala', BUILT_IN_VIEW_IDS[key as keyof typeof BUILT_IN_VIEW_IDS]));
      expect([key, got]).toEqual([key, want]);
    }
    // "My" is the caller: Bob's My open cases are his.
    expect(sorted(await listIds('bob', BUILT_IN_VIEW_IDS.my_open))).toEqual(
      sorted(all.filter((c) => c.Owner?.id === ids.bob && open(c)).map((c) => c.id)),
    );
  });

  it('the queue orders My open cases by priority, then oldest first, with the last customer message', async () => {
    const r = await call('ala', 'GET', `/crm/v6/Cases/actions/queue?cvid=${BUILT_IN_VIEW_IDS.my_open}`);
    expect(r.status).toBe(200);
    const rank = (p: string | null) => ({ High: 0, Medium: 1, Low: 2 })[p ?? ''] ?? 3;
    const mine = (await allCases()).filter((c) => c.Owner?.id === ids.ala && c.Status !== 'Closed');
    mine.sort((a, b) => rank(a.Priority) - rank(b.Priority) || a.Created_Time.localeCompare(b.Created_Time));
    expect(r.body.data.map((row: { case: Rec }) => row.case.id)).toEqual(mine.map((c) => c.id));
    const high = r.body.data.find((row: { case: Rec }) => row.case.id === caseIds.high);
    expect(high.last_customer_message).toMatchObject({
      time: '2026-11-21T10:30:00.000Z',
      subject: 'Still broken',
      snippet: 'It shows E-43 now.',
      item_id: 'AAMk-newer',
      mailbox: 'ala@example.com',
    });
    const low = r.body.data.find((row: { case: Rec }) => row.case.id === caseIds.low);
    expect(low.last_customer_message).toBeNull();
    expect(low.escalation).toBeNull(); // no rule is active yet
  });

  it('the queue says when the active escalation rule fires, and which rule', async () => {
    const rule = await call('admin', 'POST', '/crm/v6/settings/escalation_rules', {
      data: [
        {
          name: 'High in 4 h',
          criteria: '(Priority:equals:High)',
          hours: 4,
          to_owners_manager: true,
          active: true,
        },
      ],
    });
    expect(rule.status).toBe(201);
    const r = await call('ala', 'GET', `/crm/v6/Cases/actions/queue?cvid=${BUILT_IN_VIEW_IDS.my_open}`);
    const byId = new Map<string, { case: Rec; escalation: unknown }>(
      r.body.data.map((row: { case: Rec }) => [row.case.id, row]),
    );
    const high = byId.get(caseIds.high)!;
    expect(high.escalation).toEqual({
      rule: { id: rule.body.data[0].details.id, name: 'High in 4 h', hours: 4 },
      due_time: new Date(Date.parse(high.case.Modified_Time) + 4 * 3_600_000).toISOString(),
      overdue: true, // last changed 5 hours ago
    });
    const hold = byId.get(caseIds.hold)!;
    expect(hold.escalation).toMatchObject({ overdue: false });
    expect(byId.get(caseIds.low)!.escalation).toBeNull(); // the rule's criteria do not match Low
    await call('admin', 'PUT', `/crm/v6/settings/escalation_rules/${rule.body.data[0].details.id}`, {
      data: [{ active: false }],
    });
  });

  describe('custom views', () => {
    const create = (who: string, view: Record<string, unknown>) =>
      call(who, 'POST', '/crm/v6/settings/custom_views?module=Cases', { custom_views: [view] });
    const names = async (who: string) =>
      (await call(who, 'GET', '/crm/v6/settings/custom_views?module=Cases')).body.custom_views
        .filter((v: { system_defined: boolean }) => !v.system_defined)
        .map((v: { name: string }) => v.name);

    it('applies criteria and sort through cvid; an explicit sort_by wins', async () => {
      const made = await create('ala', {
        name: 'New by number',
        criteria: '(Status:equals:New)and(Priority:in:High,Medium)',
        sort_by: { api_name: 'Case_Number' },
        sort_order: 'asc',
      });
      expect(made.status).toBe(201);
      const id = made.body.custom_views[0].details.id;
      const want = (await allCases())
        .filter((c) => c.Status === 'New' && ['High', 'Medium'].includes(c.Priority ?? ''))
        .sort((a, b) => a.Case_Number.localeCompare(b.Case_Number))
        .map((c) => c.id);
      expect(want.length).toBeGreaterThan(1);
      const list = await call('ala', 'GET', `/crm/v6/Cases?cvid=${id}`);
      expect(list.body.data.map((c: Rec) => c.id)).toEqual(want);
      expect(list.body.info).toMatchObject({ sort_by: 'Case_Number', sort_order: 'asc' });
      expect(await listIds('ala', id, '&sort_by=Case_Number&sort_order=desc')).toEqual([...want].reverse());
      const queue = await call('ala', 'GET', `/crm/v6/Cases/actions/queue?cvid=${id}`);
      expect(queue.body.data.map((row: { case: Rec }) => row.case.id)).toEqual(want);
      const view = (await call('ala', 'GET', `/crm/v6/settings/custom_views/${id}?module=Cases`)).body
        .custom_views[0];
      expect(view).toMatchObject({
        name: 'New by number',
        category: 'created_by_me',
        access_type: 'only_to_me',
        sort_by: { api_name: 'Case_Number' },
        sort_order: 'asc',
        search_criteria: '(Status:equals:New)and(Priority:in:High,Medium)',
        criteria: {
          group_operator: 'and',
          group: [
            { comparator: 'equal', field: { api_name: 'Status' }, value: 'New' },
            { comparator: 'in', field: { api_name: 'Priority' }, value: ['High', 'Medium'] },
          ],
        },
        editable: true,
        created_by: { id: ids.ala },
      });
    });

    it('a private view is its owner’s alone; only an admin shares, and only admins change a shared view', async () => {
      const mine = (await create('ala', { name: 'Ala private', criteria: '(Priority:equals:Low)' })).body
        .custom_views[0].details.id;
      expect(await names('ala')).toContain('Ala private');
      expect(await names('bob')).not.toContain('Ala private');
      expect((await call('bob', 'GET', `/crm/v6/settings/custom_views/${mine}?module=Cases`)).status).toBe(
        404,
      );
      const borrowed = await call('bob', 'GET', `/crm/v6/Cases?cvid=${mine}`);
      expect(borrowed.status).toBe(400);
      expect(borrowed.text).toContain('cvid');
      expect((await call('bob', 'GET', `/crm/v6/Cases/actions/queue?cvid=${mine}`)).status).toBe(400);
      const body = { custom_views: [{ name: 'hijacked' }] };
      expect(
        (await call('bob', 'PUT', `/crm/v6/settings/custom_views/${mine}?module=Cases`, body)).status,
      ).toBe(404);
      expect((await call('bob', 'DELETE', `/crm/v6/settings/custom_views/${mine}?module=Cases`)).status).toBe(
        404,
      );

      const share = await create('ala', { name: 'Team view', access_type: 'public' });
      expect(share.status).toBe(403);
      expect(share.text).toContain('access_type');
      expect(await names('ala')).not.toContain('Team view'); // nothing written
      const upgrade = { custom_views: [{ name: 'Ala private', access_type: 'public' }] };
      expect(
        (await call('ala', 'PUT', `/crm/v6/settings/custom_views/${mine}?module=Cases`, upgrade)).status,
      ).toBe(403);

      const team = await create('admin', {
        name: 'Team view',
        criteria: '(Status:equals:On Hold)',
        access_type: 'public',
      });
      expect(team.status).toBe(201);
      const teamId = team.body.custom_views[0].details.id;
      for (const who of ['ala', 'bob']) {
        const seen = (await call(who, 'GET', `/crm/v6/settings/custom_views/${teamId}?module=Cases`)).body
          .custom_views[0];
        expect(seen).toMatchObject({ category: 'public_views', access_type: 'public', editable: false });
        expect(await listIds(who, teamId)).toEqual([caseIds.hold]);
      }
      const rename = { custom_views: [{ name: 'Renamed', access_type: 'public' }] };
      expect(
        (await call('ala', 'PUT', `/crm/v6/settings/custom_views/${teamId}?module=Cases`, rename)).status,
      ).toBe(403);
      expect(
        (await call('bob', 'DELETE', `/crm/v6/settings/custom_views/${teamId}?module=Cases`)).status,
      ).toBe(403);
      expect(
        (await call('admin', 'PUT', `/crm/v6/settings/custom_views/${teamId}?module=Cases`, rename)).status,
      ).toBe(200);
      expect(await names('bob')).toContain('Renamed');
      expect(
        (await call('admin', 'DELETE', `/crm/v6/settings/custom_views/${teamId}?module=Cases`)).status,
      ).toBe(200);
      expect(await names('bob')).not.toContain('Renamed');

      const edit = {
        custom_views: [
          { name: 'Ala low', criteria: '(Priority:equals:Low)', sort_by: { api_name: 'Subject' } },
        ],
      };
      expect(
        (await call('ala', 'PUT', `/crm/v6/settings/custom_views/${mine}?module=Cases`, edit)).status,
      ).toBe(200);
      const after = (await call('ala', 'GET', `/crm/v6/settings/custom_views/${mine}?module=Cases`)).body
        .custom_views[0];
      expect(after).toMatchObject({ name: 'Ala low', sort_by: { api_name: 'Subject' }, sort_order: 'desc' });
      // An update names only what changes (Zoho's PUT); the rest stays, and the whole is checked again.
      const flip = { custom_views: [{ sort_order: 'asc' }] };
      expect(
        (await call('ala', 'PUT', `/crm/v6/settings/custom_views/${mine}?module=Cases`, flip)).status,
      ).toBe(200);
      const flipped = (await call('ala', 'GET', `/crm/v6/settings/custom_views/${mine}?module=Cases`)).body
        .custom_views[0];
      expect(flipped).toMatchObject({
        name: 'Ala low',
        search_criteria: '(Priority:equals:Low)',
        sort_by: { api_name: 'Subject' },
        sort_order: 'asc',
        access_type: 'only_to_me',
      });
      const broken = { custom_views: [{ criteria: '(Priority:equals' }] };
      const refused = await call('ala', 'PUT', `/crm/v6/settings/custom_views/${mine}?module=Cases`, broken);
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('criteria');
      expect((await call('ala', 'DELETE', `/crm/v6/settings/custom_views/${mine}?module=Cases`)).status).toBe(
        200,
      );
      expect((await call('ala', 'GET', `/crm/v6/settings/custom_views/${mine}?module=Cases`)).status).toBe(
        404,
      );
      expect((await call('ala', 'GET', `/crm/v6/Cases?cvid=${mine}`)).status).toBe(400);
    });

    it('built-in views cannot be changed or deleted', async () => {
      const id = BUILT_IN_VIEW_IDS.escalated;
      const body = { custom_views: [{ name: 'Mine now' }] };
      expect(
        (await call('admin', 'PUT', `/crm/v6/settings/custom_views/${id}?module=Cases`, body)).status,
      ).toBe(403);
      expect((await call('admin', 'DELETE', `/crm/v6/settings/custom_views/${id}?module=Cases`)).status).toBe(
        403,
      );
    });

    it('refuses hostile input with a 4xx naming the field, never a 5xx, never a partial write', async () => {
      const before = await names('ala');
      const bad: [unknown, string][] = [
        [{ custom_views: [{ name: 'x', criteria: '(Status:equals' }] }, 'criteria'],
        [{ custom_views: [{ name: 'x', criteria: '(Nope:equals:1)' }] }, 'criteria'],
        [{ custom_views: [{ name: 'x', criteria: '(Owner:equals:not-an-id)' }] }, 'criteria'],
        [{ custom_views: [{ name: 'x', criteria: { comparator: 'equal' } }] }, 'criteria'],
        [{ custom_views: [{ name: 'x', sort_by: { api_name: 'Description' } }] }, 'sort_by'],
        [{ custom_views: [{ name: 'x', sort_by: 'Subject' }] }, 'sort_by'],
        [{ custom_views: [{ name: 'x', sort_order: 'sideways' }] }, 'sort_order'],
        [{ custom_views: [{ name: 'x', fields: 'Subject' }] }, 'fields'],
        [{ custom_views: [{ name: 'x', fields: [{ api_name: 'constructor' }] }] }, 'fields'],
        [{ custom_views: [{ name: { $gt: '' } }] }, 'name'],
        [{ custom_views: [{ name: '   ' }] }, 'name'],
        [{ custom_views: { name: 'x' } }, 'custom_views'],
        [{ custom_views: [] }, 'custom_views'],
        [[{ name: 'x' }], 'body'],
      ];
      for (const [json, field] of bad) {
        const r = await call('ala', 'POST', '/crm/v6/settings/custom_views?module=Cases', json);
        expect([JSON.stringify(json), r.status]).toEqual([JSON.stringify(json), 400]);
        expect(r.text).toContain(field);
      }
      for (const query of [
        'cvid=constructor',
        'cvid=__proto__',
        'cvid=1e3',
        'cvid=99999999',
        'cvid=1&cvid=2',
        'cvid=',
      ]) {
        for (const route of ['/crm/v6/Cases', '/crm/v6/Cases/actions/queue']) {
          const r = await call('ala', 'GET', `${route}?${query}`);
          expect([route, query, r.status]).toEqual([route, query, 400]);
          expect(r.text).toContain('cvid');
        }
      }
      for (const [query, field] of [
        ['page=0', 'page'],
        ['page=abc', 'page'],
        ['per_page=1000', 'per_page'],
        ['per_page=-1', 'per_page'],
      ]) {
        const r = await call(
          'ala',
          'GET',
          `/crm/v6/Cases/actions/queue?cvid=${BUILT_IN_VIEW_IDS.my_open}&${query}`,
        );
        expect([query, r.status]).toEqual([query, 400]);
        expect(r.text).toContain(field);
      }
      for (const id of ['constructor', '0', '99999999', `${'9'.repeat(60)}`]) {
        const route = `/crm/v6/settings/custom_views/${id}?module=Cases`;
        const put = await call('ala', 'PUT', route, { custom_views: [{ name: 'x' }] });
        const del = await call('ala', 'DELETE', route);
        expect([id, put.status, del.status]).toEqual([id, expect.any(Number), expect.any(Number)]);
        for (const r of [put, del]) {
          expect(r.status).toBeGreaterThanOrEqual(400);
          expect(r.status).toBeLessThan(500);
        }
      }
      const nullBody = await t.call('POST', '/crm/v6/settings/custom_views?module=Cases', {
        ...as('ala'),
        body: 'null',
        headers: { 'content-type': 'application/json' },
      });
      expect(nullBody.status).toBe(400);
      const noCvid = await call('ala', 'GET', '/crm/v6/Cases/actions/queue');
      expect(noCvid.status).toBe(400);
      expect(noCvid.text).toContain('cvid');
      for (const route of ['/crm/v6/settings/custom_views', '/crm/v6/settings/custom_views?module=Leads']) {
        const r = await call('ala', 'GET', route);
        expect([route, r.status]).toEqual([route, 400]);
        expect(r.text).toContain('module');
      }
      // A property the schema does not list is refused with its name (the schema removes nothing), never obeyed:
      // no view is made, and none becomes Bob's or shared.
      const planted = await create('ala', { name: 'planted', owner_id: ids.bob, shared: 1 });
      expect(planted.status).toBe(400);
      expect(planted.text).toContain('owner_id');
      expect(await names('bob')).not.toContain('planted');
      expect(await names('ala')).not.toContain('planted');
      const unknown = await call('ala', 'GET', '/crm/v6/settings/custom_views/constructor?module=Cases');
      expect(unknown.status).toBe(404);
      expect(await names('ala')).toEqual(before);
    });
  });
});
