import { ENGINES, startTestServer, type TestServer } from '../harness';

/**
 * The reports' rollup (case_metrics, case_closes) is exact: after 10,000 random changes through the public API —
 * cases created, status changes with reopens and recloses, owner changes, customer mail linked, agents' replies
 * filed from Outlook and sent mail recorded (with Date headers out of order), mail unlinked and moved, cases
 * deleted — every report equals a full recount made here from the raw tables. The seed is in every comparison, so
 * a failure prints it; REPORTS_SEED replays one.
 */

const CHANGES = Number(process.env.REPORTS_CHANGES ?? 10_000);
const SEED = Number(process.env.REPORTS_SEED ?? 20261202);
const LANES = 4;
const DAY = 86_400_000;
const STATUSES = ['New', 'On Hold', 'Escalated', 'Closed', 'Closed'];
const ORIGINS = ['Email', 'Phone', 'Web'];
const TYPES = ['Question', 'Problem', null];
const PRIORITIES = ['High', 'Medium', 'Low', null];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Raw {
  cases: {
    id: string;
    status: string;
    owner: string | null;
    priority: string | null;
    origin: string;
    type: string | null;
    reason: string | null;
    created: string;
  }[];
  mails: { caseId: string; out: boolean; time: string }[];
  closes: { caseId: string; time: string }[];
}

async function readRaw(t: TestServer): Promise<Raw> {
  const db = t.server.storage.db;
  const users = new Set(
    (await db.selectFrom('users').select('email').execute()).map((u) => u.email.toLowerCase()),
  );
  const cases = (await db.selectFrom('cases').selectAll().execute()).map((r) => ({
    id: String(r.id),
    status: r.status,
    owner: r.owner_id === null ? null : String(r.owner_id),
    priority: r.priority,
    origin: r.case_origin,
    type: r.type,
    reason: r.case_reason,
    created: r.created_time,
  }));
  const mails = (await db.selectFrom('email_links').selectAll().execute()).map((m) => ({
    caseId: String(m.case_id),
    out: m.direction === 'sent' || users.has(m.from_email.toLowerCase()),
    time: m.sent_time ?? m.linked_time,
  }));
  const closes = (await db.selectFrom('case_history').select(['case_id', 'time', 'changes']).execute())
    .filter((h) =>
      (JSON.parse(h.changes) as { api_name: string; new: unknown }[]).some(
        (c) => c.api_name === 'Status' && c.new === 'Closed',
      ),
    )
    .map((h) => ({ caseId: String(h.case_id), time: h.time }));
  return { cases, mails, closes };
}

type Filter = { owner?: string; origin?: string };
const inScope = (c: Raw['cases'][number], f: Filter) =>
  (f.owner === undefined || c.owner === f.owner) && (f.origin === undefined || c.origin === f.origin);

const tally = (keys: string[]) => {
  const m: Record<string, number> = {};
  for (const k of keys) m[k] = (m[k] ?? 0) + 1;
  return m;
};

/**
 * The reports' definition, recounted here independently of the SQL that ranks them: the median is the middle value
 * or the mean of the two middle values, p90 the nearest rank, the value at rank ceil(0.9 n).
 */
function summarise(values: number[]): { cases: number; median: number; p90: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const mid = Math.floor(n / 2);
  const median = n % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { cases: n, median, p90: sorted[Math.max(0, Math.ceil(0.9 * n) - 1)] };
}

/** The Monday (UTC) of a time's week, as YYYY-MM-DD. */
function mondayOf(ms: number): string {
  const day = new Date(ms);
  return new Date(ms - ((day.getUTCDay() + 6) % 7) * DAY).toISOString().slice(0, 10);
}

/** Duration rows as the API answers them, keyed by owner id or by week. */
function grouped<T extends { seconds: number }>(
  items: T[],
  key: (item: T) => string,
): Record<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const i of items) groups.set(key(i), [...(groups.get(key(i)) ?? []), i.seconds]);
  return Object.fromEntries(
    [...groups].map(([group, values]) => {
      const s = summarise(values);
      return [group, [s.cases, s.median, s.p90]];
    }),
  );
}

