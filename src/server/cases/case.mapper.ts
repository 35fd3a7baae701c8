import type { CaseRecord, LookupRef, RecordSuccess } from '../../shared/api-types';
import type { FieldDefinition, LookupModule, StandardFieldName } from '../../shared/case-fields';
import type { CaseValues, FieldValue } from '../../shared/validation';
import type { Executor } from '../db/executor';
import type { RowId } from '../db/schema';
import { namesOf } from '../lookups/lookup.repository';
import type { CaseColumn, CaseRow } from './case.repository';

/**
 * Between the cases table and the API: which column holds a field, case numbers as the API writes them, stored
 * values by API name, row patches from validated values, and API records with their lookup names resolved.
 */

/**
 * Where each standard field is stored. Typed against the shared declaration: a standard field added to
 * src/shared/case-fields.ts without its column here (or with a column the cases table lacks) is a compile error.
 */
const STANDARD_COLUMNS: Readonly<Record<StandardFieldName, CaseColumn>> = {
  Case_Number: 'case_number',
  Product_Name: 'product_name_id',
  Owner: 'owner_id',
  Subject: 'subject',
  Priority: 'priority',
  Status: 'status',
  Reported_By: 'reported_by',
  Related_To: 'related_to_id',
  Type: 'type',
  Case_Origin: 'case_origin',
  Email: 'email',
  Account_Name: 'account_name_id',
  Deal_Name: 'deal_name_id',
  Phone: 'phone',
  Case_Reason: 'case_reason',
  Description: 'description',
  Internal_Comments: 'internal_comments',
  Solution: 'solution',
  Add_Comment: 'add_comment',
};
// A Map, so an API name such as `constructor` finds nothing rather than one of Object's members.
const COLUMN_OF = new Map<string, CaseColumn>(Object.entries(STANDARD_COLUMNS));

/** API name → column for standard fields; custom fields live in the custom_fields JSON column. */
export function columnOf(field: FieldDefinition): CaseColumn | undefined {
  return field.custom ? undefined : COLUMN_OF.get(field.apiName);
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
export function customValues(row: CaseRow): Record<string, FieldValue> {
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
export function patchFromValues(
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

/** A per-record SUCCESS in Zoho's shape. */
export function success(message: string, details: RecordSuccess['details']): RecordSuccess {
  return { code: 'SUCCESS', details, message, status: 'success' };
}
