import type { RecordError, RecordResult } from '../../shared/api-types';
import { type FieldDefinition, fieldByApiName } from '../../shared/case-fields';
import type { Executor } from '../db/executor';
import { apiError, recordErrors } from '../http/errors';
import type { BatchMode } from '../zoho/batch';
import * as repo from './case.repository';
import type { CaseColumn } from './case.repository';
import { createCases, updateCases } from './case.service';
import { columnOf, parseCaseNumber } from './case.mapper';
import type { ServiceContext } from '../http/context';

/**
 * POST /Cases/upsert: a record that matches an existing case on one of the duplicate check fields (tried in the
 * order given) updates that case; any other is inserted. Both go through createCases and updateCases, so a
 * create or an update here is the same as one through POST or PUT /Cases.
 */

const DEFAULT_CHECK_FIELDS = ['Case_Number', 'Email'];

/** The column a duplicate check field compares, and the value it compares as stored. */
function checkColumn(field: FieldDefinition): {
  column: CaseColumn;
  normalize: (v: string) => string | number;
} {
  if (field.apiName === 'Case_Number')
    return { column: 'case_number', normalize: (v) => parseCaseNumber(v) ?? Number.NaN };
  if (field.type === 'email') return { column: 'email_lower', normalize: (v) => v.toLowerCase() };
  return { column: columnOf(field) as CaseColumn, normalize: (v) => v };
}

export function duplicateCheckFields(raw: unknown, fields: readonly FieldDefinition[]): FieldDefinition[] {
  if (
    raw !== undefined &&
    (!Array.isArray(raw) || raw.length === 0 || raw.some((n) => typeof n !== 'string'))
  )
    throw apiError(400, 'INVALID_DATA', 'duplicate_check_fields must be a list of field API names', {
      api_name: 'duplicate_check_fields',
    });
  const names = (raw as string[] | undefined) ?? DEFAULT_CHECK_FIELDS;
  return names.map((name) => {
    const field = fieldByApiName(fields, name);
    const usable =
      field &&
      !field.custom &&
      (field.apiName === 'Case_Number' || ['text', 'email', 'phone'].includes(field.type));
    if (!usable)
      throw apiError(400, 'INVALID_DATA', `duplicate_check_fields: ${name.slice(0, 60)} cannot be checked`, {
        api_name: 'duplicate_check_fields',
      });
    return field;
  });
}

async function findDuplicate(
  db: Executor,
  input: unknown,
  checks: FieldDefinition[],
): Promise<{ id: string; field: string } | undefined> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  for (const field of checks) {
    const value = (input as Record<string, unknown>)[field.apiName];
    if (typeof value !== 'string' || !value.trim()) continue;
    const { column, normalize } = checkColumn(field);
    const normalized = normalize(value.trim());
    if (typeof normalized === 'number' && Number.isNaN(normalized)) continue;
    const id = await repo.newestCaseWhere(db, column, normalized);
    if (id) return { id, field: field.apiName };
  }
  return undefined;
}

/** Error paths point into the sub-batch; point them at the record's place in the request. */
function atIndex(result: RecordResult, index: number): RecordResult {
  if (result.status !== 'error' || typeof result.details.json_path !== 'string') return result;
  return {
    ...result,
    details: {
      ...result.details,
      json_path: result.details.json_path.replace(/^\$\.data\[\d+\]/, `$.data[${index}]`),
    },
  };
}

const NOT_EXECUTED: RecordError = {
  code: 'NOT_EXECUTED',
  details: {},
  message: 'not written because another record in the request is invalid',
  status: 'error',
};

export async function upsertCases(
  trx: Executor,
  ctx: ServiceContext,
  inputs: unknown[],
  checks: FieldDefinition[],
  mode: BatchMode,
): Promise<RecordResult[]> {
  const matches: ({ id: string; field: string } | undefined)[] = [];
  for (const input of inputs) matches.push(await findDuplicate(trx, input, checks));
  const creates = inputs.flatMap((input, i) => (matches[i] ? [] : [{ input, index: i }]));
  const updates = inputs.flatMap((input, i) => {
    const match = matches[i];
    if (!match) return [];
    const { id: _ignored, ...fields } = input as Record<string, unknown>;
    return [{ update: { id: match.id, input: fields }, index: i, field: match.field }];
  });
  // Each half per record; all-or-nothing is decided below over the whole request, and the transaction undone.
  const created = creates.length
    ? await createCases(
        trx,
        ctx,
        creates.map((c) => c.input),
        'created',
        'per_record',
      )
    : [];
  const updated = updates.length
    ? await updateCases(
        trx,
        ctx,
        updates.map((u) => u.update),
        'per_record',
      )
    : [];
  const results: RecordResult[] = new Array(inputs.length);
  creates.forEach((c, k) => {
    const r = atIndex(created[k], c.index);
    results[c.index] = r.status === 'success' ? { ...r, action: 'insert', duplicate_field: null } : r;
  });
  updates.forEach((u, k) => {
    const r = atIndex(updated[k], u.index);
    results[u.index] = r.status === 'success' ? { ...r, action: 'update', duplicate_field: u.field } : r;
  });
  if (mode === 'all_or_nothing' && results.some((r) => r.status === 'error'))
    throw recordErrors(
      400,
      results.map((r) => (r.status === 'error' ? r : NOT_EXECUTED)),
    );
  return results;
}