function recount(raw: Raw, f: Filter, from: number, to: number) {
  const cases = raw.cases.filter((c) => inScope(c, f));
  const open = cases.filter((c) => c.status !== 'Closed');
  const ids = new Map(cases.map((c) => [c.id, c]));
  const inRange = (time: string) => Date.parse(time) >= from && Date.parse(time) < to;
  const cohort = cases.filter((c) => inRange(c.created));
  const responses = cohort.flatMap((c) => {
    const mails = raw.mails.filter((m) => m.caseId === c.id).map((m) => ({ ...m, at: Date.parse(m.time) }));
    const first = (list: typeof mails) =>
      list.reduce<(typeof mails)[number] | undefined>((b, m) => (!b || m.at < b.at ? m : b), undefined);
    const inbound = first(mails.filter((m) => !m.out));
    if (!inbound) return [];
    const reply = first(mails.filter((m) => m.out && m.at >= inbound.at));
    return [
      {
        owner: c.owner,
        week: mondayOf(Date.parse(c.created)),
        seconds: reply ? (reply.at - inbound.at) / 1000 : null,
      },
    ];
  });
  const closes = raw.closes.filter((e) => ids.has(e.caseId));
  const last = new Map<string, number>();
  for (const e of closes) last.set(e.caseId, Math.max(last.get(e.caseId) ?? 0, Date.parse(e.time)));
  const resolved = [...last]
    .filter(([id, at]) => ids.get(id)?.status === 'Closed' && at >= from && at < to)
    .map(([id, at]) => ({
      owner: ids.get(id)!.owner,
      week: mondayOf(at),
      seconds: (at - Date.parse(ids.get(id)!.created)) / 1000,
    }));
  const answered = responses.filter((r) => r.seconds !== null) as ((typeof responses)[number] & {
    seconds: number;
  })[];
  return {
    status_owner: tally(open.map((c) => `${c.status}|${c.owner}`)),
    priority: tally(open.map((c) => String(c.priority))),
    origin: tally(open.map((c) => c.origin)),
    type_reason: tally(open.map((c) => `${c.type}|${c.reason}`)),
    aging_open: open.length,
    created: tally(cohort.map((c) => c.created.slice(0, 10))),
    closed: tally(closes.filter((e) => inRange(e.time)).map((e) => e.time.slice(0, 10))),
    first_response: grouped(answered, (r) => String(r.owner)),
    first_response_week: grouped(answered, (r) => r.week),
    awaiting: responses.filter((r) => r.seconds === null).length,
    resolution: grouped(resolved, (r) => String(r.owner)),
    resolution_week: grouped(resolved, (r) => r.week),
  };
}

