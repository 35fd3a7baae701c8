import type { Insertable, Updateable } from 'kysely';
import type { CaseRecord, LookupRef, RecordResult, RecordSuccess } from '../../shared/api-types';
import { type FieldDefinition, type LookupModule, LIMITS } from '../../shared/case-fields';
import { type NormalizedMessage, threadReferences, validateEmailMessage } from '../../shared/email-message';
import { type CaseValues, type FieldError, type FieldValue, validateCase } from '../../shared/validation';
import type { Dialect } from '../db/dialect';
import { type Executor, nowIso } from '../db/executor';
import type { CasesTable, RowId } from '../db/schema';
import { apiError, failBatch, notFound, recordError, recordErrors } from '../http/errors';
import { namesOf } from '../lookups/lookup.repository';
import * as emails from '../emails/email.repository';
import { threadCase } from '../emails/threading';
import * as history from '../history/history.service';
import { loadAssignmentRules, ownerByAssignmentRules } from '../rules/assignment.service';
import { type BatchMode, inRequestOrder, refuseIfAllOrNothing } from '../zoho/batch';
import * as repo from './case.repository';
import type { CaseRow, CaseColumn } from './case.repository';

/** Who acts and under which organisation's field layout; passed to every service call. */
export interface ServiceContext {
  dialect: Dialect;
  fields: readonly FieldDefinition[];
  user: { id: string; name: string; email: string };
}

const LOOKUP_COLUMNS = new Map<string, CaseColumn>([
  ['Owner', 'owner_id'],
  ['Related_To', 'related_to_id'],
  ['Account_Name', 'account_name_id'],
  ['Product_Name', 'product_name_id'],
  ['Deal_Name', 'deal_name_id'],
]);

/** API name → column for standard fields; custom fields live in the custom_fields JSON column. */
export function columnOf(field: FieldDefinition): CaseColumn | undefined {
  if (field.custom) return undefined;
  if (field.type === 'lookup') return LOOKUP_COLUMNS.get(field.apiName);
  return field.apiName.toLowerCase() as CaseColumn;
}

export const CASE_NUMBER_WIDTH = 8;
export function formatCaseNumber(n: RowId): string {
  return String(n).padStart(CASE_NUMBER_WIDTH, '0');
}

