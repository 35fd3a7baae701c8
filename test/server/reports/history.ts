import type { Kysely } from 'kysely';
import type { Role } from '../../../src/shared/api-types';
import type { Database } from '../../../src/server/db/schema';
import { rebuildCaseMetrics } from '../../../src/server/reports/case-metrics.repository';
import type { TestServer } from '../harness';

/**
 * A scripted support history written straight into the database, so every time is known: cases created, answered
 * by mail sent from the case or by an agent's reply filed from Outlook, closed, reopened, escalated. Times are
 * relative to B, a Monday at least two weeks back, and to now (for the age of open cases).
 */

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface People {
  anna: string;
  bob: string;
  boss: string;
  carl: string;
  admin: string;
  viewer: string;
}

export interface History {
  people: People;
  /** The Monday (00:00 UTC) the script starts on. */
  base: Date;
  /** from and to (a date: through the end of that day) covering the two scripted weeks. */
  from: string;
  to: string;
  ids: Record<string, string>;
}

const EMAILS = {
  anna: ['agent', 'anna@example.com', 'Anna Nowak'],
  bob: ['agent', 'bob@example.com', 'Bob Wiśniewski'],
  boss: ['manager', 'boss@example.com', 'Beata Szefowa'],
  carl: ['agent', 'carl@example.com', '-Carl =Formula'],
  admin: ['admin', 'admin@example.com', 'Ada Admin'],
  viewer: ['viewer', 'viewer@example.com', 'Vera Viewer'],
} as const;

/** Where the history is written: a test server in this process, or a backend process with its database opened here. */
export interface HistoryTarget {
  engine: 'sqlite' | 'postgres';
  db: Kysely<Database>;
  token(role: Role, email: string, name: string): Promise<string>;
  call(
    method: string,
    route: string,
    options: { token: string; json?: unknown },
  ): Promise<{ status: number; body: any; text: string }>;
}

export function targetOf(t: TestServer): HistoryTarget {
  return { engine: t.engine, db: t.server.storage.db, token: t.token, call: t.call };
}

export async function tokenOf(t: Pick<HistoryTarget, 'token'>, who: keyof People): Promise<string> {
  const [role, email, name] = EMAILS[who];
  return t.token(role, email, name);
}

async function people(t: HistoryTarget): Promise<People> {
  const out: Partial<People> = {};
  for (const who of Object.keys(EMAILS) as (keyof People)[]) {
    const r = await t.call('GET', '/crm/v6/users?type=CurrentUser', { token: await tokenOf(t, who) });
    out[who] = r.body.users[0].id;
  }
  const p = out as People;
  for (const report of [p.anna, p.bob]) {
    const r = await t.call('PUT', `/crm/v6/users/${report}`, {
      token: await tokenOf(t, 'admin'),
      json: { data: [{ manager: { id: p.boss } }] },
    });
    if (r.status !== 200) throw new Error(`manager: ${r.status} ${r.text}`);
  }
  return p;
}

interface CaseSpec {
  key: string;
  owner: string | null;
  created: number;
  status: string;
  modified?: number;
  priority?: string | null;
  origin?: string;
  type?: string | null;
  reason?: string | null;
  /** [time, kind]: in = customer mail, sent = sent from the case, reply = an agent's reply filed from Outlook. */
  mail?: [number, 'in' | 'sent' | 'reply'][];
  /** [time, new status]. */
  statuses?: [number, string][];
  escalated?: number[];
}