describe.each(ENGINES)('reports rollup after random changes on %s', (engine) => {
  let t: TestServer;
  let admin: string;
  const agents: { id: string; email: string }[] = [];
  beforeAll(async () => {
    // The open-case counters folded every 50 ms, so folds run among the changes.
    t = await startTestServer(engine, { openCountFoldSeconds: 0.05 });
    admin = await t.token('admin', 'lead@example.com', 'Lead');
    for (const n of [1, 2, 3]) {
      const email = `agent${n}@example.com`;
      const r = await t.call('GET', '/crm/v6/users?type=CurrentUser', {
        token: await t.token('agent', email),
      });
      agents.push({ id: r.body.users[0].id, email });
    }
  });
  afterAll(() => t?.close());

  const call = async (method: string, route: string, json?: unknown) => {
    const r = await t.call(method, route, { token: admin, json });
    if (r.status >= 300) throw new Error(`seed ${SEED}: ${method} ${route}: ${r.status} ${r.text}`);
    return r.body;
  };

  /**
   * The changes, in requests of one to a few records each (bulk create and update, several messages per link) so
   * 10,000 of them fit the time; every record is one change, made in its request's transaction. LANES clients
   * run at once, each on its own cases (one's delete must not turn another's update into a 404), so the rollup's
   * writes also interleave as they do under load.
   */
  async function randomChanges(lane: number, count: number): Promise<void> {
    const r = mulberry32(SEED + lane);
    const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)];
    const some = (max: number) => 1 + Math.floor(r() * max);
    const cases: string[] = [];
    const links = new Map<string, string[]>();
    const base = Date.now() - 5 * DAY;
    let mailNo = 0;
    const message = (from: string) => ({
      internet_message_id: `<m${++mailNo}-${lane}-${SEED}@example.com>`,
      from: { email: from },
      to: [{ email: 'support@example.com' }],
      subject: `Mail ${mailNo}`,
      // Date headers spread over days and out of order, so the earliest, not the latest linked, must win.
      sent_time: new Date(base + Math.floor(r() * 4 * DAY)).toISOString(),
    });
    const sender = () =>
      r() < 0.7 ? `customer${Math.floor(r() * 50)}@example.pl` : pick(agents).email.toUpperCase();
    const link = async (id: string, route: string, messages: unknown[]) => {
      const made = await call('POST', route.replace(':id', id), { data: messages });
      links.set(id, [
        ...(links.get(id) ?? []),
        ...made.data.map((d: { details: { id: string } }) => String(d.details.id)),
      ]);
    };
    const distinctCases = (n: number) => [...new Set(Array.from({ length: n }, () => pick(cases)))];
    let changes = 0;
    while (changes < count) {
      const roll = r();
      const id = cases.length ? pick(cases) : '';
      if (roll < 0.15 || cases.length < 5) {
        const made = await call('POST', '/crm/v6/Cases', {
          data: Array.from({ length: some(5) }, (_, i) => ({
            Subject: `Random ${changes + i}`,
            Email: 'customer@example.pl',
            Status: pick(STATUSES),
            Owner: { id: pick(agents).id },
            Case_Origin: pick(ORIGINS),
            Type: pick(TYPES),
            Priority: pick(PRIORITIES),
          })),
        });
        cases.push(...made.data.map((d: { details: { id: string } }) => String(d.details.id)));
        changes += made.data.length;
      } else if (roll < 0.55) {
        const ids = distinctCases(some(8));
        // Status, owner, or the other columns the open-case counters group by.
        const change = (): Record<string, unknown> =>
          roll < 0.42
            ? { Status: pick(STATUSES) }
            : roll < 0.5
              ? { Priority: pick(PRIORITIES), Type: pick(TYPES), Case_Origin: pick(ORIGINS) }
              : { Owner: { id: pick(agents).id } };
        await call('PUT', '/crm/v6/Cases', { data: ids.map((id) => ({ id, ...change() })) });
        changes += ids.length;
      } else if (roll < 0.8) {
        const messages = Array.from({ length: some(3) }, () => message(sender()));
        await link(id, '/crm/v6/Cases/:id/Emails', messages);
        changes += messages.length;
      } else if (roll < 0.89) {
        await link(id, '/crm/v6/Cases/:id/Emails/actions/record_sent', [message(pick(agents).email)]);
        changes += 1;
      } else if (roll < 0.95 && links.get(id)?.length) {
        const list = links.get(id)!;
        const linkId = list.splice(Math.floor(r() * list.length), 1)[0];
        const to = pick(cases);
        // Moved: the link on the other case is a new one, not tracked here.
        if (r() < 0.5 && to !== id)
          await call('POST', `/crm/v6/Cases/${id}/Emails/${linkId}/actions/move`, { case_id: to });
        else await call('DELETE', `/crm/v6/Cases/${id}/Emails/${linkId}`);
        changes += 1;
      } else if (roll >= 0.97) {
        await call('DELETE', `/crm/v6/Cases/${id}`);
        cases.splice(cases.indexOf(id), 1);
        links.delete(id);
        changes += 1;
      }
    }
  }

  it(`every report equals a recount from the raw tables after ${CHANGES} random changes`, async () => {
    await Promise.all(Array.from({ length: LANES }, (_, lane) => randomChanges(lane, CHANGES / LANES)));
    const raw = await readRaw(t);
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const from = day(Date.now() - 2 * DAY);
    const to = day(Date.now());
    const filters: Filter[] = [{}, { owner: agents[0].id }, { origin: 'Phone' }];
    for (const f of filters) {
      const query = `from=${from}&to=${to}${f.owner ? `&owner=${f.owner}` : ''}${f.origin ? `&origin=${f.origin}` : ''}`;
      const get = async (report: string, extra = '') =>
        call('GET', `/crm/v6/reports/${report}?${query}${extra}`);
      const expected = recount(raw, f, Date.parse(from), Date.parse(to) + DAY);
      const openQuery = f.owner ? `&owner=${f.owner}` : f.origin ? `&origin=${f.origin}` : '';
      const snapshot = async (report: string) =>
        call('GET', `/crm/v6/reports/${report}?${openQuery.slice(1)}`);
      const statusOwner = await snapshot('open_by_status_owner');
      const priority = await snapshot('open_by_priority');
      const origin = await snapshot('open_by_origin');
      const typeReason = await snapshot('open_by_type_reason');
      const aging = await snapshot('aging');
      const cvc = await get('created_vs_closed', '&interval=day');
      const fr = await get('first_response', '&by=owner');
      const res = await get('resolution', '&by=owner');
      const frWeek = await get('first_response', '&by=week');
      const resWeek = await get('resolution', '&by=week');
      const nonZero = (rows: { period: string; [k: string]: unknown }[], key: string) =>
        Object.fromEntries(rows.filter((x) => Number(x[key]) > 0).map((x) => [x.period, x[key]]));
      type DurationRow = {
        owner: { id: string } | null;
        period: string | null;
        cases: number;
        median_seconds: number;
        p90_seconds: number;
      };
      const durations = (rows: DurationRow[], key = (x: DurationRow) => String(x.owner?.id ?? null)) =>
        Object.fromEntries(rows.map((x) => [key(x), [x.cases, x.median_seconds, x.p90_seconds]]));
      const byPeriod = (x: DurationRow) => String(x.period);
      const actual = {
        status_owner: Object.fromEntries(
          statusOwner.data.map((x: any) => [`${x.status}|${x.owner?.id ?? null}`, x.count]),
        ),
        priority: Object.fromEntries(priority.data.map((x: any) => [String(x.priority), x.count])),
        origin: Object.fromEntries(origin.data.map((x: any) => [x.origin, x.count])),
        type_reason: Object.fromEntries(
          typeReason.data.map((x: any) => [`${x.type}|${x.case_reason}`, x.count]),
        ),
        aging_open: aging.data.reduce((sum: number, x: any) => sum + x.count, 0),
        created: nonZero(cvc.data, 'created'),
        closed: nonZero(cvc.data, 'closed'),
        first_response: durations(fr.data),
        first_response_week: durations(frWeek.data, byPeriod),
        awaiting: fr.info.awaiting,
        resolution: durations(res.data),
        resolution_week: durations(resWeek.data, byPeriod),
      };
      expect({ seed: SEED, filter: f, ...actual }).toEqual({ seed: SEED, filter: f, ...expected });
    }
    // Folded while idle: one counter row per combination of the open cases.
    const combinations = new Set(
      raw.cases
        .filter((c) => c.status !== 'Closed')
        .map((c) => JSON.stringify([c.status, c.owner, c.priority, c.origin, c.type, c.reason])),
    );
    const counterRows = async () =>
      (await t.server.storage.db.selectFrom('open_case_counts').select('n').execute()).length;
    for (let tries = 0; tries < 100 && (await counterRows()) !== combinations.size; tries++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await counterRows()).toBe(combinations.size);
    // The history is not trivial: reopened and reclosed cases, answered and unanswered ones, several owners.
    expect(raw.closes.length).toBeGreaterThan(raw.cases.filter((c) => c.status === 'Closed').length);
    expect(Object.keys(recount(raw, {}, 0, Date.now() + DAY).first_response).length).toBe(3);
    expect(recount(raw, {}, 0, Date.now() + DAY).awaiting).toBeGreaterThan(0);
  }, 240_000);
});
