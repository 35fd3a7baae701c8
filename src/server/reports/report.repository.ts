import {
  type Expression,
  type ExpressionBuilder,
  type RawBuilder,
  type SelectQueryBuilder,
  type SqlBool,
  sql,
} from 'kysely';
import type { Dialect } from '../db/dialect';
import type { Executor } from '../db/executor';
import type { Database } from '../db/schema';
import type { CaseCondition } from '../cases/case-condition';
import { caseWhere } from '../cases/case.repository';
import { weekOf } from './report.stats';

/** The SQL of the reports. Times come in and go out as ISO-8601 UTC text on both engines. */

export interface CaseScope {
  /** Owner ids the report covers; null: every owner, unassigned cases included. */
  owners: readonly string[] | null;
  origin?: string;
  type?: string;
  /** Created in [createdFrom, createdTo): the snapshot reports' date range. */
  createdFrom?: string;
  createdTo?: string;
}

/** Tables holding the case's owner, origin and type: the cases, and the copies in the rollup and the counters. */
type ScopedTable = 'cases' | 'case_metrics' | 'open_case_counts';

/**
 * The scope as conditions on one of those tables. The created range needs created_time, which the counters do not
 * keep: they are read only without one (openCounts).
 */
function scopeOn<T extends ScopedTable>(
  table: T,
  scope: CaseScope,
): (eb: ExpressionBuilder<Database, T>) => Expression<SqlBool> {
  const column = (name: string) => sql.ref(`${table}.${name}`);
  const parts: Expression<SqlBool>[] = [];
  if (scope.owners !== null)
    parts.push(
      scope.owners.length
        ? sql<SqlBool>`${column('owner_id')} in (${sql.join([...scope.owners])})`
        : sql<SqlBool>`1 = 0`,
    );
  if (scope.origin !== undefined) parts.push(sql<SqlBool>`${column('case_origin')} = ${scope.origin}`);
  if (scope.type !== undefined) parts.push(sql<SqlBool>`${column('type')} = ${scope.type}`);
  if (scope.createdFrom !== undefined)
    parts.push(sql<SqlBool>`${column('created_time')} >= ${scope.createdFrom}`);
  if (scope.createdTo !== undefined) parts.push(sql<SqlBool>`${column('created_time')} < ${scope.createdTo}`);
  return (eb) => eb.and(parts);
}

export const scopeWhere = (scope: CaseScope) => scopeOn('cases', scope);
const metricsScopeWhere = (scope: CaseScope) => scopeOn('case_metrics', scope);

export type OpenColumn = 'status' | 'owner_id' | 'priority' | 'case_origin' | 'type' | 'case_reason';

/**
 * Open (not Closed) cases counted by the given columns. Without a created range, from the counters
 * (`open_case_counts`: a few rows per combination, summed); with one, from the cases' indexes.
 */
export async function openCounts(
  db: Executor,
  scope: CaseScope,
  columns: readonly OpenColumn[],
): Promise<{ keys: (string | null)[]; count: number }[]> {
  const rows =
    scope.createdFrom === undefined && scope.createdTo === undefined
      ? await openCountsFromCounters(db, scope, columns)
      : await openCountsFromCases(db, scope, columns);
  return rows.map((r) => {
    const row = r as unknown as Record<string, string | number | null>;
    return {
      keys: columns.map((c) => (row[c] === null ? null : String(row[c]))),
      count: Number(row.n),
    };
  });
}

function openCountsFromCases(db: Executor, scope: CaseScope, columns: readonly OpenColumn[]) {
  const refs = columns.map((c) => `cases.${c}` as const);
  return db
    .selectFrom('cases')
    .select(refs)
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('cases.status', '<>', 'Closed')
    .where(scopeWhere(scope))
    .groupBy(refs)
    .execute();
}