function script(p: People, b: number, now: number): CaseSpec[] {
  return [
    // Answered from the case in 2 h, closed after 5 h.
    {
      key: 'c1',
      owner: p.anna,
      created: b,
      status: 'Closed',
      mail: [
        [b, 'in'],
        [b + 2 * HOUR, 'sent'],
      ],
      statuses: [[b + 5 * HOUR, 'Closed']],
      type: 'Problem',
      reason: 'Instruction not clear',
    },
    // Answered by a reply filed from Outlook in 4 h; closed, reopened, closed again two days after creation.
    {
      key: 'c2',
      owner: p.anna,
      created: b + DAY,
      status: 'Closed',
      mail: [
        [b + DAY, 'in'],
        [b + DAY + 4 * HOUR, 'reply'],
      ],
      statuses: [
        [b + DAY + 10 * HOUR, 'Closed'],
        [b + 2 * DAY, 'New'],
        [b + 3 * DAY, 'Closed'],
      ],
      type: 'Problem',
      reason: '问题',
    },
    // No reply yet; escalated after a day.
    {
      key: 'c3',
      owner: p.anna,
      created: b + 2 * DAY,
      status: 'Escalated',
      priority: 'High',
      mail: [[b + 2 * DAY, 'in']],
      statuses: [[b + 3 * DAY, 'Escalated']],
      escalated: [b + 3 * DAY],
      type: 'Question',
    },
    // Two customer mails, then the answer 8 h after the first.
    {
      key: 'c4',
      owner: p.bob,
      created: b + 2 * DAY,
      status: 'Closed',
      origin: 'Phone',
      mail: [
        [b + 2 * DAY, 'in'],
        [b + 2 * DAY + HOUR, 'in'],
        [b + 2 * DAY + 8 * HOUR, 'sent'],
      ],
      statuses: [[b + 4 * DAY, 'Closed']],
    },
    // Answered in 30 min; closed, then reopened and still open: not resolved.
    {
      key: 'c5',
      owner: p.bob,
      created: b + 8 * DAY,
      status: 'New',
      modified: b + 10 * DAY,
      priority: 'Low',
      mail: [
        [b + 8 * DAY, 'in'],
        [b + 8 * DAY + 30 * 60_000, 'sent'],
      ],
      statuses: [
        [b + 9 * DAY, 'Closed'],
        [b + 10 * DAY, 'New'],
      ],
      escalated: [b + 9 * DAY + HOUR],
    },
    // No mail at all (web form): no first response; resolved in an hour.
    {
      key: 'c6',
      owner: p.carl,
      created: b + 9 * DAY,
      status: 'Closed',
      origin: 'Web',
      statuses: [[b + 9 * DAY + HOUR, 'Closed']],
    },
    // The agent wrote first; the customer's mail an hour later is answered 2 h after it.
    {
      key: 'c7',
      owner: p.anna,
      created: b + 8 * DAY,
      status: 'On Hold',
      mail: [
        [b + 8 * DAY, 'sent'],
        [b + 8 * DAY + HOUR, 'in'],
        [b + 8 * DAY + 3 * HOUR, 'reply'],
      ],
    },
    // Open cases of every age, for the aging buckets and the escalation backlog.
    {
      key: 'c8',
      owner: p.carl,
      created: now - 2 * HOUR,
      status: 'New',
      priority: 'High',
      origin: '@SUM(1+1)',
      type: '=HYPERLINK("http://evil")',
      reason: '+cmd|calc',
    },
    {
      key: 'c9',
      owner: p.anna,
      created: now - 2 * DAY,
      status: 'New',
      priority: 'Medium',
      reason: 'Zażółć gęślą jaźń',
    },
    { key: 'c10', owner: p.bob, created: now - 40 * DAY, status: 'On Hold', priority: 'Medium' },
    { key: 'c11', owner: null, created: now - 5 * DAY, status: 'New', origin: 'Phone', type: 'Problem' },
  ];
}

const iso = (ms: number) => new Date(ms).toISOString();

