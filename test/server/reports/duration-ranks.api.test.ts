import SQLite from 'better-sqlite3';
import {
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  sql,
} from 'kysely';
import { firstResponses } from '../../../src/server/reports/report.repository';
import { runReport } from '../../../src/server/reports/report.service';
import { ENGINES, startTestServer, type TestServer } from '../harness';

/**
 * First response's median and p90 are read by stepping an index to their ranks (report.repository:
 * rankedDurations); here every group size from 1 to 12, with ties, is checked against a sort, per owner and per
 * week, on both engines. Sizes 1 and 2 are where the offsets from the low and the high end meet. The counts and the
 * picks are separate statements: a report reads them in one snapshot (storage.read), and without one a group
 * emptied in between is ranked again in one statement.
 */

const DAY = 86_400_000;

/** Median (mean of the two middle values for an even count) and nearest-rank p90 of seconds, by sorting. */
function summarise(values: number[]): [number, number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return [n, median, sorted[Math.ceil(0.9 * n) - 1]];
}

describe.each(ENGINES)('duration ranks on %s', (engine) => {
  let t: TestServer;
  let admin: string;
  const expected: Record<string, number[]> = {};
  const owners: string[] = [];
  const all: number[] = [];
  beforeAll(async () => {
    t = await startTestServer(engine);
    admin = await t.token('admin', 'lead@example.com', 'Lead');
    const call = async (method: string, route: string, json: unknown) => {
      const r = await t.call(method, route, { token: admin, json });
      if (r.status >= 300) throw new Error(`${method} ${route}: ${r.status} ${r.text}`);
      return r.body;
    };
    const inbound = Date.now() - 3 * DAY;
    let mail = 0;
    for (let size = 1; size <= 12; size++) {
      const email = `agent${size}@example.com`;
      const me = await t.call('GET', '/crm/v6/users?type=CurrentUser', {
        token: await t.token('agent', email),
      });
      const owner = String(me.body.users[0].id);
      // Durations in whole seconds with repeats (size 12 holds each of six values twice).
      const seconds = Array.from({ length: size }, (_, i) => 60 * (((i * 7) % 6) + 1) + (size % 3));
      const made = await call('POST', '/crm/v6/Cases', {
        data: seconds.map((_, i) => ({
          Subject: `Size ${size} #${i}`,
          Case_Origin: 'Email',
          Email: 'c@example.pl',
          Owner: { id: owner },
        })),
      });
      for (const [i, d] of seconds.entries()) {
        const id = made.data[i].details.id;
        const message = (from: string, at: number) => ({
          internet_message_id: `<m${++mail}@example.com>`,
          from: { email: from },
          to: [{ email: 'support@example.com' }],
          subject: `Mail ${mail}`,
          sent_time: new Date(at).toISOString(),
        });
        await call('POST', `/crm/v6/Cases/${id}/Emails`, { data: [message('c@example.pl', inbound)] });
        await call('POST', `/crm/v6/Cases/${id}/Emails/actions/record_sent`, {
          data: [message(email, inbound + d * 1000)],
        });
      }
      expected[owner] = summarise(seconds);
      owners.push(owner);
      all.push(...seconds);
    }
  });
  afterAll(() => t?.close());

  const report = async (query: string) => {
    const r = await t.call('GET', `/crm/v6/reports/first_response?${query}`, { token: admin });
    if (r.status !== 200) throw new Error(`${query}: ${r.status} ${r.text}`);
    return r.body.data as {
      owner: { id: string } | null;
      period: string | null;
      cases: number;
      median_seconds: number;
      p90_seconds: number;
    }[];
  };

  type Row = { owner: { id: string } | null; cases: number; median_seconds: number; p90_seconds: number };
  /** Rows as [cases, median, p90], keyed by owner id. */
  const byOwner = (rows: Row[]) =>
    Object.fromEntries(rows.map((r) => [r.owner?.id, [r.cases, r.median_seconds, r.p90_seconds]]));

  it('per owner: groups of 1 to 12 equal a sort', async () => {
    const rows = await report('by=owner');
    expect(byOwner(rows)).toEqual(expected);
  });

  it('per week, with the range cutting the week: equal a sort of every case created in it', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const rows = await report(`by=week&from=${today}&to=${today}`);
    expect(rows.map((r) => [r.cases, r.median_seconds, r.p90_seconds])).toEqual([summarise(all)]);
    expect(
      await report(
        `by=week&from=${new Date(Date.now() - 9 * DAY).toISOString().slice(0, 10)}&to=${new Date(Date.now() - 2 * DAY).toISOString().slice(0, 10)}`,
      ),
    ).toEqual([]);
  });

  /** Runs `change` on another connection right after the first statement a query builder runs. */
  const afterFirstStatement = (change: string): KyselyPlugin => {
    let statements = 0;
    return {
      transformQuery: (args: PluginTransformQueryArgs) => args.node,
      async transformResult(args: PluginTransformResultArgs) {
        if (++statements === 1) {
          if (t.server.storage.file) {
            const other = new SQLite(t.server.storage.file);
            other.exec(change);
            other.close();
          } else await sql.raw(change).execute(t.server.storage.db);
        }
        return args.result;
      },
    };
  };
  const today = () => {
    const day = new Date().toISOString().slice(0, 10);
    return { from: day, to: day };
  };
  it('a report reads one snapshot: a change committed between its statements is not in it', async () => {
    // Right after the first statement (the counts), another connection moves one of the 12-case owner's cases to
    // the 11-case owner; the route reads through storage.read, as here.
    const [eleven, twelve] = [owners[10], owners[11]];
    const move = (from: string, to: string) =>
      `update case_metrics set owner_id = ${Number(to)} where case_id =
        (select min(case_id) from case_metrics where owner_id = ${Number(from)})`;
    const admin = await t.server.storage.db
      .selectFrom('users')
      .select(['id', 'email', 'full_name'])
      .where('email', '=', 'lead@example.com')
      .executeTakeFirstOrThrow();
    const snapshot = await t.server.storage.read((trx) =>
      runReport(
        {
          db: trx.withPlugin(afterFirstStatement(move(twelve, eleven))),
          dialect: t.server.storage.dialect,
          // Only past_escalation reads the field layout.
          fields: [],
          user: { id: String(admin.id), email: admin.email, name: admin.full_name, role: 'admin' },
          now: new Date(),
        },
        'first_response',
        { by: 'owner', ...today() },
      ),
    );
    expect(byOwner(snapshot.data)).toEqual(expected);
    // The move did happen: it is seen by the next report.
    const after = await report('by=owner');
    expect(after.find((r) => r.owner?.id === eleven)?.cases).toBe(12);
    await sql.raw(move(eleven, twelve)).execute(t.server.storage.db);
  });

  it("a team of 3,000: every owner in scope, and no statement over the engines' bound-value limits", async () => {
    // The 12 owners above report to one manager with 2,988 more reports who own nothing: each pick repeats the
    // scope's 3,001 owners, so the 24 picks of the 12 owners bound 72,000 values in one statement (SQLite allows
    // 32,766, PostgreSQL 65,535).
    const now = new Date().toISOString();
    const [manager] = await t.server.storage.db
      .insertInto('users')
      .values({
        external_id: 'mgr',
        email: 'mgr@example.com',
        full_name: 'Mgr',
        role: 'manager',
        status: 'active',
        created_time: now,
      })
      .returning('id')
      .execute();
    for (let i = 0; i < 2988; i += 500)
      await t.server.storage.db
        .insertInto('users')
        .values(
          Array.from({ length: Math.min(500, 2988 - i) }, (_, k) => ({
            external_id: `idle-${i + k}`,
            email: `idle${i + k}@example.com`,
            full_name: `Idle ${i + k}`,
            role: 'agent',
            manager_id: manager.id,
            status: 'active',
            created_time: now,
          })),
        )
        .execute();
    await t.server.storage.db
      .updateTable('users')
      .set({ manager_id: manager.id })
      .where('id', 'in', owners)
      .execute();
    const week = await report(`by=week&team=${manager.id}`);
    expect(week.map((r) => [r.cases, r.median_seconds, r.p90_seconds])).toEqual([summarise(all)]);
    const owned = await report(`by=owner&team=${manager.id}`);
    expect(byOwner(owned)).toEqual(expected);
  });

  it('a write between the counts and the picks that empties a group: ranked again in one statement', async () => {
    // Without a snapshot: right after the counts, another connection deletes the rollup rows of the owner with one
    // case, so that owner's picks find nothing. Last, since it removes those rows for good.
    const [gone] = owners;
    const day = new Date().toISOString().slice(0, 10);
    const groups = await firstResponses(
      t.server.storage.db.withPlugin(
        afterFirstStatement(`delete from case_metrics where owner_id = ${Number(gone)}`),
      ),
      t.server.storage.dialect,
      { owners: null },
      { from: `${day}T00:00:00.000Z`, to: new Date(Date.parse(day) + DAY).toISOString() },
      'owner',
    );
    const { [gone]: _removed, ...left } = expected;
    expect(
      Object.fromEntries(
        groups.map((g) => [g.ownerId, [g.cases, (g.lowerMiddleMs + g.upperMiddleMs) / 2000, g.p90Ms / 1000]]),
      ),
    ).toEqual(left);
  });
});
