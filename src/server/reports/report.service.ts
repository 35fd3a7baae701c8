import type { LookupRef } from '../../shared/api-types';
import type { FieldDefinition } from '../../shared/case-fields';
import {
  AGING_BUCKETS,
  type DurationRow,
  type ReportFilters,
  type ReportInfo,
  type ReportName,
  type ReportResponse,
  type ReportRows,
  type ReportScope,
  TIMED_REPORTS,
} from '../../shared/report-types';
import type { Dialect } from '../db/dialect';
import type { Executor } from '../db/executor';
import type { CurrentUser } from '../http/context';
import { namesOf } from '../lookups/lookup.repository';
import { dueForEscalation } from '../rules/escalation.service';
import { activeEscalationRule } from '../rules/rules.repository';
import * as repo from './report.repository';
import { type ResolvedRange, caseScope, resolveRange, resolveScopes } from './report.scope';
import { medianSeconds, periodOf, periods, trendLine } from './report.stats';

export interface ReportContext {
  db: Executor;
  dialect: Dialect;
  fields: readonly FieldDefinition[];
  user: CurrentUser;
  /** The clock: the routes pass the time of the request, tests a fixed one. */
  now: Date;
}

interface Run {
  ctx: ReportContext;
  scope: repo.CaseScope;
  range: ResolvedRange | undefined;
  filters: ReportFilters;
  /** Team totals: owners are summed into one row (null owner). */
  collapse: boolean;
}

type Computed = { rows: unknown[]; extra?: Partial<ReportInfo> };
const DAY_MS = 86_400_000;

const ownerKey = (run: Run, id: string | null) => (run.collapse ? null : id);

async function refs(db: Executor, ids: (string | null)[]): Promise<(id: string | null) => LookupRef | null> {
  const names = await namesOf(
    db,
    'Users',
    ids.filter((id): id is string => id !== null),
  );
  return (id) => (id === null ? null : { id, name: names.get(id)?.name ?? '' });
}

/** Open counts by columns, owners collapsed for team totals, largest first. */
async function openRows(
  run: Run,
  columns: repo.OpenColumn[],
): Promise<{ keys: (string | null)[]; count: number }[]> {
  const raw = await repo.openCounts(run.ctx.db, run.scope, columns);
  const ownerAt = columns.indexOf('owner_id');
  const merged = new Map<string, { keys: (string | null)[]; count: number }>();
  for (const r of raw) {
    const keys = r.keys.map((k, i) => (i === ownerAt ? ownerKey(run, k) : k));
    const key = JSON.stringify(keys);
    const row = merged.get(key) ?? { keys, count: 0 };
    row.count += r.count;
    merged.set(key, row);
  }
  return [...merged.values()].sort(
    (a, b) => b.count - a.count || JSON.stringify(a.keys).localeCompare(JSON.stringify(b.keys)),
  );
}

async function statusOwner(run: Run): Promise<Computed> {
  const rows = await openRows(run, ['status', 'owner_id']);
  const ref = await refs(
    run.ctx.db,
    rows.map((r) => r.keys[1]),
  );
  return { rows: rows.map((r) => ({ status: r.keys[0] ?? '', owner: ref(r.keys[1]), count: r.count })) };
}

async function simpleOpen(run: Run, column: repo.OpenColumn, name: string): Promise<Computed> {
  const rows = await openRows(run, [column]);
  return { rows: rows.map((r) => ({ [name]: r.keys[0], count: r.count })) };
}

async function typeReason(run: Run): Promise<Computed> {
  const rows = await openRows(run, ['type', 'case_reason']);
  return { rows: rows.map((r) => ({ type: r.keys[0], case_reason: r.keys[1], count: r.count })) };
}

async function aging(run: Run): Promise<Computed> {
  const now = run.ctx.now.getTime();
  const ago = (days: number) => new Date(now - days * DAY_MS).toISOString();
  const counts = await repo.agingCounts(run.ctx.db, run.scope, [ago(1), ago(3), ago(7), ago(30)]);
  return { rows: AGING_BUCKETS.map((bucket, i) => ({ bucket, count: counts[i] })) };
}

const rangeOf = (run: Run) => run.range as ResolvedRange;
const isoRange = (run: Run) => ({ from: rangeOf(run).from.toISOString(), to: rangeOf(run).to.toISOString() });
const intervalOf = (run: Run) => run.filters.interval ?? 'day';

/** Created: cases created in the period. Closed: every change of Status to Closed in it (a reclose counts again). */
async function createdVsClosed(run: Run): Promise<Computed> {
  const { from, to } = rangeOf(run);
  const interval = intervalOf(run);
  const created = await repo.createdPerDay(
    run.ctx.db,
    run.ctx.dialect,
    run.scope,
    from.toISOString(),
    to.toISOString(),
  );
  const closed = await repo.closesPerDay(
    run.ctx.db,
    run.ctx.dialect,
    run.scope,
    from.toISOString(),
    to.toISOString(),
  );
  const keys = periods(from, to, interval);
  const index = new Map(keys.map((k, i) => [k, i]));
  const createdCounts = keys.map(() => 0);
  const closedCounts = keys.map(() => 0);
  for (const d of created) createdCounts[index.get(periodOf(d.day, interval)) ?? -1] += d.count;
  for (const d of closed) closedCounts[index.get(periodOf(d.day, interval)) ?? -1] += d.count;
  const createdTrend = trendLine(createdCounts);
  const closedTrend = trendLine(closedCounts);
  return {
    rows: keys.map((period, i) => ({
      period,
      created: createdCounts[i],
      closed: closedCounts[i],
      created_trend: createdTrend[i],
      closed_trend: closedTrend[i],
    })),
  };
}

