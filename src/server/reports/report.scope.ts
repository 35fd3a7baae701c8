import type { ReportFilters, ReportName, ReportScope } from '../../shared/report-types';
import { TIMED_REPORTS } from '../../shared/report-types';
import type { Executor } from '../db/executor';
import type { CurrentUser } from '../http/context';
import { apiError } from '../http/errors';
import { type CaseScope, managerOf, teamOf, userExists } from './report.repository';

/**
 * Who sees what. Admins: every case (narrowed by owner or team when asked). Managers: their team, the manager and
 * their direct reports (owner must be one of them; team, if given, is the manager). Agents: their own cases, and
 * the same report over their team (their manager and everyone reporting to that manager) with the owners collapsed
 * into totals. Viewers own no cases and lead no team, so reports are refused to them.
 */

export interface ResolvedRange {
  from: Date;
  to: Date;
}

export interface ResolvedScopes {
  main: { scope: ReportScope; owners: readonly string[] | null };
  /** Agents only: their team's totals. */
  team?: readonly string[];
}

const DAY_MS = 86_400_000;
const MAX_RANGE_DAYS = 3 * 366;

const badParam = (name: string, message: string) =>
  apiError(400, 'INVALID_DATA', `${name}: ${message}`, { api_name: name, param_name: name });
const forbidden = (message: string) => apiError(403, 'NO_PERMISSION', message, { permissions: ['view'] });

function parseTime(name: 'from' | 'to', value: string): Date {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const time = new Date(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(time.getTime()) || (dateOnly && time.toISOString().slice(0, 10) !== value))
    throw badParam(name, 'expected a date (YYYY-MM-DD) or an ISO-8601 date-time');
  // A bare `to` date means through the end of that day.
  return name === 'to' && dateOnly ? new Date(time.getTime() + DAY_MS) : time;
}

/** The date range: given, or (for reports over time) the last 30 days; undefined for a snapshot without one. */
export function resolveRange(
  report: ReportName,
  filters: ReportFilters,
  now: Date,
): ResolvedRange | undefined {
  const timed = TIMED_REPORTS.includes(report);
  if (!timed && filters.from === undefined && filters.to === undefined) return undefined;
  const to = filters.to !== undefined ? parseTime('to', filters.to) : now;
  const from =
    filters.from !== undefined
      ? parseTime('from', filters.from)
      : new Date((timed ? to.getTime() : 0) - (timed ? 30 * DAY_MS : 0));
  if (from.getTime() >= to.getTime()) throw badParam('from', 'must be before to');
  if (timed && to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS)
    throw badParam('from', `the range may span at most ${MAX_RANGE_DAYS} days`);
  return { from, to };
}

async function knownUser(db: Executor, name: 'owner' | 'team', id: string): Promise<void> {
  if (!(await userExists(db, id))) throw badParam(name, `no user with id ${id}`);
}

export async function resolveScopes(
  db: Executor,
  user: CurrentUser,
  filters: ReportFilters,
): Promise<ResolvedScopes> {
  if (filters.owner !== undefined) await knownUser(db, 'owner', filters.owner);
  if (filters.team !== undefined) await knownUser(db, 'team', filters.team);
  if (user.role === 'viewer') throw forbidden('reports are for agents, managers and administrators');
  if (user.role === 'admin') {
    const team = filters.team === undefined ? null : await teamOf(db, filters.team);
    const owners = narrow(team, filters.owner);
    return { main: { scope: 'all', owners } };
  }
  if (user.role === 'manager') {
    if (filters.team !== undefined && filters.team !== user.id)
      throw forbidden('managers see their own team only');
    const team = await teamOf(db, user.id);
    if (filters.owner !== undefined && !team.includes(filters.owner))
      throw forbidden('that owner is not in your team');
    return { main: { scope: 'all', owners: narrow(team, filters.owner) } };
  }
  if (filters.owner !== undefined && filters.owner !== user.id)
    throw forbidden("agents see their own numbers and their team's totals");
  const manager = await managerOf(db, user.id);
  if (filters.team !== undefined && filters.team !== manager)
    throw forbidden("agents see their own team's totals only");
  const team = manager === null ? [user.id] : await teamOf(db, manager);
  return { main: { scope: 'own', owners: [user.id] }, team };
}

function narrow(team: readonly string[] | null, owner: string | undefined): readonly string[] | null {
  if (owner === undefined) return team;
  return team === null || team.includes(owner) ? [owner] : [];
}

export function caseScope(
  owners: readonly string[] | null,
  filters: ReportFilters,
  snapshotRange?: ResolvedRange,
): CaseScope {
  return {
    owners,
    origin: filters.origin,
    type: filters.type,
    createdFrom: snapshotRange?.from.toISOString(),
    createdTo: snapshotRange?.to.toISOString(),
  };
}
