import type { FieldDefinition } from '../../shared/case-fields';
import type { AssignmentRule } from '../../shared/rule-types';
import { isRecordId, type CaseValues } from '../../shared/validation';
import type { Dialect } from '../db/dialect';
import { type Executor, nowIso } from '../db/executor';
import { notFound } from '../http/errors';
import { namesOf } from '../lookups/lookup.repository';
import { invalidRule, matches, parseRuleCriteria, ruleBasics } from './criteria-eval';
import * as repo from './rules.repository';

/**
 * Assignment rules (seed step 3): ordered criteria on case fields → an owner, or a round-robin group.
 * Applied to every case created without an explicit owner, whatever its origin.
 */

/** The active rules, loaded once per write so a batch of cases does not query them per case. */
export async function loadAssignmentRules(trx: Executor): Promise<repo.AssignmentRuleRow[]> {
  return (await repo.allAssignmentRules(trx)).filter((r) => Boolean(r.active));
}

export async function ownerByAssignmentRules(
  trx: Executor,
  fields: readonly FieldDefinition[],
  values: CaseValues,
  rules: repo.AssignmentRuleRow[],
): Promise<{ ownerId: string; ruleName: string } | undefined> {
  for (const rule of rules) {
    if (rule.criteria && !matches(parseRuleCriteria(rule.criteria, fields), values)) continue;
    if (rule.owner_id !== null) return { ownerId: String(rule.owner_id), ruleName: rule.name };
    const group = JSON.parse(rule.round_robin_user_ids) as string[];
    if (group.length === 0) continue;
    const turn = await repo.takeRoundRobinTurn(trx, String(rule.id));
    return { ownerId: group[turn % group.length], ruleName: rule.name };
  }
  return undefined;
}

async function toApi(db: Executor, rows: repo.AssignmentRuleRow[]): Promise<AssignmentRule[]> {
  const ids = rows.flatMap((r) => [
    ...(r.owner_id !== null ? [r.owner_id] : []),
    ...(JSON.parse(r.round_robin_user_ids) as string[]),
  ]);
  const users = await namesOf(db, 'Users', ids);
  const ref = (id: string) => ({ id, name: users.get(id)?.name ?? '' });
  return rows.map((r) => ({
    id: String(r.id),
    name: r.name,
    position: r.position,
    criteria: r.criteria,
    owner: r.owner_id === null ? null : ref(String(r.owner_id)),
    round_robin_users: (JSON.parse(r.round_robin_user_ids) as string[]).map(ref),
    active: Boolean(r.active),
  }));
}

export async function listAssignmentRules(db: Executor): Promise<AssignmentRule[]> {
  return toApi(db, await repo.allAssignmentRules(db));
}

interface RuleInput {
  name: string;
  position: number;
  criteria: string | null;
  owner_id: string | null;
  round_robin_user_ids: string[];
  active: boolean;
}

async function validateRuleInput(
  db: Executor,
  fields: readonly FieldDefinition[],
  input: unknown,
): Promise<RuleInput> {
  const bad = invalidRule;
  const { r, name, criteria } = ruleBasics(
    input,
    ['name', 'position', 'criteria', 'owner', 'round_robin_users', 'active'],
    fields,
  );
  const position = r.position ?? 1;
  if (!Number.isInteger(position) || (position as number) < 1 || (position as number) > 10_000)
    bad('position', 'an integer from 1 to 10000');
  const idOf = (v: unknown) => (typeof v === 'object' && v !== null ? (v as { id?: unknown }).id : v);
  const owner = r.owner === undefined || r.owner === null ? null : idOf(r.owner);
  if (owner !== null && !isRecordId(owner)) bad('owner', 'expected a user id');
  const group = r.round_robin_users === undefined ? [] : r.round_robin_users;
  if (!Array.isArray(group) || group.length > 100 || !group.map(idOf).every(isRecordId))
    bad('round_robin_users', 'expected up to 100 user ids');
  const groupIds = (group as unknown[]).map(idOf) as string[];
  if ((owner === null) === (groupIds.length === 0))
    bad('owner', 'give either an owner or a round-robin group');
  const known = await namesOf(db, 'Users', [...(owner ? [owner as string] : []), ...groupIds]);
  for (const id of [...(owner ? [owner as string] : []), ...groupIds])
    if (!known.has(id)) bad('owner', `no user with id ${id}`);
  return {
    name,
    position: position as number,
    criteria,
    owner_id: owner as string | null,
    round_robin_user_ids: groupIds,
    active: r.active === undefined ? true : r.active === true,
  };
}

export async function createAssignmentRule(
  trx: Executor,
  dialect: Dialect,
  fields: readonly FieldDefinition[],
  input: unknown,
): Promise<string> {
  const rule = await validateRuleInput(trx, fields, input);
  return repo.insertAssignmentRule(trx, {
    ...rule,
    round_robin_user_ids: JSON.stringify(rule.round_robin_user_ids),
    next_index: 0,
    active: dialect.bool(rule.active),
    created_time: nowIso(),
  });
}

export async function replaceAssignmentRule(
  trx: Executor,
  dialect: Dialect,
  fields: readonly FieldDefinition[],
  id: string,
  input: unknown,
): Promise<void> {
  const rule = await validateRuleInput(trx, fields, input);
  const updated = await repo.updateAssignmentRule(trx, id, {
    ...rule,
    round_robin_user_ids: JSON.stringify(rule.round_robin_user_ids),
    active: dialect.bool(rule.active),
  });
  if (!updated) throw notFound(id);
}

export async function removeAssignmentRule(trx: Executor, id: string): Promise<void> {
  if (!(await repo.deleteAssignmentRule(trx, id))) throw notFound(id);
}