/** By owner (all owners as one for team totals) or by week; as `by` says. */
const groupingOf = (run: Run): repo.DurationGrouping =>
  run.filters.by === 'week' ? 'week' : run.collapse ? 'all' : 'owner';

/** Duration groups in seconds, in period then owner order; periods with no case are left out. */
async function durationRows(run: Run, groups: repo.DurationSummary[]): Promise<DurationRow[]> {
  const list = [...groups].sort(
    (a, b) =>
      (a.period ?? '').localeCompare(b.period ?? '') || (a.ownerId ?? '').localeCompare(b.ownerId ?? ''),
  );
  const ref = await refs(
    run.ctx.db,
    list.map((g) => g.ownerId),
  );
  return list.map((g) => ({
    owner: ref(g.ownerId),
    period: g.period,
    cases: g.cases,
    median_seconds: medianSeconds(g.lowerMiddleMs, g.upperMiddleMs),
    p90_seconds: g.p90Ms / 1000,
  }));
}

/** From the first inbound email to the first reply at or after it; cohort: cases created in the range. */
async function firstResponse(run: Run): Promise<Computed> {
  const range = isoRange(run);
  const groups = await repo.firstResponses(run.ctx.db, run.ctx.dialect, run.scope, range, groupingOf(run));
  const awaiting = await repo.awaitingFirstResponse(run.ctx.db, run.scope, range);
  return { rows: await durationRows(run, groups), extra: { awaiting } };
}

/**
 * From creation to the last change of Status to Closed, for cases that are Closed now and whose last close falls in
 * the range; a reopened case that is not closed again is not resolved, one closed again counts to that last close.
 */
async function resolution(run: Run): Promise<Computed> {
  const groups = await repo.resolutions(
    run.ctx.db,
    run.ctx.dialect,
    run.scope,
    isoRange(run),
    groupingOf(run),
  );
  return { rows: await durationRows(run, groups) };
}

async function escalations(run: Run): Promise<Computed> {
  const { from, to } = rangeOf(run);
  const days = await repo.escalationsPerDay(
    run.ctx.db,
    run.ctx.dialect,
    run.scope,
    from.toISOString(),
    to.toISOString(),
  );
  const keys = periods(from, to, 'week');
  const counts = new Map(keys.map((k) => [k, 0]));
  for (const d of days) {
    const week = periodOf(d.day, 'week');
    counts.set(week, (counts.get(week) ?? 0) + d.count);
  }
  return { rows: keys.map((period) => ({ period, escalations: counts.get(period) ?? 0 })) };
}

/** Open cases the active escalation rule is due to escalate (what its next pass would pick up), per owner. */
async function pastEscalation(run: Run): Promise<Computed> {
  const rule = await activeEscalationRule(run.ctx.db);
  if (!rule) return { rows: [], extra: { rule_hours: null } };
  const due = dueForEscalation(rule, run.ctx.fields, run.ctx.now);
  const raw = await repo.pastEscalation(run.ctx.db, run.ctx.dialect, run.scope, due);
  const merged = new Map<string | null, number>();
  for (const r of raw)
    merged.set(ownerKey(run, r.ownerId), (merged.get(ownerKey(run, r.ownerId)) ?? 0) + r.count);
  const ref = await refs(run.ctx.db, [...merged.keys()]);
  const rows = [...merged.entries()]
    .sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])))
    .map(([owner, count]) => ({ owner: ref(owner), count }));
  return { rows, extra: { rule_hours: rule.hours } };
}

const REPORTS: Record<ReportName, (run: Run) => Promise<Computed>> = {
  open_by_status_owner: statusOwner,
  open_by_priority: (run) => simpleOpen(run, 'priority', 'priority'),
  open_by_origin: (run) => simpleOpen(run, 'case_origin', 'origin'),
  open_by_type_reason: typeReason,
  aging,
  created_vs_closed: createdVsClosed,
  first_response: firstResponse,
  resolution,
  escalations,
  past_escalation: pastEscalation,
};

async function compute<N extends ReportName>(
  ctx: ReportContext,
  report: N,
  filters: ReportFilters,
  range: ResolvedRange | undefined,
  owners: readonly string[] | null,
  scope: ReportScope,
): Promise<{ data: ReportRows[N][]; info: ReportInfo }> {
  const snapshot = range && !TIMED_REPORTS.includes(report);
  const run: Run = {
    ctx,
    scope: caseScope(owners, filters, snapshot ? range : undefined),
    range,
    filters,
    collapse: scope === 'team',
  };
  const { rows, extra } = await REPORTS[report](run);
  const info: ReportInfo = {
    report,
    scope,
    from: range?.from.toISOString() ?? null,
    to: range?.to.toISOString() ?? null,
    generated_time: ctx.now.toISOString(),
    ...extra,
  };
  return { data: rows as ReportRows[N][], info };
}

export async function runReport<N extends ReportName>(
  ctx: ReportContext,
  report: N,
  filters: ReportFilters,
): Promise<ReportResponse<N>> {
  const range = resolveRange(report, filters, ctx.now);
  const scopes = await resolveScopes(ctx.db, ctx.user, filters);
  const main = await compute(ctx, report, filters, range, scopes.main.owners, scopes.main.scope);
  if (!scopes.team) return main;
  return { ...main, team_totals: await compute(ctx, report, filters, range, scopes.team, 'team') };
}
