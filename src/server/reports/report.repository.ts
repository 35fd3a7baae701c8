import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Dialect } from '../db/dialect';
import type { Executor } from '../db/executor';
import type { Database } from '../db/schema';
import type { CaseCondition } from '../cases/case-condition';
import { caseWhere } from '../cases/case.repository';

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

/** Cases created per UTC day in [from, to). */
export async function createdPerDay(
  db: Executor,
  dialect: Dialect,
  scope: CaseScope,
  from: string,
  to: string,
): Promise<{ day: string; count: number }[]> {
  const day = dialect.utcDay(sql.ref('cases.created_time'));
  const rows = await db
    .selectFrom('cases')
    .select([day.as('day'), (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('cases.created_time', '>=', from)
    .where('cases.created_time', '<', to)
    .where(scopeWhere(scope))
    .groupBy(sql`1`)
    .execute();
  return rows.map((r) => ({ day: r.day, count: Number(r.n) }));
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
export async function closesPerDay(
  db: Executor,
  dialect: Dialect,
  scope: CaseScope,
  from: string,
  to: string,
): Promise<{ day: string; count: number }[]> {
  const day = dialect.utcDay(sql.ref('case_closes.time'));
  let query = db
    .selectFrom('case_closes')
    .select([day.as('day'), (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('case_closes.time', '>=', from)
    .where('case_closes.time', '<', to)
    .groupBy(sql`1`);
  if (narrows(scope))
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('cases')
          .select(sql`1`.as('one'))
          .whereRef('cases.id', '=', 'case_closes.case_id')
          .where(scopeWhere(scope)),
      ),
    );
  const rows = await query.execute();
  return rows.map((r) => ({ day: r.day, count: Number(r.n) }));
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
    .select([day.as('day'), (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('case_history.action', '=', 'escalated')
    .where('case_history.time', '>=', from)
    .where('case_history.time', '<', to)
    .where(scopeWhere(scope))
    .groupBy(sql`1`)
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

/** First response of the cohort's answered cases, grouped by owner or by week of creation. */
export function firstResponses(
  db: Executor,
  dialect: Dialect,
  scope: CaseScope,
  range: { from: string; to: string },
  grouping: DurationGrouping,
): Promise<DurationSummary[]> {
  const durations = firstResponseCohort(db, scope, range)
    .select([
      groupKey(dialect, grouping, 'created_time').as('g'),
      millisecondsBetween(dialect, 'first_inbound_time', 'first_response_time').as('ms'),
    ])
    .where('first_response_time', 'is not', null);
  return summariseDurations(db, grouping, durations);
}

/** The cohort's cases with no response yet. */
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
 * [from, to), grouped by owner or by week of that close: index `case_metrics_last_closed`.
 */
export function resolutions(
  db: Executor,
  dialect: Dialect,
  scope: CaseScope,
  range: { from: string; to: string },
  grouping: DurationGrouping,
): Promise<DurationSummary[]> {
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
