import type { EmailTemplate } from '../../shared/followup-types';
import { characterCount } from '../../shared/case-fields';
import { isRecordId, isValidEmail, type FieldError } from '../../shared/validation';
import type { RecordResult } from '../../shared/api-types';
import type { Storage } from '../db/database';
import { type Executor, nowIso } from '../db/executor';
import { apiError, notFound, quoted, recordError, recordErrors } from '../http/errors';
import { namesOf } from '../lookups/lookup.repository';
import { findCaseById, findCasesByIds, type CaseRow } from '../cases/case.repository';
import { formatCaseNumber } from '../cases/case.mapper';
import type { ServiceContext } from '../http/context';
import type { Outbox } from '../outbox/outbox';
import { ensureMailer, mailResult, queueCaseMail, type SentCaseMail } from './case-mail';
import type { Mailer } from './mailer';
import * as templates from './template.repository';

export const MAIL_LIMITS = { subject: 998, content: 100_000, recipients: 50, templateName: 120 } as const;
type Address = { name: string | null; email: string };

export type TemplateRecord = EmailTemplate;

/**
 * Merge fields a template may use: {{Case_Number}}, {{Subject}}, {{Contact_Name}}, {{Owner_Name}}, {{Status}}. Any other
 * name stays as written; a Map, so `{{constructor}}` or `{{__proto__}}` never finds one of Object's members.
 */
export function renderTemplate(text: string, fields: ReadonlyMap<string, string>): string {
  return text.replace(/\{\{\s*([A-Za-z_]+)\s*\}\}/g, (whole, name: string) => fields.get(name) ?? whole);
}

/** The merge fields of one case, for renderTemplate. */
export async function mergeFieldsOf(db: Executor, row: CaseRow): Promise<ReadonlyMap<string, string>> {
  const contact =
    row.related_to_id === null
      ? undefined
      : (await namesOf(db, 'Contacts', [row.related_to_id])).get(String(row.related_to_id));
  const owner =
    row.owner_id === null
      ? undefined
      : (await namesOf(db, 'Users', [row.owner_id])).get(String(row.owner_id));
  return new Map([
    ['Case_Number', formatCaseNumber(row.case_number)],
    ['Subject', row.subject],
    ['Status', row.status],
    ['Contact_Name', contact?.name ?? row.reported_by ?? ''],
    ['Owner_Name', owner?.name ?? ''],
  ]);
}

function addresses(value: unknown, name: string, errors: FieldError[], required: boolean): Address[] {
  if (value === undefined || value === null) {
    if (required)
      errors.push({ code: 'MANDATORY_NOT_FOUND', api_name: name, message: `${name} is required` });
    return [];
  }
  if (!Array.isArray(value) || value.length > MAIL_LIMITS.recipients) {
    errors.push({
      code: 'INVALID_DATA',
      api_name: name,
      message: `${name}: a list of at most ${MAIL_LIMITS.recipients} addresses`,
    });
    return [];
  }
  const list: Address[] = [];
  for (const a of value) {
    const email = typeof a === 'string' ? a : (a as { email?: unknown })?.email;
    const display = typeof a === 'object' && a !== null ? (a as { name?: unknown }).name : null;
    if (
      typeof email !== 'string' ||
      !isValidEmail(email.trim()) ||
      (display != null && typeof display !== 'string')
    ) {
      errors.push({
        code: 'INVALID_DATA',
        api_name: name,
        message: `${name}: ${quoted(email)} is not a valid address`,
        expected_data_type: 'email',
      });
      continue;
    }
    list.push({ name: (display as string | null) ?? null, email: email.trim() });
  }
  if (required && list.length === 0 && !errors.some((e) => e.api_name === name))
    errors.push({ code: 'MANDATORY_NOT_FOUND', api_name: name, message: `${name} is required` });
  return list;
}

/** A template by id, or undefined when there is none (an acknowledgement's template may have been deleted). */
export async function findTemplate(db: Executor, id: string): Promise<TemplateRecord | undefined> {
  return templates.findTemplateById(db, id);
}

