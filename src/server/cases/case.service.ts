import type { Insertable, Updateable } from 'kysely';
import type { CaseRecord, RecordResult } from '../../shared/api-types';
import { type FieldDefinition, type LookupModule, LIMITS } from '../../shared/case-fields';
import { type CaseValues, type FieldError, validateCase } from '../../shared/validation';
import { type Executor, nowIso } from '../db/executor';
import type { CasesTable, RowId } from '../db/schema';
import type { ServiceContext } from '../http/context';
import { apiError, notFound, recordError, recordErrors } from '../http/errors';
import { namesOf } from '../lookups/lookup.repository';
import * as history from '../history/history.service';
import { loadAssignmentRules, ownerByAssignmentRules } from '../rules/assignment.service';
import { type BatchMode, inRequestOrder, refuseIfAllOrNothing } from '../zoho/batch';
import * as repo from './case.repository';
import type { CaseRow } from './case.repository';
import {
  customValues,
  formatCaseNumber,
  patchFromValues,
  success,
  toRecords,
  valuesOfRow,
} from './case.mapper';

/** Cases: create (validated, numbered, assigned), update with optimistic concurrency, delete, clone. */

/** Lookup ids must name existing records; checked inside the write transaction. */
export async function lookupErrors(
  db: Executor,
  values: CaseValues,
  fields: readonly FieldDefinition[],
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  for (const field of fields) {
    const id = values[field.apiName];
    if (field.type !== 'lookup' || typeof id !== 'string') continue;
    const found = await namesOf(db, field.lookupModule as LookupModule, [id]);
    if (!found.has(id))
      errors.push({
        code: 'INVALID_DATA',
        api_name: field.apiName,
        message: `${field.apiName}: no ${field.lookupModule} record with id ${id}`,
        expected_data_type: 'lookup',
      });
  }
  return errors;
}

/**
 * Insert validated cases in one go: assignment rules loaded once, case numbers allocated as one range, and the
 * cases and their history written with multi-row inserts. Returns ids and numbers in input order.
 * `alsoRecord` adds the caller's own history entries for each new case (the `index`-th of `list`) to the same insert
 * (one statement fewer).
 */
export async function insertValidatedMany(
  trx: Executor,
  ctx: ServiceContext,
  list: CaseValues[],
  now: string,
  action: history.HistoryAction = 'created',
  alsoRecord?: (caseId: string, index: number) => history.HistoryEntry[],
): Promise<{ id: string; caseNumber: string }[]> {
  if (list.length === 0) return [];
  const rules = await loadAssignmentRules(trx);
  const numbers = await repo.allocateCaseNumbers(trx, ctx.dialect, list.length);
  if (String(numbers[numbers.length - 1]).length > LIMITS.Case_Number_Digits)
    throw apiError(507, 'LIMIT_EXCEEDED', 'case numbers exhausted (16 digits)');
  const prepared = [];
  for (const [index, values] of list.entries()) {
    // An owner the caller chose stays; otherwise the assignment rules decide, and failing those the creator owns it.
    const assigned =
      values.Owner || rules.length === 0
        ? undefined
        : await ownerByAssignmentRules(trx, ctx.fields, values, rules);
    const withOwner: CaseValues = { ...values, Owner: values.Owner ?? assigned?.ownerId ?? ctx.user.id };
    const { patch, custom } = patchFromValues(withOwner, ctx.fields, {});
    // Completed in place: a copy per row showed in an import's profile.
    patch.case_number = numbers[index];
    patch.custom_fields = custom ?? '{}';
    patch.created_time = patch.modified_time = now;
    patch.created_by_id = patch.modified_by_id = ctx.user.id;
    patch.version = 1;
    prepared.push({ row: patch as Insertable<CasesTable>, withOwner, assigned });
  }
  const ids = await repo.insertCases(
    trx,
    prepared.map((p) => p.row),
  );
  const entries: history.HistoryEntry[] = [];
  prepared.forEach((p, index) => {
    entries.push({
      caseId: ids[index],
      action,
      actorId: ctx.user.id,
      time: now,
      // Against nothing, the diff lists exactly the fields given a value.
      changes: history.diff({}, p.withOwner),
    });
    if (p.assigned)
      entries.push({
        caseId: ids[index],
        action: 'assigned',
        actorId: null,
        time: now,
        changes: [
          { api_name: 'Owner', old: null, new: `${p.assigned.ownerId} (rule: ${p.assigned.ruleName})` },
        ],
      });
    if (alsoRecord) entries.push(...alsoRecord(ids[index], index));
  });
  await history.recordMany(trx, entries);
  return ids.map((id, index) => ({ id, caseNumber: formatCaseNumber(numbers[index]) }));
}

