import { FieldDefinition, LIMITS, characterCount, fieldByApiName } from './case-fields';

/** A value as accepted for one field after validation; lookups are reduced to the record id. */
export type FieldValue = string | number | boolean | null;
export type CaseValues = Record<string, FieldValue>;

export type FieldErrorCode = 'MANDATORY_NOT_FOUND' | 'INVALID_DATA';

export interface FieldError {
  code: FieldErrorCode;
  api_name: string;
  message: string;
  maximum_length?: number;
  expected_data_type?: string;
}

export type ValidationResult = { ok: true; values: CaseValues } | { ok: false; errors: FieldError[] };

export interface ValidateOptions {
  fields: readonly FieldDefinition[];
  /** create: mandatory fields must be present (Status defaults to New); update: only given fields are checked. */
  mode: 'create' | 'update';
  /** On update, the stored values, so cross-field rules (Email when origin is Email) see the merged record. */
  existing?: CaseValues;
}

// Deliberately permissive (RFC 5322 allows far more than agents ever type) but rejects what cannot be delivered.
const EMAIL = /^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[^\s@<>(),;:"[\]\\]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_RECORD_ID = 9_223_372_036_854_775_807n;

/** A record id as the API hands out: a positive integer that fits a 64-bit column. */
export function isRecordId(value: unknown): value is string {
  return typeof value === 'string' && /^[1-9][0-9]{0,18}$/.test(value) && BigInt(value) <= MAX_RECORD_ID;
}

export function isValidEmail(value: string): boolean {
  return value.length <= LIMITS.Email && EMAIL.test(value);
}

// A surrogate that is not half of a pair: JavaScript strings may hold one, Unicode text may not. SQLite would store it
// as bytes that are not UTF-8 and PostgreSQL's driver as U+FFFD, so the engines would keep different text.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether the text holds a lone UTF-16 surrogate, i.e. is not Unicode text (what String#isWellFormed checks). */
export function hasLoneSurrogate(value: string): boolean {
  return LONE_SURROGATE.test(value);
}

/** The text with each lone surrogate replaced by U+FFFD: for text we receive rather than one a person typed. */
export function wellFormed(value: string): string {
  return hasLoneSurrogate(value) ? value.replace(new RegExp(LONE_SURROGATE, 'g'), '\ufffd') : value;
}

// CR LF counts as one break; U+0085, U+2028 and U+2029 are line breaks too, and so are vertical tab and form feed.
const LINE_BREAKS = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g;

/**
 * Single-line text (Subject, names, phone numbers, mail subjects) with every line break replaced by a space. A subject
 * pasted or folded across lines is still the same subject, so it is kept rather than refused; a break left in would
 * end up in mail headers and one-line lists.
 */
export function singleLine(value: string): string {
  return value.replace(LINE_BREAKS, ' ');
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function lookupId(value: unknown): string | undefined {
  const raw = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : value;
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw > 0) return String(raw);
  if (isRecordId(raw)) return raw;
  return undefined;
}

function invalid(field: FieldDefinition, message: string, extra: Partial<FieldError> = {}): FieldError {
  return { code: 'INVALID_DATA', api_name: field.apiName, message: `${field.apiName}: ${message}`, ...extra };
}

/** Check one present, non-null value against its field; returns the normalised value or an error. */
function checkValue(field: FieldDefinition, value: unknown): { value: FieldValue } | { error: FieldError } {
  switch (field.type) {
    case 'text':
    case 'textarea':
    case 'phone':
    case 'email':
    case 'url': {
      if (typeof value !== 'string')
        return { error: invalid(field, 'expected text', { expected_data_type: 'string' }) };
      // PostgreSQL cannot store NUL in text, and no agent ever means one.
      if (value.includes('\u0000')) return { error: invalid(field, 'contains a NUL character') };
      if (hasLoneSurrogate(value))
        return { error: invalid(field, 'contains a lone UTF-16 surrogate, which is not Unicode text') };
      const text = field.type === 'textarea' ? value : singleLine(value);
      if (field.maxLength !== undefined) {
        const length = characterCount(text);
        if (length > field.maxLength)
          return {
            error: invalid(field, `at most ${field.maxLength} characters allowed (got ${length})`, {
              maximum_length: field.maxLength,
            }),
          };
      }
      if (field.type === 'email' && text !== '' && !isValidEmail(text))
        return { error: invalid(field, 'not a valid email address', { expected_data_type: 'email' }) };
      if (field.type === 'url' && text !== '' && !/^https?:\/\/[^\s]+$/i.test(text))
        return { error: invalid(field, 'not a valid http(s) URL', { expected_data_type: 'website' }) };
      return { value: text };
    }
    case 'picklist': {
      if (typeof value !== 'string')
        return { error: invalid(field, 'expected text', { expected_data_type: 'picklist' }) };
      if (!field.picklist?.some((o) => o.value === value))
        return {
          error: invalid(
            field,
            `"${value.slice(0, 60)}" is not one of ${field.picklist?.map((o) => o.value).join(', ')}`,
            {
              expected_data_type: 'picklist',
            },
          ),
        };
      return { value };
    }
    case 'lookup': {
      const id = lookupId(value);
      if (id === undefined)
        return {
          error: invalid(field, 'expected a record id or {"id": ...}', { expected_data_type: 'lookup' }),
        };
      return { value: id };
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value))
        return { error: invalid(field, 'expected a number', { expected_data_type: 'double' }) };
      return { value };
    case 'boolean':
      if (typeof value !== 'boolean')
        return { error: invalid(field, 'expected true or false', { expected_data_type: 'boolean' }) };
      return { value };
    case 'date': {
      if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
        return { error: invalid(field, 'expected a date as YYYY-MM-DD', { expected_data_type: 'date' }) };
      // Date.parse rolls 2026-02-31 over to March; refuse it rather than store a different day.
      if (new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value)
        return { error: invalid(field, 'not a calendar date', { expected_data_type: 'date' }) };
      return { value };
    }
    case 'autonumber':
      return { error: invalid(field, 'is set by the system') };
  }
}