async function templateById(db: Executor, id: unknown): Promise<TemplateRecord> {
  if (!isRecordId(id))
    throw apiError(400, 'INVALID_DATA', 'template_id: expected a template id', { api_name: 'template_id' });
  const template = await templates.findTemplateById(db, id);
  if (!template)
    throw apiError(400, 'INVALID_DATA', `template_id: no template with id ${id}`, {
      api_name: 'template_id',
    });
  return template;
}

/** What sending needs: the outbox that holds mail until after the commit, and the SMTP server (if set up). */
export interface MailDeps {
  outbox: Outbox;
  mailer: Mailer | undefined;
}

export type QueuedMail = Awaited<ReturnType<typeof queueCaseMail>>;

/**
 * POST /Cases/{id}/actions/send_mail: one email to the case's contact (or any address), optionally from a
 * template — validated and queued in the caller's transaction; the route delivers it after the commit.
 */
export async function queueFromCase(
  trx: Executor,
  ctx: ServiceContext,
  mail: MailDeps,
  caseId: string,
  input: unknown,
): Promise<QueuedMail> {
  const row = await findCaseById(trx, caseId);
  if (!row) throw notFound(caseId);
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw recordErrors(400, [
      recordError([{ code: 'INVALID_DATA', api_name: 'data', message: 'expected a JSON object' }], 0),
    ]);
  const r = input as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const k of Object.keys(r))
    if (!['to', 'cc', 'subject', 'content', 'template_id'].includes(k))
      errors.push({
        code: 'INVALID_DATA',
        api_name: k.slice(0, 60),
        message: `${k.slice(0, 60)}: no such property`,
      });
  const to = addresses(
    r.to ?? (row.email ? [{ email: row.email, name: row.reported_by }] : undefined),
    'to',
    errors,
    true,
  );
  const cc = addresses(r.cc, 'cc', errors, false);
  const template = r.template_id !== undefined ? await templateById(trx, r.template_id) : undefined;
  const merge = await mergeFieldsOf(trx, row);
  const subject =
    typeof r.subject === 'string'
      ? r.subject
      : template
        ? renderTemplate(template.subject, merge)
        : row.subject;
  const text =
    typeof r.content === 'string' ? r.content : template ? renderTemplate(template.body, merge) : undefined;
  if (r.subject !== undefined && typeof r.subject !== 'string')
    errors.push({ code: 'INVALID_DATA', api_name: 'subject', message: 'subject: expected text' });
  if (characterCount(subject) > MAIL_LIMITS.subject || subject.includes('\u0000'))
    errors.push({
      code: 'INVALID_DATA',
      api_name: 'subject',
      message: `subject: at most ${MAIL_LIMITS.subject} characters`,
      maximum_length: MAIL_LIMITS.subject,
    });
  if (r.content !== undefined && typeof r.content !== 'string')
    errors.push({ code: 'INVALID_DATA', api_name: 'content', message: 'content: expected text' });
  else if (text === undefined || !text.trim())
    errors.push({
      code: 'MANDATORY_NOT_FOUND',
      api_name: 'content',
      message: 'content is required (or a template_id)',
    });
  else if (characterCount(text) > MAIL_LIMITS.content || text.includes('\u0000'))
    errors.push({
      code: 'INVALID_DATA',
      api_name: 'content',
      message: `content: at most ${MAIL_LIMITS.content} characters`,
      maximum_length: MAIL_LIMITS.content,
    });
  if (errors.length) throw recordErrors(400, [recordError(errors, 0)]);
  return queueCaseMail(trx, mail.outbox, {
    ctx,
    from: ensureMailer(mail.mailer).from,
    row,
    to,
    cc,
    subject,
    text: text as string,
  });
}

/**
 * POST /Cases/actions/send_mail: one email per selected case to its contact, from a template, with per-recipient
 * results. All are queued in one transaction and delivered after it, each on its own, so one refused address
 * does not undo the others. A case listed more than once still gets one email and one result (in the order of
 * its first mention): a repeated id is a client's slip, and the customer would otherwise get the same mail again
 * for each repetition.
 */