export async function insertValidated(
  trx: Executor,
  ctx: ServiceContext,
  values: CaseValues,
  now: string,
  action: history.HistoryAction = 'created',
  alsoRecord?: (caseId: string) => history.HistoryEntry[],
): Promise<{ id: string; caseNumber: string }> {
  return (await insertValidatedMany(trx, ctx, [values], now, action, alsoRecord))[0];
}

export function validateForCreate(ctx: ServiceContext, input: unknown) {
  return validateCase(input, { fields: ctx.fields, mode: 'create' });
}

/**
 * POST /Cases: validate every record first (nothing is written for a record with any error), then write the valid
 * ones in the caller's transaction. Zoho's way (`per_record`) writes those and reports each record; in
 * `all_or_nothing` one invalid record means nothing is written.
 */
export async function createCases(
  trx: Executor,
  ctx: ServiceContext,
  inputs: unknown[],
  action: history.HistoryAction = 'created',
  mode: BatchMode = 'all_or_nothing',
): Promise<RecordResult[]> {
  const validated = inputs.map((input) => validateForCreate(ctx, input));
  const perRecord: (FieldError[] | null)[] = [];
  for (const v of validated) {
    const errors = v.ok ? await lookupErrors(trx, v.values, ctx.fields) : v.errors;
    perRecord.push(errors.length ? errors : null);
  }
  refuseIfAllOrNothing(mode, perRecord);
  const valid = validated.flatMap((v, i) => (v.ok && !perRecord[i] ? [v.values] : []));
  const now = nowIso();
  const inserted = await insertValidatedMany(trx, ctx, valid, now, action);
  const written = inserted.map(({ id, caseNumber }) =>
    success('record added', { id, Case_Number: caseNumber, Created_Time: now, Modified_Time: now }),
  );
  return inRequestOrder(perRecord, written);
}

export interface CaseUpdate {
  id: string;
  input: Record<string, unknown>;
}

/** PUT /Cases: like createCases, each record validated on its own; `mode` decides what an invalid one stops. */
export async function updateCases(
  trx: Executor,
  ctx: ServiceContext,
  updates: CaseUpdate[],
  mode: BatchMode = 'all_or_nothing',
): Promise<RecordResult[]> {
  const rows = await repo.findCasesByIds(
    trx,
    updates.map((u) => u.id),
  );
  const byId = new Map(rows.map((r) => [String(r.id), r]));
  const perRecord: (FieldError[] | null)[] = [];
  const plans: { row: CaseRow; values: CaseValues }[] = [];
  const seen = new Set<string>();
  for (const update of updates) {
    const row = byId.get(update.id);
    if (!row) {
      perRecord.push([{ code: 'INVALID_DATA', api_name: 'id', message: `no case with id ${update.id}` }]);
      continue;
    }
    // Both would be checked against the version read before either was written: the second could only conflict.
    if (seen.has(update.id)) {
      perRecord.push([
        {
          code: 'INVALID_DATA',
          api_name: 'id',
          message: `case ${update.id} appears earlier in this request`,
        },
      ]);
      continue;
    }
    seen.add(update.id);
    const { $version: expected, ...input } = update.input;
    // Optimistic concurrency: a client that read version N may only write over version N.
    if (expected !== undefined && expected !== row.version) {
      throw apiError(
        409,
        'CONFLICT',
        'the case was changed by someone else since you opened it; reload to see the change',
        {
          id: update.id,
          expected_version: expected,
          current_version: row.version,
          Modified_Time: row.modified_time,
        },
      );
    }
    const result = validateCase(input, {
      fields: ctx.fields,
      mode: 'update',
      existing: valuesOfRow(row, ctx.fields),
    });
    if (!result.ok) {
      perRecord.push(result.errors);
      continue;
    }
    const lookups = await lookupErrors(trx, result.values, ctx.fields);
    perRecord.push(lookups.length ? lookups : null);
    if (!lookups.length) plans.push({ row, values: result.values });
  }
  refuseIfAllOrNothing(mode, perRecord);
  const now = nowIso();
  const results: RecordResult[] = [];
  // Written in id order, answered in request order: two requests editing the same cases lock them in one order,
  // so the second waits for the first and then meets its new version (409), where in opposite orders they
  // deadlocked on PostgreSQL (40P01: one of them a 500).
  const writeOrder = plans
    .map((_, index) => index)
    .sort((a, b) => Number(plans[a].row.id) - Number(plans[b].row.id));
  for (const index of writeOrder) {
    const { row, values } = plans[index];
    const { patch, custom } = patchFromValues(values, ctx.fields, customValues(row));
    const changes = {
      ...patch,
      ...(custom !== undefined ? { custom_fields: custom } : {}),
      modified_time: now,
      modified_by_id: ctx.user.id,
    } as Updateable<CasesTable>;
    if (!(await repo.updateCase(trx, String(row.id), changes, row.version))) {
      throw apiError(409, 'CONFLICT', 'the case was changed by someone else; reload and try again', {
        id: String(row.id),
      });
    }
    await history.record(
      trx,
      String(row.id),
      'updated',
      ctx.user.id,
      now,
      history.diff(valuesOfRow(row, ctx.fields), values),
    );
    results[index] = success('record updated', {
      id: String(row.id),
      Modified_Time: now,
      $version: row.version + 1,
    });
  }
  return inRequestOrder(perRecord, results);
}