/**
 * Validate a case as sent by a client. Used by the add-in before sending and by the server before writing,
 * so both give the same field-level messages. Returns every error, not only the first.
 */
export function validateCase(input: unknown, options: ValidateOptions): ValidationResult {
  const { fields, mode } = options;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      ok: false,
      errors: [
        {
          code: 'INVALID_DATA',
          api_name: 'data',
          message: 'each record must be a JSON object',
          expected_data_type: 'jsonobject',
        },
      ],
    };
  }
  const errors: FieldError[] = [];
  // Without a prototype, a field that was not given reads as undefined, never as Object's `constructor` or `toString`.
  const values: CaseValues = Object.create(null);
  for (const [apiName, raw] of Object.entries(input)) {
    const field = fieldByApiName(fields, apiName);
    if (!field) {
      errors.push({
        code: 'INVALID_DATA',
        api_name: apiName,
        message: `${apiName.slice(0, 100)}: no such field in Cases`,
      });
      continue;
    }
    if (field.readOnly) {
      errors.push(invalid(field, 'is read-only'));
      continue;
    }
    if (field.hidden) {
      errors.push(invalid(field, "is hidden in this organisation's field layout"));
      continue;
    }
    if (raw === undefined) continue;
    // Zoho semantics: an empty string clears a field, like null.
    if (raw === null || raw === '') {
      values[apiName] = null;
      continue;
    }
    const checked = checkValue(field, raw);
    if ('error' in checked) errors.push(checked.error);
    else values[apiName] = checked.value;
  }

  if (mode === 'create') {
    for (const field of fields) {
      if (field.defaultValue !== undefined && values[field.apiName] === undefined)
        values[field.apiName] = field.defaultValue;
    }
  }
  const merged: CaseValues =
    mode === 'update' ? Object.assign(Object.create(null), options.existing, values) : values;
  const reported = new Set(errors.map((e) => e.api_name));
  for (const field of fields) {
    if (!field.mandatory || reported.has(field.apiName)) continue;
    const touched = mode === 'create' || field.apiName in values;
    if (touched && isBlank(merged[field.apiName])) {
      errors.push({
        code: 'MANDATORY_NOT_FOUND',
        api_name: field.apiName,
        message: `${field.apiName} is required`,
      });
    }
  }
  // Spec: when the origin is Email, the customer's email is required.
  if (merged.Case_Origin === 'Email' && isBlank(merged.Email) && !reported.has('Email')) {
    const relevant = mode === 'create' || 'Case_Origin' in values || 'Email' in values;
    if (relevant)
      errors.push({
        code: 'MANDATORY_NOT_FOUND',
        api_name: 'Email',
        message: 'Email is required when Case_Origin is Email',
      });
  }
  return errors.length ? { ok: false, errors } : { ok: true, values };
}