export async function sendBulk(
  storage: Storage,
  ctx: ServiceContext,
  mail: MailDeps,
  body: unknown,
  caseIds: string[],
): Promise<RecordResult[]> {
  const { db } = storage;
  const templateId = (body as { template_id?: unknown } | null)?.template_id;
  if (templateId === undefined)
    throw apiError(400, 'MANDATORY_NOT_FOUND', 'template_id is required', { api_name: 'template_id' });
  const template = await templateById(db, templateId);
  const { from } = ensureMailer(mail.mailer);
  const distinct = [...new Set(caseIds)];
  const rows = new Map((await findCasesByIds(db, distinct)).map((r) => [String(r.id), r]));
  const planned: (RecordResult | { row: CaseRow; email: string })[] = [];
  for (const id of distinct) {
    const row = rows.get(id);
    const email =
      row?.email ??
      (row?.related_to_id != null
        ? (await namesOf(db, 'Contacts', [row.related_to_id])).get(String(row.related_to_id))?.email
        : undefined);
    planned.push(
      row && email
        ? { row, email }
        : {
            code: row ? 'MANDATORY_NOT_FOUND' : 'INVALID_DATA',
            details: { id, api_name: row ? 'Email' : 'id' },
            message: row ? 'the case has no contact email' : `no case with id ${id}`,
            status: 'error',
          },
    );
  }
  const toSend = planned.filter((p): p is { row: CaseRow; email: string } => 'row' in p);
  const queued = await storage.write(async (trx) => {
    const all: QueuedMail[] = [];
    for (const { row, email } of toSend) {
      const merge = await mergeFieldsOf(trx, row);
      all.push(
        await queueCaseMail(trx, mail.outbox, {
          ctx,
          from,
          row,
          to: [{ name: row.reported_by, email }],
          cc: [],
          subject: renderTemplate(template.subject, merge),
          text: renderTemplate(template.body, merge),
        }),
      );
    }
    return all;
  });
  const outcomes = await mail.outbox.deliverNow<SentCaseMail>(queued.map((q) => q.outboxId));
  const results = new Map(
    toSend.map(({ row, email }, i) => [
      row,
      mailResult(outcomes[i], queued[i], { id: String(row.id), to: email }),
    ]),
  );
  return planned.map((p) => ('row' in p ? results.get(p.row)! : p));
}

export async function listTemplates(db: Executor): Promise<TemplateRecord[]> {
  return templates.allTemplates(db);
}

/** A template's fields from a request: name, subject and body, each required and within its limit. */
function templateValues(input: unknown): { name: string; subject: string; body: string } {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw apiError(400, 'INVALID_DATA', 'expected a JSON object', { api_name: 'data' });
  const r = input as Record<string, unknown>;
  const unknown = Object.keys(r).find((k) => !['name', 'subject', 'body'].includes(k));
  if (unknown !== undefined)
    throw apiError(400, 'INVALID_DATA', `${unknown.slice(0, 60)}: no such property`, {
      api_name: unknown.slice(0, 60),
    });
  const check = (name: string, max: number) => {
    const v = r[name];
    if (typeof v !== 'string' || !v.trim())
      throw apiError(400, 'MANDATORY_NOT_FOUND', `${name} is required`, { api_name: name });
    if (characterCount(v) > max || v.includes('\u0000'))
      throw apiError(400, 'INVALID_DATA', `${name}: at most ${max} characters`, {
        api_name: name,
        maximum_length: max,
      });
    return v;
  };
  return {
    name: check('name', MAIL_LIMITS.templateName),
    subject: check('subject', MAIL_LIMITS.subject),
    body: check('body', MAIL_LIMITS.content),
  };
}

export async function createTemplate(trx: Executor, input: unknown): Promise<string> {
  return templates.insertTemplate(trx, templateValues(input), nowIso());
}

export async function updateTemplate(trx: Executor, id: string, input: unknown): Promise<void> {
  if (!(await templates.updateTemplate(trx, id, templateValues(input)))) throw notFound(id);
}

export async function deleteTemplate(trx: Executor, id: string): Promise<void> {
  if (!(await templates.deleteTemplate(trx, id))) throw notFound(id);
}