/** "00001234", "1234" or "#1234" → 1234; undefined when it is not a case number. */
export function parseCaseNumber(text: string): number | undefined {
  const digits = text.trim().replace(/^#/, '');
  if (!/^\d{1,16}$/.test(digits)) return undefined;
  const n = Number(digits);
  return n > 0 && Number.isSafeInteger(n) ? n : undefined;
}

/**
 * The custom values stored with a case, keyed by API name in an object without a prototype: a field that was never
 * set must read as undefined, not as one of Object's members (`constructor`, `toString`).
 */
function customValues(row: CaseRow): Record<string, FieldValue> {
  const values: Record<string, FieldValue> = Object.create(null);
  try {
    const parsed: unknown = JSON.parse(row.custom_fields);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      Object.assign(values, parsed);
  } catch {
    // A damaged column reads as no custom values.
  }
  return values;
}

/** Stored values by API name (lookups as ids): what validateCase() merges an update into. */
export function valuesOfRow(row: CaseRow, fields: readonly FieldDefinition[]): CaseValues {
  const custom = customValues(row);
  const values: CaseValues = Object.create(null);
  for (const field of fields) {
    const column = columnOf(field);
    const raw = column ? row[column] : custom[field.apiName];
    values[field.apiName] =
      raw === undefined || raw === null
        ? null
        : typeof raw === 'number' && field.type === 'lookup'
          ? String(raw)
          : (raw as FieldValue);
  }
  return values;
}

// One map per layout (the registry hands out a new array when an admin changes it): an import asks per row.
const columnMaps = new WeakMap<readonly FieldDefinition[], Map<string, CaseColumn | null>>();
function columnsByApiName(fields: readonly FieldDefinition[]): Map<string, CaseColumn | null> {
  let map = columnMaps.get(fields);
  if (!map) {
    map = new Map(fields.map((field) => [field.apiName, columnOf(field) ?? null]));
    columnMaps.set(fields, map);
  }
  return map;
}

/** Turn validated values into a row patch; custom values are merged into the stored JSON. */
function patchFromValues(
  values: CaseValues,
  fields: readonly FieldDefinition[],
  storedCustom: Record<string, FieldValue>,
) {
  const patch: Record<string, FieldValue> = {};
  const custom: Record<string, FieldValue> = Object.assign(Object.create(null), storedCustom);
  let customChanged = false;
  const columns = columnsByApiName(fields);
  for (const apiName in values) {
    const value = values[apiName];
    const column = columns.get(apiName);
    if (column === undefined) continue;
    if (column) patch[column] = value;
    else {
      customChanged = true;
      if (value === null) delete custom[apiName];
      else custom[apiName] = value;
    }
  }
  if ('Email' in values)
    patch.email_lower = typeof values.Email === 'string' ? values.Email.toLowerCase() : null;
  return { patch, custom: customChanged ? JSON.stringify(custom) : undefined };
}

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

/** Build API records for rows, resolving lookup names in one query per module. */
export async function toRecords(
  db: Executor,
  rows: CaseRow[],
  fields: readonly FieldDefinition[],
): Promise<CaseRecord[]> {
  const idsByModule = new Map<LookupModule, RowId[]>();
  const want = (module: LookupModule, id: RowId | null) => {
    if (id === null) return;
    const list = idsByModule.get(module) ?? [];
    list.push(id);
    idsByModule.set(module, list);
  };
  for (const row of rows) {
    for (const field of fields)
      if (field.type === 'lookup' && !field.custom)
        want(field.lookupModule as LookupModule, row[columnOf(field) as CaseColumn] as RowId | null);
    want('Users', row.created_by_id);
    want('Users', row.modified_by_id);
  }
  const names = new Map<LookupModule, Map<string, { name: string; email?: string }>>();
  for (const [module, ids] of idsByModule) names.set(module, await namesOf(db, module, ids));
  const ref = (module: LookupModule, id: RowId | null): LookupRef | null => {
    if (id === null) return null;
    const found = names.get(module)?.get(String(id));
    return {
      id: String(id),
      name: found?.name ?? '',
      ...(module === 'Users' && found?.email ? { email: found.email } : {}),
    };
  };
  return rows.map((row) => {
    const record: Record<string, unknown> = { id: String(row.id) };
    const custom = customValues(row);
    for (const field of fields) {
      const column = columnOf(field);
      if (field.apiName === 'Case_Number') record.Case_Number = formatCaseNumber(row.case_number);
      else if (field.type === 'lookup' && column)
        record[field.apiName] = ref(field.lookupModule as LookupModule, row[column] as RowId | null);
      else if (column) record[field.apiName] = row[column] ?? null;
      else record[field.apiName] = custom[field.apiName] ?? null;
    }
    record.Created_Time = row.created_time;
    record.Modified_Time = row.modified_time;
    record.Created_By = ref('Users', row.created_by_id);
    record.Modified_By = ref('Users', row.modified_by_id);
    record.$version = row.version;
    return record as CaseRecord;
  });
}

function success(message: string, details: RecordSuccess['details']): RecordSuccess {
  return { code: 'SUCCESS', details, message, status: 'success' };
}

/**
 * Insert validated cases in one go: assignment rules loaded once, case numbers allocated as one range, and the
 * cases and their history written with multi-row inserts. Returns ids and numbers in input order.
 * `alsoRecord` adds the caller's own history entries for each new case to the same insert (one statement fewer).
 */
export async function insertValidatedMany(
  trx: Executor,
  ctx: ServiceContext,
  list: CaseValues[],
  now: string,
  action: history.HistoryAction = 'created',
  alsoRecord?: (caseId: string) => history.HistoryEntry[],
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
    if (alsoRecord) entries.push(...alsoRecord(ids[index]));
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

function validateForCreate(ctx: ServiceContext, input: unknown) {
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
  for (const { row, values } of plans) {
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
    results.push(
      success('record updated', { id: String(row.id), Modified_Time: now, $version: row.version + 1 }),
    );
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

export interface FromEmailItem {
  case: unknown;
  message: unknown;
}

function validateFromEmail(
  ctx: ServiceContext,
  item: unknown,
): { values: CaseValues; message: NormalizedMessage } | FieldError[] {
  if (typeof item !== 'object' || item === null || Array.isArray(item))
    return [
      {
        code: 'INVALID_DATA',
        api_name: 'data',
        message: 'each record must be {"case": {...}, "message": {...}}',
      },
    ];
  const { case: input, message } = item as Partial<FromEmailItem>;
  const extra = Object.keys(item).filter((k) => k !== 'case' && k !== 'message');
  const errors: FieldError[] = extra.map((k) => ({
    code: 'INVALID_DATA',
    api_name: k.slice(0, 60),
    message: `${k.slice(0, 60)}: no such property`,
  }));
  const c = validateForCreate(ctx, input ?? {});
  const m = validateEmailMessage(message);
  if (!c.ok) errors.push(...c.errors);
  if (!m.ok) errors.push(...m.errors);
  if (errors.length || !c.ok || !m.ok) return errors;
  return { values: c.values, message: m.message };
}

export function emailLinkRow(message: NormalizedMessage, caseId: string, userId: string, now: string) {
  return {
    case_id: caseId,
    internet_message_id: message.internet_message_id,
    conversation_id: message.conversation_id,
    item_id: message.item_id,
    mailbox: message.mailbox,
    from_name: message.from.name,
    from_email: message.from.email,
    to_json: JSON.stringify(message.to),
    cc_json: JSON.stringify(message.cc),
    subject: message.subject,
    sent_time: message.sent_time,
    body_text: message.body_text,
    in_reply_to: message.in_reply_to,
    references_json: message.references.length ? JSON.stringify(message.references) : null,
    linked_time: now,
    linked_by_id: userId,
  };
}

/**
 * Link a message to the case its thread names: the link, its history entry, and the conversion claim (taken here
 * unless the caller holds it), so a later Save or capture of the same message returns this case, not a new one.
 */
export async function linkThreadedMessage(
  trx: Executor,
  ctx: ServiceContext,
  caseId: string,
  message: NormalizedMessage,
  now: string,
  holdsClaim = false,
): Promise<void> {
  const { created } = await emails.insertEmailLink(trx, emailLinkRow(message, caseId, ctx.user.id, now));
  if (created)
    await history.record(trx, caseId, 'email_linked', ctx.user.id, now, [
      { api_name: 'Emails', old: null, new: message.subject },
    ]);
  if (holdsClaim || (await emails.claimConversion(trx, message.internet_message_id, now)))
    await emails.completeConversion(trx, message.internet_message_id, caseId);
}

/** A conversion whose message threads to an existing case (section 2): linked there, that case returned. */
async function threadedConversion(
  trx: Executor,
  ctx: ServiceContext,
  message: NormalizedMessage,
  now: string,
): Promise<RecordResult | undefined> {
  const caseId = await threadCase(trx, {
    references: threadReferences(message),
    subject: message.subject,
    senderEmail: message.from.email,
  });
  const existing = caseId ? await repo.findCaseById(trx, caseId) : undefined;
  if (!existing) return undefined;
  await linkThreadedMessage(trx, ctx, String(existing.id), message, now, true);
  return success('this email belongs to the thread of an existing case; linked to it', {
    id: String(existing.id),
    Case_Number: formatCaseNumber(existing.case_number),
    Created_Time: existing.created_time,
    Modified_Time: existing.modified_time,
    duplicate: true,
    threaded: true,
  });
}

/**
 * POST /Cases/actions/from_email: create a case and link its message in one transaction, idempotent on the
 * internet message id — a repeat gets the first case back (details.duplicate = true), never a second case.
 * A message that threads to an existing case (its headers, or a guarded [Case #n]: the capture's rule) is linked
 * to that case instead (details.threaded = true) — unless the caller already applied the rule (`thread: false`).
 */
export async function createFromEmail(
  trx: Executor,
  ctx: ServiceContext,
  items: unknown[],
  options: { thread?: boolean } = {},
): Promise<{ results: RecordResult[]; created: boolean }> {
  const validated = items.map((item) => validateFromEmail(ctx, item));
  const perRecord: (FieldError[] | null)[] = [];
  for (const v of validated)
    perRecord.push(Array.isArray(v) ? v : await lookupErrors(trx, v.values, ctx.fields));
  if (perRecord.some((e) => e && e.length)) throw failBatch(perRecord);
  const ids = validated.map((v) => !Array.isArray(v) && v.message.internet_message_id);
  if (new Set(ids).size !== ids.length)
    throw recordErrors(400, [
      {
        code: 'DUPLICATE_DATA',
        details: { api_name: 'message.internet_message_id' },
        message: 'the same message appears twice in one request',
        status: 'error',
      },
    ]);

  const now = nowIso();
  const results: RecordResult[] = [];
  let created = false;
  for (const v of validated) {
    if (Array.isArray(v)) continue;
    const messageId = v.message.internet_message_id;
    // A message whose case was deleted may be converted again; the reclaim is as race-free as the claim.
    const claimed =
      (await emails.claimConversion(trx, messageId, now)) ||
      (await emails.reclaimOrphanedConversion(trx, messageId));
    if (!claimed) {
      const caseId = await emails.findConversion(trx, messageId);
      const existing = caseId ? await repo.findCaseById(trx, caseId) : undefined;
      if (!existing)
        throw apiError(409, 'CONFLICT', 'this message is being converted by another request; try again', {
          api_name: 'message.internet_message_id',
        });
      results.push(
        success('this email was already converted; returning its case', {
          id: String(existing.id),
          Case_Number: formatCaseNumber(existing.case_number),
          Created_Time: existing.created_time,
          Modified_Time: existing.modified_time,
          duplicate: true,
        }),
      );
      continue;
    }
    const threaded =
      options.thread === false ? undefined : await threadedConversion(trx, ctx, v.message, now);
    if (threaded) {
      results.push(threaded);
      continue;
    }
    const { subject } = v.message;
    const { id, caseNumber } = await insertValidated(trx, ctx, v.values, now, 'created', (caseId) => [
      {
        caseId,
        action: 'email_linked',
        actorId: ctx.user.id,
        time: now,
        changes: [{ api_name: 'Emails', old: null, new: subject }],
      },
    ]);
    await emails.insertEmailLink(trx, emailLinkRow(v.message, id, ctx.user.id, now));
    await emails.completeConversion(trx, messageId, id);
    created = true;
    results.push(
      success('record added', {
        id,
        Case_Number: caseNumber,
        Created_Time: now,
        Modified_Time: now,
        duplicate: false,
      }),
    );
  }
  return { results, created };
}
