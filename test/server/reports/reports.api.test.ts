import { ENGINES, startTestServer, type TestServer } from '../harness';
import { DAY, HOUR, type History, scriptedHistory, targetOf, tokenOf } from './history';

/**
 * The reports on a scripted history with known times: exact medians and p90s, and every count checked against a
 * recount from the raw rows read back from the database.
 */

interface RawCase {
  id: string;
  status: string;
  owner: string | null;
  priority: string | null;
  origin: string;
  type: string | null;
  reason: string | null;
  created: number;
  modified: number;
}

describe.each(ENGINES)('reports on %s', (engine) => {
  let t: TestServer;
  let h: History;
  let raw: RawCase[];
  beforeAll(async () => {
    t = await startTestServer(engine);
    h = await scriptedHistory(targetOf(t));
    raw = (await t.server.storage.db.selectFrom('cases').selectAll().execute()).map((r) => ({
      id: String(r.id),
      status: r.status,
      owner: r.owner_id === null ? null : String(r.owner_id),
      priority: r.priority,
      origin: r.case_origin,
      type: r.type,
      reason: r.case_reason,
      created: Date.parse(r.created_time),
      modified: Date.parse(r.modified_time),
    }));
  });
  afterAll(() => t.close());

  const get = async (report: string, query = '', who: 'admin' | 'boss' | 'anna' = 'admin') => {
    const r = await t.call('GET', `/crm/v6/reports/${report}${query ? `?${query}` : ''}`, {
      token: await tokenOf(t, who),
    });
    expect(r.status).toBe(200);
    return r.body;
  };
  const range = () => `from=${h.from}&to=${h.to}`;
  const open = () => raw.filter((c) => c.status !== 'Closed');
  const countBy = (cases: RawCase[], key: (c: RawCase) => string) => {
    const m = new Map<string, number>();
    for (const c of cases) m.set(key(c), (m.get(key(c)) ?? 0) + 1);
    return m;
  };

  it('first response: median and p90 per owner, a case with no reply counted as awaiting', async () => {
    const body = await get('first_response', range());
    const byOwner = Object.fromEntries(
      body.data.map((r: any) => [r.owner.id, [r.cases, r.median_seconds, r.p90_seconds]]),
    );
    // anna: 2 h (sent from the case), 4 h (reply filed from Outlook), 2 h (from the inbound, not her earlier mail).
    // bob: 8 h from his customer's first mail (not the second), and 30 min.
    expect(byOwner).toEqual({
      [h.people.anna]: [3, 7200, 14400],
      [h.people.bob]: [2, 15300, 28800],
    });
    expect(body.info.awaiting).toBe(1);
    expect(body.info.scope).toBe('all');
  });

  it('first response per week of creation', async () => {
    const body = await get('first_response', `${range()}&by=week`);
    const week = (n: number) => new Date(h.base.getTime() + n * 7 * DAY).toISOString().slice(0, 10);
    expect(body.data.map((r: any) => [r.period, r.cases, r.median_seconds, r.p90_seconds])).toEqual([
      [week(0), 3, 14400, 28800],
      [week(1), 2, 4500, 7200],
    ]);
  });

  it('resolution: to the last close; a case reopened and not closed again is not resolved', async () => {
    const body = await get('resolution', range());
    const byOwner = Object.fromEntries(
      body.data.map((r: any) => [r.owner.id, [r.cases, r.median_seconds, r.p90_seconds]]),
    );
    expect(byOwner).toEqual({
      // 5 h, and 2 days (closed, reopened, closed again on day 3)
      [h.people.anna]: [2, (5 * HOUR + 2 * DAY) / 2000, (2 * DAY) / 1000],
      [h.people.bob]: [1, (2 * DAY) / 1000, (2 * DAY) / 1000],
      [h.people.carl]: [1, 3600, 3600],
    });
  });

  it('resolution per week of the close; a range that ends before the last close leaves the case out', async () => {
    const weekly = await get('resolution', `${range()}&by=week`);
    const week0 = h.base.toISOString().slice(0, 10);
    expect(weekly.data.find((r: any) => r.period === week0)).toMatchObject({ cases: 3 });
    // Up to day 2: c1 (closed after 5 h) only; c2's first close is in the range, but its last is not.
    const early = await get(
      'resolution',
      `from=${h.from}&to=${new Date(h.base.getTime() + 2 * DAY).toISOString()}`,
    );
    expect(early.data.map((r: any) => [r.owner.id, r.cases, r.median_seconds])).toEqual([
      [h.people.anna, 1, 18000],
    ]);
  });

  it('created vs closed per day and per week, with a least-squares trend', async () => {
    const daily = await get('created_vs_closed', range());
    expect(daily.data).toHaveLength(14);
    const inRange = raw.filter(
      (c) => c.created >= h.base.getTime() && c.created < h.base.getTime() + 14 * DAY,
    );
    const created = countBy(inRange, (c) => new Date(c.created).toISOString().slice(0, 10));
    for (const row of daily.data) expect(row.created).toBe(created.get(row.period) ?? 0);
    // Every change of Status to Closed: c1, c2 twice, c4, c5 (later reopened), c6.
    expect(daily.data.reduce((s: number, r: any) => s + r.closed, 0)).toBe(6);
    const weekly = await get('created_vs_closed', `${range()}&interval=week`);
    expect(weekly.data.map((r: any) => [r.created, r.closed])).toEqual([
      [4, 4],
      [3, 2],
    ]);
    // Two points: the line goes through both.
    expect(weekly.data.map((r: any) => r.created_trend)).toEqual([4, 3]);
    const ys = daily.data.map((r: any) => r.created);
    const n = ys.length;
    const mx = (n - 1) / 2;
    const my = ys.reduce((a: number, b: number) => a + b, 0) / n;
    const slope =
      ys.reduce((s: number, y: number, x: number) => s + (x - mx) * (y - my), 0) /
      ys.reduce((s: number, _: number, x: number) => s + (x - mx) ** 2, 0);
    daily.data.forEach((r: any, x: number) => expect(r.created_trend).toBeCloseTo(my + slope * (x - mx), 2));
  });

  it('open cases by status and owner, priority, origin, type and reason match a recount', async () => {
    const statusOwner = await get('open_by_status_owner');
    const expected = countBy(open(), (c) => `${c.status}|${c.owner}`);
    expect(
      new Map(statusOwner.data.map((r: any) => [`${r.status}|${r.owner?.id ?? null}`, r.count])),
    ).toEqual(expected);
    const names = new Map(
      statusOwner.data.filter((r: any) => r.owner).map((r: any) => [r.owner.id, r.owner.name]),
    );
    expect(names.get(h.people.bob)).toBe('Bob Wiśniewski');
    for (const [report, key, pick] of [
      ['open_by_priority', 'priority', (c: RawCase) => c.priority],
      ['open_by_origin', 'origin', (c: RawCase) => c.origin],
    ] as const) {
      const body = await get(report);
      expect(new Map(body.data.map((r: any) => [r[key], r.count]))).toEqual(
        countBy(open(), (c) => pick(c) as string),
      );
    }
    const tr = await get('open_by_type_reason');
    expect(new Map(tr.data.map((r: any) => [`${r.type}|${r.case_reason}`, r.count]))).toEqual(
      countBy(open(), (c) => `${c.type}|${c.reason}`),
    );
  });

  it('aging buckets of open cases match a recount; filters by origin and type narrow them', async () => {
    const now = Date.now();
    const bucket = (c: RawCase) => {
      const age = now - c.created;
      return age < DAY
        ? 'lt_1d'
        : age < 3 * DAY
          ? '1_3d'
          : age < 7 * DAY
            ? '3_7d'
            : age < 30 * DAY
              ? '7_30d'
              : 'gt_30d';
    };
    const body = await get('aging');
    expect(body.data.map((r: any) => r.bucket)).toEqual(['lt_1d', '1_3d', '3_7d', '7_30d', 'gt_30d']);
    const expected = countBy(open(), bucket);
    for (const r of body.data) expect(r.count).toBe(expected.get(r.bucket) ?? 0);
    const phone = await get('aging', 'origin=Phone&type=Problem');
    const narrowed = countBy(
      open().filter((c) => c.origin === 'Phone' && c.type === 'Problem'),
      bucket,
    );
    for (const r of phone.data) expect(r.count).toBe(narrowed.get(r.bucket) ?? 0);
    expect(phone.data.reduce((s: number, r: any) => s + r.count, 0)).toBe(1);
  });

  it("escalations per week and the cases past the active rule's time", async () => {
    const weekly = await get('escalations', range());
    expect(weekly.data.map((r: any) => r.escalations)).toEqual([1, 1]);
    const past = await get('past_escalation');
    expect(past.info.rule_hours).toBe(24);
    const due = open().filter((c) => c.status !== 'Escalated' && c.modified < Date.now() - DAY);
    expect(new Map(past.data.map((r: any) => [r.owner?.id ?? null, r.count]))).toEqual(
      countBy(due, (c) => c.owner as string),
    );
  });

  it('a date range on a snapshot report counts the open cases created in it', async () => {
    const body = await get('open_by_status_owner', range());
    const inRange = open().filter(
      (c) => c.created >= h.base.getTime() && c.created < h.base.getTime() + 14 * DAY,
    );
    expect(body.data.reduce((s: number, r: any) => s + r.count, 0)).toBe(inRange.length);
  });

  it('an owner filter narrows every report to that owner', async () => {
    const body = await get('open_by_status_owner', `owner=${h.people.bob}`);
    expect(body.data.every((r: any) => r.owner.id === h.people.bob)).toBe(true);
    expect(body.data.reduce((s: number, r: any) => s + r.count, 0)).toBe(
      open().filter((c) => c.owner === h.people.bob).length,
    );
    const fr = await get('first_response', `${range()}&owner=${h.people.bob}`);
    expect(fr.data.map((r: any) => r.owner.id)).toEqual([h.people.bob]);
    expect(fr.info.awaiting).toBe(0);
  });
});