function openCountsFromCounters(db: Executor, scope: CaseScope, columns: readonly OpenColumn[]) {
  const refs = columns.map((c) => `open_case_counts.${c}` as const);
  const total = sql<string | number>`sum(open_case_counts.n)`;
  return db
    .selectFrom('open_case_counts')
    .select(refs)
    .select(total.as('n'))
    .where(scopeOn('open_case_counts', scope))
    .groupBy(refs)
    .having(total, '<>', 0)
    .execute();
}

/**
 * Open cases by age: bounds are the created_time limits, newest first (1, 3, 7 and 30 days before now). Without a
 * created range, only the last 30 days' cases are counted from the cases (index `cases_created`); older ones are
 * the counters' open total less those, in the same statement so both read one snapshot.
 */
export async function agingCounts(
  db: Executor,
  scope: CaseScope,
  bounds: readonly [string, string, string, string],
): Promise<number[]> {
  const [d1, d3, d7, d30] = bounds;
  const bucket = sql<number>`case when cases.created_time > ${d1} then 0 when cases.created_time > ${d3} then 1
    when cases.created_time > ${d7} then 2 when cases.created_time > ${d30} then 3 else 4 end`;
  const byBucket = db
    .selectFrom('cases')
    .select([bucket.as('bucket'), (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('cases.status', '<>', 'Closed')
    .where(scopeWhere(scope))
    .groupBy(sql`1`);
  const counts = [0, 0, 0, 0, 0];
  if (scope.createdFrom !== undefined || scope.createdTo !== undefined) {
    for (const r of await byBucket.execute()) counts[Number(r.bucket)] = Number(r.n);
    return counts;
  }
  const OPEN_TOTAL = -1;
  const rows = await byBucket
    .where('cases.created_time', '>', d30)
    .unionAll(
      db
        .selectFrom('open_case_counts')
        .select([
          sql<number>`${sql.lit(OPEN_TOTAL)}`.as('bucket'),
          sql<string | number>`coalesce(sum(n), 0)`.as('n'),
        ])
        .where(scopeOn('open_case_counts', scope)),
    )
    .execute();
  let total = 0;
  for (const r of rows)
    if (Number(r.bucket) === OPEN_TOTAL) total = Number(r.n);
    else counts[Number(r.bucket)] = Number(r.n);
  counts[4] = total - counts.slice(0, 4).reduce((sum, n) => sum + n, 0);
  return counts;
}

const DAY_MS = 86_400_000;

/**
 * A count per UTC day of [from, to): `count(start, end)` counts one day's part of the range, run once per day of
 * a VALUES list, so each day is an index range of its own and no row is grouped or sorted. Grouping the rows by
 * day took SQLite 103 ms for 11 months at 1,000,000 cases (a temporary B-tree of 460,000 entries); a range count
 * per day, 16. One statement, so PostgreSQL plans the count once (a UNION ALL of a subquery per day spent more
 * time planning than counting).
 */
async function countPerDay(
  db: Executor,
  dialect: Dialect,
  from: string,
  to: string,
  count: (start: RawBuilder<string>, end: RawBuilder<string>) => Expression<unknown>,
): Promise<{ day: string; count: number }[]> {
  const days: RawBuilder<unknown>[] = [];
  const last = Date.parse(to);
  for (let start = Date.parse(from); start < last;) {
    const day = new Date(start).toISOString().slice(0, 10);
    const end = Math.min(last, Date.parse(`${day}T00:00:00.000Z`) + DAY_MS);
    const bound = (ms: number) => dialect.timestamp(new Date(ms).toISOString());
    days.push(sql`(${day}, ${bound(start)}, ${bound(end)})`);
    start = end;
  }
  if (!days.length) return [];
  const { rows } = await sql<{ day: string; n: string | number }>`
    with days (day, day_start, day_end) as (values ${sql.join(days)})
    select days.day, ${count(sql.ref<string>('days.day_start'), sql.ref<string>('days.day_end'))} as n from days`.execute(
    db,
  );
  return rows.map((r) => ({ day: r.day, count: Number(r.n) }));
}

/** Cases created per UTC day in [from, to): index `cases_created`, or the scope's. */
export function createdPerDay(
  db: Executor,
  dialect: Dialect,
  scope: CaseScope,
  from: string,
  to: string,
): Promise<{ day: string; count: number }[]> {
  return countPerDay(db, dialect, from, to, (start, end) =>
    db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('cases.created_time', '>=', start)
      .where('cases.created_time', '<', end)
      .where(scopeWhere(scope)),
  );
}

/** Whether the scope narrows the cases at all (else the rollup's tables answer without the cases table). */
const narrows = (scope: CaseScope) =>
  scope.owners !== null ||
  scope.origin !== undefined ||
  scope.type !== undefined ||
  scope.createdFrom !== undefined ||
  scope.createdTo !== undefined;

/**
 * Changes of Status to Closed per UTC day in [from, to), of cases in scope, from the rollup (`case_closes`, index
 * `case_closes_time`): every close counts, a reclose again. Unnarrowed, the index alone answers.
 */
export function closesPerDay(
  db: Executor,
  dialect: Dialect,
  scope: CaseScope,
  from: string,
  to: string,
): Promise<{ day: string; count: number }[]> {
  return countPerDay(db, dialect, from, to, (start, end) => {
    const closes = db
      .selectFrom('case_closes')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('case_closes.time', '>=', start)
      .where('case_closes.time', '<', end);
    if (!narrows(scope)) return closes;
    return closes.where((eb) =>
      eb.exists(
        eb
          .selectFrom('cases')
          .select(sql`1`.as('one'))
          .whereRef('cases.id', '=', 'case_closes.case_id')
          .where(scopeWhere(scope)),
      ),
    );
  });
}

/** Escalations (timeline entries of the escalation rule) per UTC day in [from, to). */
export async function escalationsPerDay(
  db: Executor,
  dialect: Dialect,
  scope: CaseScope,
  from: string,
  to: string,
): Promise<{ day: string; count: number }[]> {
  const day = dialect.utcDay(sql.ref('case_history.time'));
  const rows = await db
    .selectFrom('case_history')
    .innerJoin('cases', 'cases.id', 'case_history.case_id')
    .select([sql<string>`cast(${day} as text)`.as('day'), (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('case_history.action', '=', 'escalated')
    .where('case_history.time', '>=', from)
    .where('case_history.time', '<', to)
    .where(scopeWhere(scope))
    .groupBy(day)
    .execute();
  return rows.map((r) => ({ day: r.day, count: Number(r.n) }));
}

/** How a duration report groups its cases: per owner, per week (Monday, UTC), or all of them as one group. */
export type DurationGrouping = 'owner' | 'week' | 'all';

/** One group of durations: its size and the values at the ranks its median and p90 need, in milliseconds. */
export interface DurationSummary {
  /** grouping 'owner': the owner (null: unassigned); else null. */
  ownerId: string | null;
  /** grouping 'week': the Monday of the week; else null. */
  period: string | null;
  cases: number;
  /** The middle value of an odd count; the lower and upper of the two middle values of an even count. */
  lowerMiddleMs: number;
  upperMiddleMs: number;
  /** The value at rank ceil(0.9 n) (nearest rank). */
  p90Ms: number;
}

type MetricsColumn = 'created_time' | 'first_inbound_time' | 'first_response_time' | 'last_closed_time';
const metricsRef = (column: MetricsColumn) => sql.ref(`case_metrics.${column}`);

/**
 * Ranks the durations of each group in SQL and keeps only the three ranks a median and a p90 need, so an 11-month
 * report sends back one row per group, not one per case (46,000 rows at 100,000 cases cost 250 ms to read and
 * summarise in JavaScript on PostgreSQL). Ranks in integer arithmetic, the same on both engines: the middle of n
 * is (n + 1) / 2 and (n + 2) / 2, ceil(0.9 n) is (9 n + 9) / 10.
 */
async function summariseDurations(
  db: Executor,
  grouping: DurationGrouping,
  durations: Expression<{ g: unknown; ms: unknown }>,
): Promise<DurationSummary[]> {
  const { rows } = await sql<{
    g: string | null;
    n: string | number;
    lower: string | number;
    upper: string | number;
    p90: string | number;
  }>`
    select cast(g as text) as g, max(n) as n,
      max(case when rn = (n + 1) / 2 then ms end) as lower,
      max(case when rn = (n + 2) / 2 then ms end) as upper,
      max(case when rn = (9 * n + 9) / 10 then ms end) as p90
    from (
      select g, ms, row_number() over (partition by g order by ms) as rn, count(*) over (partition by g) as n
      from (${durations}) as d
    ) as ranked
    where rn in ((n + 1) / 2, (n + 2) / 2, (9 * n + 9) / 10)
    group by g`.execute(db);
  return rows.map((r) => ({
    ownerId: grouping === 'owner' ? r.g : null,
    period: grouping === 'week' ? r.g : null,
    cases: Number(r.n),
    lowerMiddleMs: Number(r.lower),
    upperMiddleMs: Number(r.upper),
    p90Ms: Number(r.p90),
  }));
}

/** The group of a case_metrics row: its owner, the week of `weekOf`, or one constant group. */
function groupKey(dialect: Dialect, grouping: DurationGrouping, weekOf: MetricsColumn) {
  if (grouping === 'owner') return sql.ref('case_metrics.owner_id');
  if (grouping === 'week') return dialect.utcWeekStart(metricsRef(weekOf));
  return sql`0`;
}

const millisecondsBetween = (dialect: Dialect, start: MetricsColumn, end: MetricsColumn) =>
  dialect.millisecondsBetween(metricsRef(start), metricsRef(end));

/**
 * First response's cohort: cases in scope created in [from, to) that have an inbound email, from the rollup
 * (`case_metrics`, which says what counts as inbound and outgoing): unfiltered or by owner, the covering index
 * `case_metrics_created` alone. The answered ones are summarised, the others counted as awaiting.
 */
function firstResponseCohort(db: Executor, scope: CaseScope, range: { from: string; to: string }) {
  return db
    .selectFrom('case_metrics')
    .where('created_time', '>=', range.from)
    .where('created_time', '<', range.to)
    .where('first_inbound_time', 'is not', null)
    .where(metricsScopeWhere(scope));
}

/**
 * The generated columns one duration report reads (migration 2026-12-04T0300-duration-ranks): the duration, null
 * for a case the report leaves out, the week it is reported in, and the time the range applies to.
 */
interface DurationColumns {
  ms: 'response_ms' | 'resolution_ms';
  week: 'response_week' | 'resolution_week';
  time: 'created_time' | 'last_closed_time';
}

/** First response: the cohort's answered cases (an inbound email and a response), by week of creation. */
const RESPONSE: DurationColumns = { ms: 'response_ms', week: 'response_week', time: 'created_time' };
/** Resolution: cases Closed now, by week of their last close, the range on that close. */
const RESOLUTION: DurationColumns = {
  ms: 'resolution_ms',
  week: 'resolution_week',
  time: 'last_closed_time',
};

/** First response of the cohort's answered cases, grouped by owner or by week of creation. */
export async function firstResponses(
  db: Executor,
  dialect: Dialect,
  scope: CaseScope,
  range: { from: string; to: string },
  grouping: DurationGrouping,
): Promise<DurationSummary[]> {
  const ranked = grouping === 'all' ? null : await rankedDurations(db, RESPONSE, scope, range, grouping);
  if (ranked) return ranked;
  const durations = firstResponseCohort(db, scope, range)
    .select([
      groupKey(dialect, grouping, 'created_time').as('g'),
      millisecondsBetween(dialect, 'first_inbound_time', 'first_response_time').as('ms'),
    ])
    .where('first_response_time', 'is not', null);
  return summariseDurations(db, grouping, durations);
}

/** The cohort's cases with no response yet: index `case_metrics_awaiting`, which holds only them. */
export async function awaitingFirstResponse(
  db: Executor,
  scope: CaseScope,
  range: { from: string; to: string },
): Promise<number> {
  const row = await firstResponseCohort(db, scope, range)
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('first_response_time', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Resolution (creation to the last change to Closed) of cases in scope Closed now whose last close is in
 * [from, to), grouped by owner or by week of that close.
 */
export async function resolutions(
  db: Executor,
  dialect: Dialect,
  scope: CaseScope,
  range: { from: string; to: string },
  grouping: DurationGrouping,
): Promise<DurationSummary[]> {
  const ranked = grouping === 'all' ? null : await rankedDurations(db, RESOLUTION, scope, range, grouping);
  if (ranked) return ranked;
  const durations = db
    .selectFrom('case_metrics')
    .select([
      groupKey(dialect, grouping, 'last_closed_time').as('g'),
      millisecondsBetween(dialect, 'created_time', 'last_closed_time').as('ms'),
    ])
    .where('last_closed_time', '>=', range.from)
    .where('last_closed_time', '<', range.to)
    .where('status', '=', 'Closed')
    .where(metricsScopeWhere(scope));
  return summariseDurations(db, grouping, durations);
}

/** Groups whose ranks are read in one statement at most: two members of a UNION ALL each (SQLite allows 500). */
const GROUPS_PER_STATEMENT = 40;
/** Bound values one statement may carry: SQLite allows 32,766, PostgreSQL 65,535. */
const BOUND_VALUES_PER_STATEMENT = 30_000;

/**
 * Durations grouped by week or by owner, ranked by stepping an index that holds each group in duration order
 * (`case_metrics_{response,resolution}_{week,owner}`): a count per group, then per group the two middle values
 * from the low end and the p90 from the high end (rank ceil(0.9 n) is n - ceil(0.9 n) steps from the top), so a
 * group of n costs about 0.6 n index steps and no sort. The range and the scope are checked in the index while it
 * is stepped. Per owner, the steps run over the owner's cases of every time, so the cost follows the owner's
 * cases, not the range (measured at 1,000,000 cases: 80 ms over 11 months, where the sort took 750).
 */
async function rankedDurations(
  db: Executor,
  columns: DurationColumns,
  scope: CaseScope,
  range: { from: string; to: string },
  grouping: 'week' | 'owner',
): Promise<DurationSummary[] | null> {
  const rowsIn = (within: CaseScope) =>
    db
      .selectFrom('case_metrics')
      .where(columns.ms, 'is not', null)
      .where(columns.time, '>=', range.from)
      .where(columns.time, '<', range.to)
      .where(metricsScopeWhere(within));
  let inRange = rowsIn(scope);
  const key = grouping === 'week' ? columns.week : 'owner_id';
  // Bounds the week index's range; the time conditions alone would be checked on every entry of it.
  if (grouping === 'week')
    inRange = inRange
      .where(columns.week, '>=', weekOf(range.from))
      .where(columns.week, '<=', weekOf(new Date(Date.parse(range.to) - 1).toISOString()));
  const counts = await inRange
    .select([
      sql<string | null>`cast(${sql.ref(key)} as text)`.as('g'),
      (eb) => eb.fn.countAll<string | number>().as('n'),
    ])
    .groupBy(key)
    .execute();
  const groups = counts.map((c) => ({ g: c.g, ranks: medianAndP90Ranks(Number(c.n)) }));
  // Per owner, a group's own owner condition keeps it in scope, so its picks leave out the scope's owner list (a team
  // of 3,000 made one statement bind 72,000 values); per week, every pick binds it.
  const picksScope = grouping === 'owner' ? { ...scope, owners: null } : scope;
  const picked = grouping === 'owner' ? rowsIn(picksScope) : inRange;
  const perStatement = Math.max(
    1,
    Math.min(
      GROUPS_PER_STATEMENT,
      Math.floor(BOUND_VALUES_PER_STATEMENT / (2 * (10 + (picksScope.owners?.length ?? 0)))),
    ),
  );
  const values: number[][] = [];
  for (let first = 0; first < groups.length; first += perStatement)
    values.push(
      ...(await readPicks(
        db,
        groups.slice(first, first + perStatement).map(({ g, ranks }) => ({
          rows: picked.where(sql.ref(key), g === null ? 'is' : '=', g),
          ranks,
        })),
        columns.ms,
      )),
    );
  // The counts and the picks are separate statements: a write between them that removed a group's last rows leaves
  // a pick empty. Then null, and the caller ranks in one statement, which reads one snapshot.
  if (groups.some(({ ranks }, i) => values[i].length !== (ranks.lower === ranks.upper ? 2 : 3))) return null;
  return groups.map(({ g, ranks }, i) => {
    // Ranks in increasing order are values in increasing order (p90's rank is never below the upper middle's), so
    // sorted they are the middle value(s) and the p90, whatever order the union returned them in.
    const sorted = values[i].sort((a, b) => a - b);
    const [lower, upper, p90] = ranks.lower === ranks.upper ? [sorted[0], sorted[0], sorted[1]] : sorted;
    return {
      ownerId: grouping === 'owner' ? g : null,
      period: grouping === 'week' ? g : null,
      cases: ranks.n,
      lowerMiddleMs: lower,
      upperMiddleMs: upper,
      p90Ms: p90,
    };
  });
}

/**
 * One statement for these groups: each group's rows stepped from the low end to its middle rank(s) and from the high
 * end to its p90 rank; the values per group, in no particular order.
 */
async function readPicks(
  db: Executor,
  groups: {
    rows: SelectQueryBuilder<Database, 'case_metrics', object>;
    ranks: ReturnType<typeof medianAndP90Ranks>;
  }[],
  ms: DurationColumns['ms'],
): Promise<number[][]> {
  const members = groups.flatMap(({ rows, ranks }, i) => {
    const fromLow = rows
      .select(sql.ref(ms).as('ms'))
      .orderBy(ms)
      .limit(ranks.upper - ranks.lower + 1)
      .offset(ranks.lower - 1);
    const fromHigh = rows
      .select(sql.ref(ms).as('ms'))
      .orderBy(ms, 'desc')
      .limit(1)
      .offset(ranks.n - ranks.p90);
    return [fromLow, fromHigh].map((picks) =>
      db.selectFrom(picks.as('p')).select([sql<number>`${sql.lit(i)}`.as('i'), 'p.ms']),
    );
  });
  const values: number[][] = groups.map(() => []);
  for (const r of await members.reduce((union, member) => union.unionAll(member)).execute())
    values[Number(r.i)].push(Number(r.ms));
  return values;
}

/** The 1-based ranks of the middle value(s) and of the nearest-rank p90 among n, as summariseDurations takes them. */
function medianAndP90Ranks(n: number) {
  return {
    n,
    lower: Math.floor((n + 1) / 2),
    upper: Math.floor((n + 2) / 2),
    p90: Math.floor((9 * n + 9) / 10),
  };
}

/** Open cases the active escalation rule would escalate now (`due`: dueForEscalation), per owner. */
export async function pastEscalation(
  db: Executor,
  dialect: Dialect,
  scope: CaseScope,
  due: CaseCondition,
): Promise<{ ownerId: string | null; count: number }[]> {
  const rows = await db
    .selectFrom('cases')
    .select(['cases.owner_id', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where(caseWhere(dialect, due))
    .where(scopeWhere(scope))
    .groupBy('cases.owner_id')
    .execute();
  return rows.map((r) => ({
    ownerId: r.owner_id === null ? null : String(r.owner_id),
    count: Number(r.n),
  }));
}

/** A manager's team: the manager and their direct reports. */
export async function teamOf(db: Executor, managerId: string): Promise<string[]> {
  const rows = await db.selectFrom('users').select('id').where('manager_id', '=', managerId).execute();
  return [managerId, ...rows.map((r) => String(r.id))];
}

export async function managerOf(db: Executor, userId: string): Promise<string | null> {
  const row = await db.selectFrom('users').select('manager_id').where('id', '=', userId).executeTakeFirst();
  return row?.manager_id == null ? null : String(row.manager_id);
}

export async function userExists(db: Executor, id: string): Promise<boolean> {
  return (await db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}
