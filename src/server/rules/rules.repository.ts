import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Dialect } from '../db/dialect';
import type { Executor } from '../db/executor';
import type { AssignmentRulesTable, EscalationRulesTable } from '../db/schema';

export type AssignmentRuleRow = Selectable<AssignmentRulesTable>;
export type EscalationRuleRow = Selectable<EscalationRulesTable>;

export async function allAssignmentRules(db: Executor): Promise<AssignmentRuleRow[]> {
  return db.selectFrom('assignment_rules').selectAll().orderBy('position').orderBy('id').execute();
}

/** Advance a round-robin rule atomically; returns the index to use (concurrent creators get different ones). */
export async function takeRoundRobinTurn(trx: Executor, ruleId: string): Promise<number> {
  const row = await trx
    .updateTable('assignment_rules')
    .set((eb) => ({ next_index: eb('next_index', '+', 1) }))
    .where('id', '=', ruleId)
    .returning('next_index')
    .executeTakeFirstOrThrow();
  return row.next_index - 1;
}

export async function insertAssignmentRule(
  db: Executor,
  row: Insertable<AssignmentRulesTable>,
): Promise<string> {
  const { id } = await db
    .insertInto('assignment_rules')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(id);
}

export async function updateAssignmentRule(
  db: Executor,
  id: string,
  patch: Updateable<AssignmentRulesTable>,
): Promise<boolean> {
  const r = await db.updateTable('assignment_rules').set(patch).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteAssignmentRule(db: Executor, id: string): Promise<boolean> {
  const r = await db.deleteFrom('assignment_rules').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function allEscalationRules(db: Executor): Promise<EscalationRuleRow[]> {
  return db.selectFrom('escalation_rules').selectAll().orderBy('id').execute();
}

export async function insertEscalationRule(
  db: Executor,
  row: Insertable<EscalationRulesTable>,
): Promise<string> {
  const { id } = await db
    .insertInto('escalation_rules')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(id);
}

export async function setEscalationRuleActive(
  trx: Executor,
  dialect: Dialect,
  id: string,
  active: boolean,
): Promise<boolean> {
  // Activating one deactivates the other (spec): one statement each, in the caller's transaction.
  if (active)
    await trx
      .updateTable('escalation_rules')
      .set({ active: dialect.bool(false) })
      .where('id', '!=', id)
      .execute();
  const r = await trx
    .updateTable('escalation_rules')
    .set({ active: dialect.bool(active) })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteEscalationRule(db: Executor, id: string): Promise<boolean> {
  const r = await db.deleteFrom('escalation_rules').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function activeEscalationRule(db: Executor): Promise<EscalationRuleRow | undefined> {
  const rules = await db.selectFrom('escalation_rules').selectAll().execute();
  return rules.find((r) => Boolean(r.active));
}
