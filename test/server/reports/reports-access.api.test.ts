import { REPORT_NAMES } from '../../../src/shared/report-types';
import { ENGINES, startTestServer, type TestServer } from '../harness';
import { type History, scriptedHistory, targetOf, tokenOf } from './history';

/** Who sees what, refusals of bad filters naming the parameter, and CSV that a spreadsheet cannot run. */
describe.each(ENGINES)('report access, filters and CSV on %s', (engine) => {
  let t: TestServer;
  let h: History;
  beforeAll(async () => {
    t = await startTestServer(engine);
    h = await scriptedHistory(targetOf(t));
  });
  afterAll(() => t.close());

  const call = async (who: keyof History['people'], route: string, headers: Record<string, string> = {}) =>
    t.call('GET', route, { token: await tokenOf(t, who), headers });
  const owners = (body: any) => new Set(body.data.map((r: any) => r.owner?.id ?? null));

  it('an agent gets their own numbers and their team totals, owners collapsed', async () => {
    const r = await call('anna', '/crm/v6/reports/open_by_status_owner');
    expect(r.status).toBe(200);
    expect(r.body.info.scope).toBe('own');
    expect(owners(r.body)).toEqual(new Set([h.people.anna]));
    expect(r.body.team_totals.info.scope).toBe('team');
    expect(owners(r.body.team_totals)).toEqual(new Set([null]));
    // anna's team: boss, anna, bob (carl and the unassigned case are not in it): c3, c7, c9 (anna) + c5, c10 (bob).
    const total = r.body.team_totals.data.reduce((s: number, x: any) => s + x.count, 0);
    expect(total).toBe(5);
    const fr = await call('anna', `/crm/v6/reports/first_response?from=${h.from}&to=${h.to}`);
    expect(fr.body.data).toEqual([
      expect.objectContaining({ owner: expect.objectContaining({ id: h.people.anna }), cases: 3 }),
    ]);
    expect(fr.body.team_totals.data).toEqual([
      expect.objectContaining({ owner: null, cases: 5, median_seconds: 7200 }),
    ]);
  });

  it("an agent may not ask for another owner's numbers or another team", async () => {
    expect((await call('anna', `/crm/v6/reports/aging?owner=${h.people.bob}`)).status).toBe(403);
    expect((await call('anna', `/crm/v6/reports/aging?team=${h.people.anna}`)).status).toBe(403);
    expect(
      (await call('anna', `/crm/v6/reports/aging?owner=${h.people.anna}&team=${h.people.boss}`)).status,
    ).toBe(200);
  });

  it('a manager sees their team only; an admin sees everything', async () => {
    const boss = await call('boss', '/crm/v6/reports/open_by_status_owner');
    expect(boss.body.team_totals).toBeUndefined();
    expect(owners(boss.body)).toEqual(new Set([h.people.anna, h.people.bob]));
    expect((await call('boss', `/crm/v6/reports/aging?owner=${h.people.carl}`)).status).toBe(403);
    expect((await call('boss', `/crm/v6/reports/aging?team=${h.people.anna}`)).status).toBe(403);
    const bob = await call('boss', `/crm/v6/reports/open_by_status_owner?owner=${h.people.bob}`);
    expect(owners(bob.body)).toEqual(new Set([h.people.bob]));
    const admin = await call('admin', '/crm/v6/reports/open_by_status_owner');
    expect(owners(admin.body)).toEqual(new Set([h.people.anna, h.people.bob, h.people.carl, null]));
    const team = await call('admin', `/crm/v6/reports/open_by_status_owner?team=${h.people.boss}`);
    expect(owners(team.body)).toEqual(new Set([h.people.anna, h.people.bob]));
  });

  it('viewers are refused and every report needs a token', async () => {
    for (const name of REPORT_NAMES) {
      expect((await call('viewer', `/crm/v6/reports/${name}`)).status).toBe(403);
      expect((await t.call('GET', `/crm/v6/reports/${name}`, { token: null })).status).toBe(401);
    }
  });

  it.each([
    ['from=2026-13-01', 'from'],
    ['from=2026-02-30', 'from'],
    ['to=yesterday', 'to'],
    [`from=2026-11-10&to=2026-11-01`, 'from'],
    ['from=2020-01-01&to=2026-01-01', 'from'],
    ['owner=abc', 'owner'],
    ['owner=999999', 'owner'],
    ['team=1;drop', 'team'],
    ['interval=month', 'interval'],
    ['by=day', 'by'],
    ['format=xlsx', 'format'],
    [`origin=${'x'.repeat(200)}`, 'origin'],
  ])('a bad filter (%s) is a 400 naming %s', async (query, name) => {
    const r = await call('admin', `/crm/v6/reports/created_vs_closed?${query}`);
    expect(r.status).toBe(400);
    expect(r.text).toContain(name);
  });

  it('CSV: BOM, UTF-8, formula cells neutralised, by Accept or ?format=csv', async () => {
    const byFormat = await fetch(`${t.url}/crm/v6/reports/open_by_type_reason?format=csv`, {
      headers: { authorization: `Bearer ${await tokenOf(t, 'admin')}` },
    });
    expect(byFormat.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await byFormat.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('scope,type,case_reason,count');
    expect(text).toContain(`all,"'=HYPERLINK(""http://evil"")",'+cmd|calc,1`);
    expect(text).toContain('Zażółć gęślą jaźń');
    const origin = await call('admin', '/crm/v6/reports/open_by_origin', { accept: 'text/csv' });
    expect(origin.text).toContain("'@SUM(1+1)");
    const owner = await call('admin', '/crm/v6/reports/open_by_status_owner?format=csv');
    expect(owner.text).toContain("'-Carl =Formula");
    expect(owner.text.split('\r\n')[0]).toBe('scope,status,owner_id,owner_name,count');
  });

  it("CSV of an agent's report holds their rows and the team totals, each marked", async () => {
    const r = await call('anna', `/crm/v6/reports/first_response?from=${h.from}&to=${h.to}&format=csv`);
    const rows = r.text.replace('\uFEFF', '').trim().split('\r\n');
    expect(rows).toEqual([
      'scope,owner_id,owner_name,period,cases,median_seconds,p90_seconds',
      `own,${h.people.anna},Anna Nowak,,3,7200,14400`,
      'team,,,,5,7200,28800',
    ]);
  });

  // fetch's text() drops the byte-order mark (checked in bytes above).
  it('an empty report still has a CSV header', async () => {
    const r = await call('admin', '/crm/v6/reports/escalations?from=2025-01-01&to=2025-01-02&format=csv');
    expect(r.text).toBe('scope,period,escalations\r\nall,2024-12-30,0\r\n');
    const none = await call(
      'admin',
      `/crm/v6/reports/first_response?from=2025-01-01&to=2025-01-02&format=csv`,
    );
    expect(none.text).toBe('scope,owner_id,owner_name,period,cases,median_seconds,p90_seconds\r\n');
  });
});
