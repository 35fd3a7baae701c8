import type { FieldDefinition } from '../../shared/case-fields';
import type { EscalationRule } from '../../shared/rule-types';
import { isRecordId } from '../../shared/validation';
import type { Storage } from '../db/database';
import type { Dialect } from '../db/dialect';
import { type Executor, nowIso } from '../db/executor';
import { apiError, notFound } from '../http/errors';
import { namesOf } from '../lookups/lookup.repository';
import { findUserById } from '../users/user.repository';
import { type CaseCondition, compare, isNoneOf } from '../cases/case-condition';
import { compileCriteria } from '../cases/case.query';
import { listCases, updateCase } from '../cases/case.repository';
import * as history from '../history/history.service';
import { invalidRule, parseRuleCriteria, ruleBasics } from './criteria-eval';
import * as repo from './rules.repository';
import { runEvery } from '../run-every';

/**
 * Escalation rules (seed's related article): criteria + "not acted on within N hours" → escalate to a named user
 * or the owner's manager, set Status = Escalated, record it. One rule is active at a time.
 */

const ADVISORY_LOCK = 0x43415345; // "CASE": one escalation runner at a time across processes
const BATCH = 500;

export async function listEscalationRules(db: Executor): Promise<EscalationRule[]> {
  const rows = await repo.allEscalationRules(db);
  const users = await namesOf(
    db,
    'Users',
    rows.map((r) => r.escalate_to_id).filter((id) => id !== null),
  );
  return rows.map((r) => ({
    id: String(r.id),
    name: r.name,
    criteria: r.criteria,
    hours: r.hours,
    escalate_to:
      r.escalate_to_id === null
        ? null
        : { id: String(r.escalate_to_id), name: users.get(String(r.escalate_to_id))?.name ?? '' },
    to_owners_manager: Boolean(r.to_owners_manager),
    active: Boolean(r.active),
  }));
}

export async function createEscalationRule(
  trx: Executor,
  dialect: Dialect,
  fields: readonly FieldDefinition[],
  input: unknown,
): Promise<string> {
  const bad = invalidRule;
  const { r, name, criteria } = ruleBasics(
    input,
    ['name', 'criteria', 'hours', 'escalate_to', 'to_owners_manager', 'active'],
    fields,
  );
  if (!Number.isInteger(r.hours) || (r.hours as number) < 1 || (r.hours as number) > 24 * 365)
    bad('hours', 'an integer from 1 to 8760');
  const target =
    typeof r.escalate_to === 'object' && r.escalate_to !== null
      ? (r.escalate_to as { id?: unknown }).id
      : r.escalate_to;
  const toManager = r.to_owners_manager === true;
  if (target !== undefined && target !== null && !isRecordId(target))
    bad('escalate_to', 'expected a user id');
  if ((target === undefined || target === null) === !toManager)
    bad('escalate_to', 'give either escalate_to or to_owners_manager: true');
  if (typeof target === 'string' && !(await findUserById(trx, target)))
    bad('escalate_to', `no user with id ${target}`);
  const id = await repo.insertEscalationRule(trx, {
    name,
    criteria,
    hours: r.hours as number,
    escalate_to_id: (target as string | undefined) ?? null,
    to_owners_manager: dialect.bool(toManager),
    active: dialect.bool(false),
    created_time: nowIso(),
  });
  if (r.active === true) await repo.setEscalationRuleActive(trx, dialect, id, true);
  return id;
}

export async function setActive(trx: Executor, dialect: Dialect, id: string, active: unknown): Promise<void> {
  if (typeof active !== 'boolean')
    throw apiError(400, 'INVALID_DATA', 'active: expected true or false', { api_name: 'active' });
  if (!(await repo.setEscalationRuleActive(trx, dialect, id, active))) throw notFound(id);
}

export async function removeEscalationRule(trx: Executor, id: string): Promise<void> {
  if (!(await repo.deleteEscalationRule(trx, id))) throw notFound(id);
}

/**
 * The cases a rule escalates at `now`: not already Escalated or Closed, not changed within its hours, matching its
 * criteria. The escalation pass and the past-escalation report both read this one definition.
 */
export function dueForEscalation(
  rule: { hours: number; criteria: string | null },
  fields: readonly FieldDefinition[],
  now: Date,
): CaseCondition {
  const cutoff = new Date(now.getTime() - rule.hours * 3600_000).toISOString();
  const items = [isNoneOf('status', ['Escalated', 'Closed']), compare('modified_time', '<', cutoff)];
  if (rule.criteria) items.push(compileCriteria(parseRuleCriteria(rule.criteria, fields), fields));
  return { kind: 'and', items };
}

/** One pass of the active rule over cases not acted on in time. Safe to call from several processes at once. */
export async function runEscalation(
  storage: Storage,
  fields: readonly FieldDefinition[],
  now = new Date(),
): Promise<{ escalated: number; locked: boolean }> {
  return storage.write(async (trx) => {
    if (!(await storage.dialect.tryTransactionLock(trx, ADVISORY_LOCK)))
      return { escalated: 0, locked: true };
    const rule = await repo.activeEscalationRule(trx);
    if (!rule) return { escalated: 0, locked: false };
    const due = await listCases(trx, storage.dialect, {
      where: dueForEscalation(rule, fields, now),
      orderBy: 'modified_time',
      direction: 'asc',
      limit: BATCH,
      offset: 0,
    });
    const time = now.toISOString();
    let escalated = 0;
    for (const row of due) {
      let target = rule.escalate_to_id === null ? null : String(rule.escalate_to_id);
      if (target === null && row.owner_id !== null) {
        const owner = await findUserById(trx, String(row.owner_id));
        target = owner?.manager_id == null ? null : String(owner.manager_id);
      }
      const ownerId = target ?? (row.owner_id === null ? null : String(row.owner_id));
      const changed = await updateCase(
        trx,
        String(row.id),
        { status: 'Escalated', owner_id: ownerId, modified_time: time },
        row.version,
      );
      if (!changed) continue;
      const changes: history.FieldChange[] = [
        { api_name: 'Status', old: row.status, new: 'Escalated' },
        { api_name: 'Escalation_Rule', old: null, new: `${rule.name} (${rule.hours} h)` },
      ];
      if (ownerId !== (row.owner_id === null ? null : String(row.owner_id)))
        changes.push({
          api_name: 'Owner',
          old: row.owner_id === null ? null : String(row.owner_id),
          new: ownerId,
        });
      await history.record(trx, String(row.id), 'escalated', null, time, changes);
      escalated++;
    }
    return { escalated, locked: false };
  });
}

/** Runs the escalation pass on a timer inside the server; errors are logged, never fatal. */
export function startEscalationSchedule(
  storage: Storage,
  currentFields: () => readonly FieldDefinition[],
  intervalMs: number,
  log: (error: unknown) => void,
): () => void {
  return runEvery(intervalMs, () => runEscalation(storage, currentFields()), log);
}