/** 404 in Zoho's shape unless the case exists. */
export async function requireCase(db: Executor, id: string): Promise<void> {
  if (!(await repo.caseExists(db, id))) throw notFound(id);
}

export async function getCase(db: Executor, ctx: ServiceContext, id: string): Promise<CaseRecord> {
  const row = await repo.findCaseById(db, id);
  if (!row) throw notFound(id);
  return (await toRecords(db, [row], ctx.fields))[0];
}

export async function deleteCase(trx: Executor, ctx: ServiceContext, id: string): Promise<RecordResult> {
  if (!(await repo.deleteCase(trx, id, ctx.user.id, nowIso()))) throw notFound(id);
  await history.recordDeleted(trx, [id]);
  return success('record deleted', { id });
}

/** GET /Cases/deleted: deletes are permanent here, so type=recycle lists none and all lists the permanent ones. */
export async function listDeletedCases(
  db: Executor,
  type: 'all' | 'recycle' | 'permanent',
  page: number,
  perPage: number,
) {
  if (type === 'recycle')
    return { data: [], info: { page, per_page: perPage, count: 0, more_records: false } };
  const rows = await repo.listDeletedCases(db, perPage + 1, (page - 1) * perPage);
  const shown = rows.slice(0, perPage);
  const users = await namesOf(
    db,
    'Users',
    shown.flatMap((r) => [r.deleted_by_id, ...(r.created_by_id === null ? [] : [r.created_by_id])]),
  );
  const user = (id: RowId | null) =>
    id === null ? null : { id: String(id), name: users.get(String(id))?.name ?? '' };
  const data = shown.map((r) => ({
    id: String(r.id),
    display_name: r.display_name,
    type: 'permanent' as const,
    deleted_by: user(r.deleted_by_id),
    created_by: user(r.created_by_id),
    deleted_time: r.deleted_time,
  }));
  return { data, info: { page, per_page: perPage, count: data.length, more_records: rows.length > perPage } };
}

/** Clone: copy the writable fields, apply the caller's changes, and create a new case with its own number. */
export async function cloneCase(
  trx: Executor,
  ctx: ServiceContext,
  id: string,
  overrides: unknown,
): Promise<RecordResult> {
  const row = await repo.findCaseById(trx, id);
  if (!row) throw notFound(id);
  if (
    overrides !== undefined &&
    (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides))
  )
    throw recordErrors(400, [
      recordError([{ code: 'INVALID_DATA', api_name: 'data', message: 'expected a JSON object' }], 0),
    ]);
  const copied = valuesOfRow(row, ctx.fields);
  for (const field of ctx.fields)
    if (field.readOnly || copied[field.apiName] === null) delete copied[field.apiName];
  const [result] = await createCases(trx, ctx, [{ ...copied, ...((overrides as object) ?? {}) }], 'cloned');
  return { ...result, message: 'record cloned' };
}
