import crypto from 'node:crypto';
import type { Language } from '../../shared/case-fields';
import { characterCount, fieldByApiName, type FieldDefinition } from '../../shared/case-fields';
import { type CaseValues, type FieldError, validateCase } from '../../shared/validation';
import type { Dialect } from '../db/dialect';
import { type Executor, nowIso } from '../db/executor';
import { apiError, notFound, quoted } from '../http/errors';
import { insertValidated, lookupErrors } from '../cases/case.service';
import { upsertUser } from '../users/user.repository';
import * as repo from './webform.repository';

/** Web-to-Case (seed step 2): an admin's form whose submissions become cases with Case_Origin = Web. */
export interface WebFormField {
  api_name: string;
  label: string;
  required: boolean;
}

export interface WebForm {
  id: string;
  form_key: string;
  name: string;
  language: Language;
  fields: WebFormField[];
  return_url: string | null;
  active: boolean;
}

export const LANGUAGES: Language[] = ['en', 'pl', 'zh-CN'];
// Fields a visitor may fill; owners, lookups and internal notes are the team's business.
const VISITOR_TYPES = ['text', 'textarea', 'email', 'phone', 'picklist', 'number', 'date', 'url'];
const HIDDEN_FROM_VISITORS = ['Internal_Comments', 'Solution', 'Add_Comment', 'Status', 'Case_Origin'];

export function formRow(row: {
  id: unknown;
  form_key: string;
  name: string;
  language: string;
  fields: string;
  return_url: string | null;
  active: unknown;
}): WebForm {
  return {
    id: String(row.id),
    form_key: row.form_key,
    name: row.name,
    language: row.language as Language,
    fields: JSON.parse(row.fields) as WebFormField[],
    return_url: row.return_url,
    active: Boolean(row.active),
  };
}

export async function createWebForm(
  trx: Executor,
  dialect: Dialect,
  fields: readonly FieldDefinition[],
  input: unknown,
): Promise<WebForm> {
  const bad = (api_name: string, message: string): never => {
    throw apiError(400, 'INVALID_DATA', `${api_name}: ${message}`, { api_name });
  };
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return bad('data', 'expected a JSON object');
  const r = input as Record<string, unknown>;
  for (const k of Object.keys(r))
    if (!['name', 'language', 'fields', 'return_url'].includes(k)) bad(k.slice(0, 60), 'no such property');
  if (typeof r.name !== 'string' || !r.name.trim() || characterCount(r.name) > 120)
    bad('name', 'required text of at most 120 characters');
  const language = (r.language ?? 'en') as Language;
  if (!LANGUAGES.includes(language)) bad('language', `one of ${LANGUAGES.join(', ')}`);
  if (
    r.return_url !== undefined &&
    r.return_url !== null &&
    (typeof r.return_url !== 'string' || !/^https?:\/\/[^\s]{1,2000}$/i.test(r.return_url))
  )
    bad('return_url', 'an http(s) URL');
  if (!Array.isArray(r.fields) || r.fields.length === 0 || r.fields.length > 30)
    return bad('fields', 'a list of 1 to 30 fields');
  const chosen: WebFormField[] = [];
  for (const entry of r.fields as unknown[]) {
    if (typeof entry !== 'string' && (typeof entry !== 'object' || entry === null || Array.isArray(entry)))
      return bad('fields', 'each field is an API name or {"api_name": …, "label": …, "required": …}');
    const e = (typeof entry === 'string' ? { api_name: entry } : entry) as {
      api_name?: unknown;
      label?: unknown;
      required?: unknown;
    };
    const field = typeof e.api_name === 'string' ? fieldByApiName(fields, e.api_name) : undefined;
    if (
      !field ||
      field.readOnly ||
      !VISITOR_TYPES.includes(field.type) ||
      HIDDEN_FROM_VISITORS.includes(field.apiName)
    )
      return bad('fields', `${quoted(e.api_name)} cannot be on a web form`);
    if (chosen.some((c) => c.api_name === field.apiName)) bad('fields', `${field.apiName} appears twice`);
    if (e.label !== undefined && (typeof e.label !== 'string' || characterCount(e.label) > 120))
      bad('fields', 'labels are text of at most 120 characters');
    chosen.push({
      api_name: field.apiName,
      label: (e.label as string | undefined) || field.label[language],
      required: field.mandatory === true || e.required === true,
    });
  }
  if (!chosen.some((c) => c.api_name === 'Subject')) bad('fields', 'Subject must be on the form');
  const formKey = crypto.randomBytes(18).toString('base64url');
  const id = await repo.insertWebForm(trx, {
    form_key: formKey,
    name: (r.name as string).trim(),
    language,
    fields: JSON.stringify(chosen),
    return_url: (r.return_url as string | undefined) ?? null,
    active: dialect.bool(true),
    created_time: nowIso(),
  });
  return {
    id,
    form_key: formKey,
    name: (r.name as string).trim(),
    language,
    fields: chosen,
    return_url: (r.return_url as string | undefined) ?? null,
    active: true,
  };
}

