import { caseFields } from '../../src/shared/case-fields';
import { runEscalation } from '../../src/server/rules/escalation.service';
import { ENGINES, caseFromMessage, message, startTestServer, type TestServer } from './harness';

describe.each(ENGINES)('following a case up on %s', (engine) => {
  let t: TestServer;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestServer(engine);
    // Make the users exist (first sight of their token) and learn their ids.
    for (const [role, email] of [
      ['agent', 'agent@example.com'],
      ['manager', 'boss@example.com'],
      ['admin', 'admin@example.com'],
      ['agent', 'ola@example.com'],
      ['agent', 'piotr@example.com'],
    ] as const) {
      const token = await t.token(role, email);
      ids[email] = (await t.call('GET', '/crm/v6/users?type=CurrentUser', { token })).body.users[0].id;
    }
  });
  afterAll(() => t.close());

  const newCase = async (record: Record<string, unknown> = {}, role: 'agent' | 'admin' = 'agent') =>
    (
      await t.call('POST', '/crm/v6/Cases', {
        role,
        json: { data: [{ Subject: 'Router reboots', Case_Origin: 'Phone', ...record }] },
      })
    ).body.data[0].details;
  const get = async (id: string) => (await t.call('GET', `/crm/v6/Cases/${id}`)).body.data[0];

  it('records every change in a timeline: who, when, old and new', async () => {
    const { id } = await newCase({ Priority: 'Low' });
    const boss = await t.token('manager', 'boss@example.com');
    await t.call('PUT', `/crm/v6/Cases/${id}`, {
      token: boss,
      json: { data: [{ Priority: 'High', Status: 'On Hold' }] },
    });
    const r = await t.call('GET', `/crm/v6/Cases/${id}/__timeline`);
    expect(r.status).toBe(200);
    const [updated, created] = r.body.__timeline;
    expect(updated).toMatchObject({ action: 'updated', done_by: { id: ids['boss@example.com'] } });
    expect(updated.field_history).toEqual(
      expect.arrayContaining([
        { api_name: 'Priority', _value: { old: 'Low', new: 'High' } },
        { api_name: 'Status', _value: { old: 'New', new: 'On Hold' } },
      ]),
    );
    expect(created).toMatchObject({ action: 'created', done_by: { id: ids['agent@example.com'] } });
  });

  it('refuses a stale $version with 409 and keeps the first writer’s change', async () => {
    const { id } = await newCase();
    const version = (await get(id)).$version;
    const first = await t.call('PUT', `/crm/v6/Cases/${id}`, {
      json: { data: [{ Status: 'On Hold', $version: version }] },
    });
    expect(first.status).toBe(200);
    expect(first.body.data[0].details.$version).toBe(version + 1);
    const second = await t.call('PUT', `/crm/v6/Cases/${id}`, {
      role: 'manager',
      json: { data: [{ Status: 'Closed', $version: version }] },
    });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'CONFLICT', details: { current_version: version + 1 } });
    expect((await get(id)).Status).toBe('On Hold');
  });

  it('adds notes and activities, lists open and closed ones, with limits enforced', async () => {
    const { id } = await newCase();
    expect(
      (
        await t.call('POST', `/crm/v6/Cases/${id}/Notes`, {
          json: { data: [{ Note_Title: 'Call', Note_Content: 'Customer will reboot tonight' }] },
        })
      ).status,
    ).toBe(201);
    const tooLong = await t.call('POST', `/crm/v6/Cases/${id}/Notes`, {
      json: { data: [{ Note_Content: 'x'.repeat(32_001) }] },
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.data[0].details.api_name).toBe('Note_Content');
    const notes = await t.call('GET', `/crm/v6/Cases/${id}/Notes`);
    expect(notes.body.data).toEqual([
      expect.objectContaining({
        Note_Title: 'Call',
        Note_Content: 'Customer will reboot tonight',
        Created_By: { id: ids['agent@example.com'], name: 'agent@example.com' },
      }),
    ]);

    const added = await t.call('POST', `/crm/v6/Cases/${id}/Activities`, {
      json: {
        data: [
          { Activity_Type: 'Tasks', Subject: 'Check logs', Due_Date: '2026-12-01' },
          { Activity_Type: 'Calls', Subject: 'Call back', Due_Date: '2026-11-30T10:00:00Z' },
        ],
      },
    });
    expect(added.status).toBe(201);
    const open = await t.call('GET', `/crm/v6/Cases/${id}/Open_Activities`);
    expect(open.body.data.map((a: { Subject: string }) => a.Subject)).toEqual(['Call back', 'Check logs']);
    const taskId = open.body.data[1].id;
    expect((await t.call('POST', `/crm/v6/Activities/${taskId}/actions/complete`)).status).toBe(200);
    expect((await t.call('POST', `/crm/v6/Activities/${taskId}/actions/complete`)).status).toBe(400);
    const closed = await t.call('GET', `/crm/v6/Cases/${id}/Closed_Activities`);
    expect(closed.body.data).toEqual([
      expect.objectContaining({ Subject: 'Check logs', Status: 'Completed' }),
    ]);
    const bad = await t.call('POST', `/crm/v6/Cases/${id}/Activities`, {
      json: { data: [{ Activity_Type: 'Lunch', Subject: 'x', Due_Date: 'soon' }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.data[0].details.errors.map((e: { api_name: string }) => e.api_name)).toEqual([
      'Activity_Type',
      'Due_Date',
    ]);
    const actions = (await t.call('GET', `/crm/v6/Cases/${id}/__timeline`)).body.__timeline.map(
      (e: { action: string }) => e.action,
    );
    expect(actions).toEqual([
      'activity_completed',
      'activity_added',
      'activity_added',
      'note_added',
      'created',
    ]);
  });

  it('pages a case’s notes and activities the Zoho way, so the 201st is reachable', async () => {
    // Before: both lists stopped at 200 with no info, and page/per_page were ignored.
    const { id } = await newCase();
    for (let i = 0; i < 3; i++) {
      const notes = Array.from({ length: 67 }, (_, j) => ({ Note_Content: `note ${i * 67 + j + 1}` }));
      expect((await t.call('POST', `/crm/v6/Cases/${id}/Notes`, { json: { data: notes } })).status).toBe(201);
    }
    const first = await t.call('GET', `/crm/v6/Cases/${id}/Notes`);
    expect(first.body.info).toEqual({ page: 1, per_page: 200, count: 200, more_records: true });
    const last = await t.call('GET', `/crm/v6/Cases/${id}/Notes?page=2`);
    expect(last.body.data.map((n: { Note_Content: string }) => n.Note_Content)).toEqual(['note 1']);
    expect(last.body.info).toEqual({ page: 2, per_page: 200, count: 1, more_records: false });
    expect((await t.call('GET', `/crm/v6/Cases/${id}/Notes?page=3`)).status).toBe(204);

    const tasks = ['A', 'B', 'C'].map((Subject, i) => ({
      Activity_Type: 'Tasks',
      Subject,
      Due_Date: `2026-12-0${i + 1}`,
    }));
    await t.call('POST', `/crm/v6/Cases/${id}/Activities`, { json: { data: tasks } });
    const second = await t.call('GET', `/crm/v6/Cases/${id}/Open_Activities?page=2&per_page=2`);
    expect(second.body.data.map((a: { Subject: string }) => a.Subject)).toEqual(['C']);
    expect(second.body.info).toMatchObject({ page: 2, per_page: 2, more_records: false });
  });

  it('publishes a case’s Solution as a Solution record that agents can search', async () => {
    const { id, Case_Number } = await newCase({
      Subject: 'VPN drops every hour',
      Description: 'Since Monday the VPN disconnects.',
    });
    const early = await t.call('POST', `/crm/v6/Cases/${id}/actions/publish_solution`);
    expect(early.status).toBe(400);
    expect(early.body.details.api_name).toBe('Solution');
    await t.call('PUT', `/crm/v6/Cases/${id}`, {
      json: { data: [{ Solution: 'Set the keep-alive to 30 s in the VPN profile.', Status: 'Closed' }] },
    });
    const published = await t.call('POST', `/crm/v6/Cases/${id}/actions/publish_solution`);
    expect(published.status).toBe(201);
    const found = await t.call(
      'GET',
      `/crm/v6/Solutions/search?word=${encodeURIComponent('keep-alive')}&status=Published`,
    );
    expect(found.body.data[0]).toMatchObject({
      Solution_Title: 'VPN drops every hour',
      Question: 'Since Monday the VPN disconnects.',
      Answer: 'Set the keep-alive to 30 s in the VPN profile.',
      Status: 'Published',
      Cases: [{ id, Case_Number, Subject: 'VPN drops every hour' }],
    });
    expect((await t.call('GET', `/crm/v6/Cases/${id}/Solutions`)).body.data).toHaveLength(1);
    expect((await t.call('GET', '/crm/v6/Solutions/search?word=nothing-like-this')).status).toBe(204);
    const draft = await t.call('POST', '/crm/v6/Solutions', {
      json: { data: [{ Solution_Title: 'Draft only', Answer: 'tbd' }] },
    });
    expect(draft.status).toBe(201);
    expect((await t.call('GET', '/crm/v6/Solutions/search?word=Draft&status=Published')).status).toBe(204);
    expect(
      (await t.call('POST', '/crm/v6/Solutions', { json: { data: [{ Solution_Title: 'x' }] } })).body.data[0]
        .details.api_name,
    ).toBe('Answer');
  });

  it('clones a case and records where it came from', async () => {
    const { id } = await newCase({ Priority: 'High' });
    const clone = await t.call('POST', `/crm/v6/Cases/${id}/actions/clone`);
    const timeline = (await t.call('GET', `/crm/v6/Cases/${clone.body.data[0].details.id}/__timeline`)).body
      .__timeline;
    expect(timeline[timeline.length - 1].action).toBe('cloned');
  });

  it('unlinks and moves a linked email, in both cases’ history', async () => {
    const m = message(`move-${engine}`);
    const from = (
      await t.call('POST', '/crm/v6/Cases/actions/from_email', {
        json: { data: [{ case: caseFromMessage(m), message: m }] },
      })
    ).body.data[0].details.id;
    const to = (await newCase()).id;
    const linkId = (await t.call('GET', `/crm/v6/Cases/${from}/Emails`)).body.data[0].id;
    const moved = await t.call('POST', `/crm/v6/Cases/${from}/Emails/${linkId}/actions/move`, {
      json: { case_id: to },
    });
    expect(moved.status).toBe(200);
    expect((await t.call('GET', `/crm/v6/Cases/${from}/Emails`)).status).toBe(204);
    const now = await t.call(
      'GET',
      `/crm/v6/Emails/cases?internet_message_id=${encodeURIComponent(m.internet_message_id)}`,
    );
    expect(now.body.data.map((c: { id: string }) => c.id)).toEqual([to]);
    const newLink = (await t.call('GET', `/crm/v6/Cases/${to}/Emails`)).body.data[0].id;
    expect((await t.call('DELETE', `/crm/v6/Cases/${to}/Emails/${newLink}`)).status).toBe(200);
    expect((await t.call('DELETE', `/crm/v6/Cases/${to}/Emails/${newLink}`)).status).toBe(404);
    expect((await t.call('GET', `/crm/v6/Cases/${from}/__timeline`)).body.__timeline[0].action).toBe(
      'email_unlinked',
    );
    expect(
      (await t.call('GET', `/crm/v6/Cases/${to}/__timeline`)).body.__timeline
        .map((e: { action: string }) => e.action)
        .slice(0, 2),
    ).toEqual(['email_unlinked', 'email_linked']);
  });

  describe('rules (admin only)', () => {
    it('assignment rules: first matching rule wins; round robin takes turns; an explicit owner stays', async () => {
      expect(
        (
          await t.call('POST', '/crm/v6/settings/assignment_rules', {
            role: 'agent',
            json: { data: [{ name: 'x', owner: ids['ola@example.com'] }] },
          })
        ).status,
      ).toBe(403);
      const vip = await t.call('POST', '/crm/v6/settings/assignment_rules', {
        role: 'admin',
        json: {
          data: [
            {
              name: 'VIP',
              position: 1,
              criteria: '(Priority:equals:High)',
              owner: { id: ids['boss@example.com'] },
            },
          ],
        },
      });
      expect(vip.status).toBe(201);
      const rr = await t.call('POST', '/crm/v6/settings/assignment_rules', {
        role: 'admin',
        json: {
          data: [
            {
              name: 'Email intake',
              position: 2,
              criteria: '(Case_Origin:equals:Email)',
              round_robin_users: [ids['ola@example.com'], ids['piotr@example.com']],
            },
          ],
        },
      });
      expect(rr.status).toBe(201);
      const bad = await t.call('POST', '/crm/v6/settings/assignment_rules', {
        role: 'admin',
        json: { data: [{ name: 'bad', criteria: '(Description:equals:x)', owner: ids['ola@example.com'] }] },
      });
      expect([bad.status, bad.body.details.api_name]).toEqual([400, 'criteria']);

      const owners = [];
      for (let i = 0; i < 4; i++) {
        const m = message(`rr-${engine}-${i}`);
        const id = (
          await t.call('POST', '/crm/v6/Cases/actions/from_email', {
            json: { data: [{ case: caseFromMessage(m), message: m }] },
          })
        ).body.data[0].details.id;
        owners.push((await get(id)).Owner.id);
      }
      expect(owners).toEqual([
        ids['ola@example.com'],
        ids['piotr@example.com'],
        ids['ola@example.com'],
        ids['piotr@example.com'],
      ]);
      expect(
        (await get((await newCase({ Priority: 'High', Case_Origin: 'Email', Email: 'x@example.com' })).id))
          .Owner.id,
      ).toBe(ids['boss@example.com']);
      expect((await get((await newCase({ Priority: 'Low' })).id)).Owner.id).toBe(ids['agent@example.com']);
      expect(
        (await get((await newCase({ Priority: 'High', Owner: ids['piotr@example.com'] })).id)).Owner.id,
      ).toBe(ids['piotr@example.com']);
      const rules = (await t.call('GET', '/crm/v6/settings/assignment_rules', { role: 'admin' })).body
        .assignment_rules;
      for (const rule of rules)
        await t.call('DELETE', `/crm/v6/settings/assignment_rules/${rule.id}`, { role: 'admin' });
    });

    it('escalation rules: one active at a time; cases not acted on in time escalate to the owner’s manager', async () => {
      await t.call('PUT', `/crm/v6/users/${ids['ola@example.com']}`, {
        role: 'admin',
        json: { data: [{ manager: { id: ids['boss@example.com'] } }] },
      });
      const users = (await t.call('GET', '/crm/v6/users?type=ActiveUsers')).body.users as {
        id: string;
        manager: { id: string; name: string } | null;
      }[];
      expect(users.find((u) => u.id === ids['ola@example.com'])?.manager).toEqual({
        id: ids['boss@example.com'],
        name: expect.any(String),
      });
      expect(users.find((u) => u.id === ids['boss@example.com'])?.manager).toBeNull();
      // Only an admin sets managers: an agent's attempt is refused and changes nothing.
      const refused = await t.call('PUT', `/crm/v6/users/${ids['ola@example.com']}`, {
        role: 'agent',
        json: { data: [{ manager: null }] },
      });
      expect(refused.status).toBe(403);
      const after = (await t.call('GET', '/crm/v6/users?type=ActiveUsers')).body.users as typeof users;
      expect(after.find((u) => u.id === ids['ola@example.com'])?.manager?.id).toBe(ids['boss@example.com']);
      const first = await t.call('POST', '/crm/v6/settings/escalation_rules', {
        role: 'admin',
        json: {
          data: [
            {
              name: 'High in 4 h',
              criteria: '(Priority:equals:High)',
              hours: 4,
              to_owners_manager: true,
              active: true,
            },
          ],
        },
      });
      const second = await t.call('POST', '/crm/v6/settings/escalation_rules', {
        role: 'admin',
        json: { data: [{ name: 'Any in 48 h', hours: 48, escalate_to: ids['boss@example.com'] }] },
      });
      expect([first.status, second.status]).toEqual([201, 201]);
      await t.call('PUT', `/crm/v6/settings/escalation_rules/${second.body.data[0].details.id}`, {
        role: 'admin',
        json: { data: [{ active: true }] },
      });
      await t.call('PUT', `/crm/v6/settings/escalation_rules/${first.body.data[0].details.id}`, {
        role: 'admin',
        json: { data: [{ active: true }] },
      });
      const rules = (await t.call('GET', '/crm/v6/settings/escalation_rules', { role: 'admin' })).body
        .escalation_rules;
      expect(rules.map((r: { name: string; active: boolean }) => [r.name, r.active])).toEqual([
        ['High in 4 h', true],
        ['Any in 48 h', false],
      ]);

      const high = (await newCase({ Priority: 'High', Owner: ids['ola@example.com'] })).id;
      const low = (await newCase({ Priority: 'Low', Owner: ids['ola@example.com'] })).id;
      const fields = caseFields();
      expect(await runEscalation(t.server.storage, fields, new Date(Date.now() + 3 * 3600_000))).toEqual({
        escalated: 0,
        locked: false,
      });
      const pass = await runEscalation(t.server.storage, fields, new Date(Date.now() + 5 * 3600_000));
      expect(pass.escalated).toBeGreaterThanOrEqual(1);
      const escalated = await get(high);
      expect(escalated).toMatchObject({ Status: 'Escalated', Owner: { id: ids['boss@example.com'] } });
      expect((await get(low)).Status).toBe('New');
      const entry = (await t.call('GET', `/crm/v6/Cases/${high}/__timeline`)).body.__timeline[0];
      expect(entry).toMatchObject({ action: 'escalated', done_by: null });
      expect(entry.field_history).toEqual(
        expect.arrayContaining([{ api_name: 'Status', _value: { old: 'New', new: 'Escalated' } }]),
      );
      // A second pass does not escalate the same case again.
      const again = await runEscalation(t.server.storage, fields, new Date(Date.now() + 6 * 3600_000));
      expect(
        (await t.call('GET', `/crm/v6/Cases/${high}/__timeline`)).body.__timeline.filter(
          (e: { action: string }) => e.action === 'escalated',
        ),
      ).toHaveLength(1);
      expect(again.locked).toBe(false);
      for (const rule of rules)
        await t.call('DELETE', `/crm/v6/settings/escalation_rules/${rule.id}`, { role: 'admin' });
    });
  });
});