async function insertCase(t: HistoryTarget, spec: CaseSpec, n: number, admin: string): Promise<string> {
  const db = t.db;
  const last = Math.max(
    spec.created,
    ...(spec.statuses ?? []).map((s) => s[0]),
    ...(spec.mail ?? []).map((m) => m[0]),
  );
  const row = await db
    .insertInto('cases')
    .values({
      case_number: 900_000 + n,
      subject: `Scripted ${spec.key}`,
      status: spec.status,
      priority: spec.priority ?? null,
      case_origin: spec.origin ?? 'Email',
      type: spec.type ?? null,
      case_reason: spec.reason ?? null,
      email: 'customer@example.pl',
      email_lower: 'customer@example.pl',
      owner_id: spec.owner,
      created_time: iso(spec.created),
      modified_time: iso(spec.modified ?? last),
      created_by_id: admin,
      modified_by_id: admin,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

async function insertMail(t: HistoryTarget, caseId: string, spec: CaseSpec, people: People): Promise<void> {
  for (const [i, [time, kind]] of (spec.mail ?? []).entries()) {
    await t.db
      .insertInto('email_links')
      .values({
        case_id: caseId,
        internet_message_id: `<${spec.key}-${i}@mail.example.com>`,
        from_email:
          kind === 'in'
            ? 'Customer@Example.pl'
            : kind === 'reply'
              ? 'ANNA@example.com'
              : 'support@example.com',
        to_json: '[]',
        cc_json: '[]',
        sent_time: iso(time),
        // Linked a little later than sent: the report must use the message's own time.
        linked_time: iso(time + 60_000),
        linked_by_id: people.admin,
        direction: kind === 'sent' ? 'sent' : 'received',
      })
      .execute();
  }
}

async function insertTimeline(t: HistoryTarget, caseId: string, spec: CaseSpec): Promise<void> {
  const rows = [
    { action: 'created', time: spec.created, changes: [{ api_name: 'Status', old: null, new: 'New' }] },
    ...(spec.statuses ?? []).map(([time, status], i, all) => ({
      action: 'updated',
      time,
      changes: [
        // A Closed in another field must not count as a close.
        { api_name: 'Description', old: null, new: 'Closed' },
        { api_name: 'Status', old: i ? all[i - 1][1] : 'New', new: status },
      ],
    })),
    ...(spec.escalated ?? []).map((time) => ({
      action: 'escalated',
      time,
      changes: [{ api_name: 'Status', old: 'New', new: 'Escalated' }],
    })),
  ];
  for (const r of rows)
    await t.db
      .insertInto('case_history')
      .values({
        case_id: caseId,
        action: r.action,
        changes: JSON.stringify(r.changes),
        actor_id: null,
        time: iso(r.time),
      })
      .execute();
  // A change of another field to "Closed" alone, on an open case: not a close either.
  await t.db
    .insertInto('case_history')
    .values({
      case_id: caseId,
      action: 'updated',
      changes: JSON.stringify([{ api_name: 'Case_Reason', old: null, new: 'Closed' }]),
      actor_id: null,
      time: iso(spec.created + 1000),
    })
    .execute();
}

export async function scriptedHistory(t: HistoryTarget): Promise<History> {
  const p = await people(t);
  const now = Date.now();
  const monday = new Date(Math.floor(now / DAY) * DAY);
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  const base = new Date(monday.getTime() - 21 * DAY);
  const ids: Record<string, string> = {};
  for (const [n, spec] of script(p, base.getTime(), now).entries()) {
    ids[spec.key] = await insertCase(t, spec, n, p.admin);
    await insertMail(t, ids[spec.key], spec, p);
    await insertTimeline(t, ids[spec.key], spec);
  }
  await t.db
    .insertInto('escalation_rules')
    .values({
      name: 'A day',
      criteria: null,
      hours: 24,
      escalate_to_id: null,
      to_owners_manager: t.engine === 'postgres' ? true : 1,
      active: t.engine === 'postgres' ? true : 1,
      created_time: iso(now),
    })
    .execute();
  // Written past the API, so the reports' rollup is rebuilt from the raw rows, as the migration's backfill does.
  await rebuildCaseMetrics(t.db);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { people: p, base, from: day(base.getTime()), to: day(base.getTime() + 13 * DAY), ids };
}