export async function formByKey(db: Executor, formKey: string): Promise<WebForm | undefined> {
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(formKey)) return undefined;
  const row = await repo.findWebFormByKey(db, formKey);
  return row && Boolean(row.active) ? formRow(row) : undefined;
}

export async function listWebForms(db: Executor): Promise<WebForm[]> {
  return (await repo.allWebForms(db)).map(formRow);
}

export async function deactivateWebForm(trx: Executor, dialect: Dialect, id: string): Promise<void> {
  if (!(await repo.deactivateWebForm(trx, dialect, id))) throw notFound(id);
}

/**
 * A urlencoded form body as posted: every name/value pair in order, so a name given twice can be refused; a value
 * that was not UTF-8 is undefined, so it can be refused naming its field.
 */
export class PostedForm {
  constructor(readonly pairs: readonly (readonly [string, string | undefined])[]) {}
}

/** What a visitor sent for the form's fields, or why it cannot be read; `bot` when the hidden field was filled. */
export interface Submission {
  values: ReadonlyMap<string, string>;
  errors: FieldError[];
  bot: boolean;
}

const HONEYPOT = 'website';

/**
 * Read a submission: a urlencoded form (what the page posts) or a JSON object of texts (what a script may post).
 * Only the form's own fields are read, as own properties; a value that is not text, or a field given twice, is an
 * INVALID_DATA naming the field, like any other field error.
 */
export function readSubmission(form: WebForm, body: unknown): Submission {
  const names = new Set([...form.fields.map((f) => f.api_name), HONEYPOT]);
  const values = new Map<string, string>();
  const errors: FieldError[] = [];
  const invalid = (api_name: string, message: string) =>
    errors.push({ code: 'INVALID_DATA', api_name, message: `${api_name}: ${message}` });
  if (body instanceof PostedForm) {
    for (const [name, value] of body.pairs) {
      if (!names.has(name)) continue;
      if (values.has(name) || errors.some((e) => e.api_name === name)) invalid(name, 'given more than once');
      else if (value === undefined) invalid(name, 'not valid UTF-8 text');
      else values.set(name, value);
    }
  } else if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    for (const name of names) {
      const value = Object.hasOwn(record, name) ? record[name] : undefined;
      if (typeof value === 'string') values.set(name, value);
      else if (name === HONEYPOT) {
        if (value !== undefined && value !== null && value !== false) values.set(name, 'filled');
      } else if (value !== undefined && value !== null) invalid(name, 'expected text, as the form sends it');
    }
  } else if (body !== undefined) {
    errors.push({
      code: 'INVALID_DATA',
      api_name: 'data',
      message: 'send the form as application/x-www-form-urlencoded or as a JSON object of texts',
      expected_data_type: 'jsonobject',
    });
  }
  return { values, errors, bot: Boolean(values.get(HONEYPOT)) };
}

/** Validate a visitor's submission like any other case; returns field errors or the new case. */
export async function submitWebForm(
  trx: Executor,
  dialect: Dialect,
  fields: readonly FieldDefinition[],
  form: WebForm,
  submitted: ReadonlyMap<string, string>,
): Promise<{ ok: true; caseNumber: string } | { ok: false; errors: FieldError[] }> {
  const values: Record<string, unknown> = Object.create(null);
  values.Case_Origin = 'Web';
  for (const f of form.fields) {
    const raw = (submitted.get(f.api_name) ?? '').trim();
    if (!raw) continue;
    const def = fieldByApiName(fields, f.api_name);
    values[f.api_name] = def?.type === 'number' ? Number(raw.replace(',', '.')) : raw;
  }
  const errors: FieldError[] = [];
  for (const f of form.fields)
    if (f.required && values[f.api_name] === undefined)
      errors.push({
        code: 'MANDATORY_NOT_FOUND',
        api_name: f.api_name,
        message: `${f.api_name} is required`,
      });
  const result = validateCase(values, { fields, mode: 'create' });
  if (!result.ok) errors.push(...result.errors.filter((e) => !errors.some((x) => x.api_name === e.api_name)));
  if (errors.length) return { ok: false, errors };
  const values2 = (result as { values: CaseValues }).values;
  const lookups = await lookupErrors(trx, values2, fields);
  if (lookups.length) return { ok: false, errors: lookups };
  const system = await upsertUser(
    trx,
    {
      externalId: 'system|web-to-case',
      email: 'web-to-case@casepane.local',
      fullName: 'Web-to-Case',
      role: 'agent',
    },
    nowIso(),
  );
  const { caseNumber } = await insertValidated(
    trx,
    { dialect, fields, user: { id: String(system.id), name: system.full_name, email: system.email } },
    values2,
    nowIso(),
    'web_form',
  );
  return { ok: true, caseNumber };
}
