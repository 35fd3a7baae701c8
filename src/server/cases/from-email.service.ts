import type { RecordResult } from '../../shared/api-types';
import { type NormalizedMessage, threadReferences, validateEmailMessage } from '../../shared/email-message';
import type { CaseValues, FieldError } from '../../shared/validation';
import { type Executor, nowIso } from '../db/executor';
import type { ServiceContext } from '../http/context';
import { apiError, failBatch, recordErrors } from '../http/errors';
import * as emails from '../emails/email.repository';
import { hasThreadClues, threadCase, type ThreadClues } from '../emails/threading';
import * as history from '../history/history.service';
import * as repo from './case.repository';
import { formatCaseNumber, success } from './case.mapper';
import { insertValidatedMany, lookupErrors, validateForCreate } from './case.service';

/**
 * An email becomes a case, or joins the case its thread names: POST /Cases/actions/from_email (the pane's Save),
 * the support-mailbox capture and linking a threaded message all go through here.
 */

export interface Validated {
  values: CaseValues;
  message: NormalizedMessage;
}

export interface FromEmailItem {
  case: unknown;
  message: unknown;
}

/** One record of the request checked without the database: its case values and message, or its field errors. */
export function validateFromEmail(ctx: ServiceContext, item: unknown): Validated | FieldError[] {
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

/** The answer for a message that went to a case made before: that case, marked duplicate. */
function existingCase(message: string, row: repo.CaseRow, extra: { threaded?: true } = {}): RecordResult {
  return success(message, {
    id: String(row.id),
    Case_Number: formatCaseNumber(row.case_number),
    Created_Time: row.created_time,
    Modified_Time: row.modified_time,
    duplicate: true,
    ...extra,
  });
}

const threadClues = (message: NormalizedMessage): ThreadClues => ({
  references: threadReferences(message),
  subject: message.subject,
  senderEmail: message.from.email,
});

/** A conversion whose message threads to an existing case (section 2): linked there, that case returned. */
async function threadedConversion(
  trx: Executor,
  ctx: ServiceContext,
  message: NormalizedMessage,
  now: string,
): Promise<RecordResult | undefined> {
  const caseId = await threadCase(trx, threadClues(message));
  const existing = caseId ? await repo.findCaseById(trx, caseId) : undefined;
  if (!existing) return undefined;
  await linkThreadedMessage(trx, ctx, String(existing.id), message, now, true);
  return existingCase('this email belongs to the thread of an existing case; linked to it', existing, {
    threaded: true,
  });
}

/** A message converted before: its case, or a 409 while the first conversion has not committed. */
async function alreadyConverted(trx: Executor, messageId: string): Promise<RecordResult> {
  const caseId = await emails.findConversion(trx, messageId);
  const existing = caseId ? await repo.findCaseById(trx, caseId) : undefined;
  if (!existing)
    throw apiError(409, 'CONFLICT', 'this message is being converted by another request; try again', {
      api_name: 'message.internet_message_id',
    });
  return existingCase('this email was already converted; returning its case', existing);
}

/** New cases for claimed messages: the cases, their links and the completed claims, each in one statement. */
async function createCases(
  trx: Executor,
  ctx: ServiceContext,
  list: readonly Validated[],
  now: string,
): Promise<RecordResult[]> {
  if (list.length === 0) return [];
  const cases = await insertValidatedMany(
    trx,
    ctx,
    list.map((v) => v.values),
    now,
    'created',
    (caseId, index) => [
      {
        caseId,
        action: 'email_linked',
        actorId: ctx.user.id,
        time: now,
        changes: [{ api_name: 'Emails', old: null, new: list[index].message.subject }],
      },
    ],
  );
  await emails.insertEmailLinks(
    trx,
    list.map((v, index) => emailLinkRow(v.message, cases[index].id, ctx.user.id, now)),
  );
  await emails.completeConversions(
    trx,
    list.map((v, index) => ({ internetMessageId: v.message.internet_message_id, caseId: cases[index].id })),
  );
  return cases.map(({ id, caseNumber }) =>
    success('record added', {
      id,
      Case_Number: caseNumber,
      Created_Time: now,
      Modified_Time: now,
      duplicate: false,
    }),
  );
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
  return convertValidated(
    trx,
    ctx,
    items.map((item) => validateFromEmail(ctx, item)),
    options,
  );
}

/** Nothing is written for a request with any invalid record (a lookup to nothing, the same message twice). */
async function refuseInvalid(
  trx: Executor,
  ctx: ServiceContext,
  validated: readonly (Validated | FieldError[])[],
): Promise<Validated[]> {
  const perRecord: (FieldError[] | null)[] = [];
  for (const v of validated)
    perRecord.push(Array.isArray(v) ? v : await lookupErrors(trx, v.values, ctx.fields));
  if (perRecord.some((e) => e && e.length)) throw failBatch(perRecord);
  // Past failBatch, every record passed its own checks.
  const messages = validated as Validated[];
  const ids = messages.map((v) => v.message.internet_message_id);
  if (new Set(ids).size !== ids.length)
    throw recordErrors(400, [
      {
        code: 'DUPLICATE_DATA',
        details: { api_name: 'message.internet_message_id' },
        message: 'the same message appears twice in one request',
        status: 'error',
      },
    ]);
  return messages;
}

/** createFromEmail after each record's own checks (validateFromEmail): the database's checks, then the writes. */
export async function convertValidated(
  trx: Executor,
  ctx: ServiceContext,
  validated: readonly (Validated | FieldError[])[],
  options: { thread?: boolean } = {},
): Promise<{ results: RecordResult[]; created: boolean }> {
  const messages = await refuseInvalid(trx, ctx, validated);
  const now = nowIso();
  const claimed = await emails.claimConversions(
    trx,
    messages.map((v) => v.message.internet_message_id),
    now,
  );
  const results: RecordResult[] = [];
  // New cases are written together (multi-row inserts); a message whose thread may name one of them is looked up
  // only after they are written, so a batch threads as it would one message at a time.
  let fresh: { index: number; values: CaseValues; message: NormalizedMessage }[] = [];
  const writeFresh = async () => {
    for (const [i, result] of (await createCases(trx, ctx, fresh, now)).entries())
      results[fresh[i].index] = result;
    fresh = [];
  };
  for (const [index, v] of messages.entries()) {
    const messageId = v.message.internet_message_id;
    // A message whose case was deleted may be converted again; the reclaim is as race-free as the claim.
    if (!claimed.has(messageId) && !(await emails.reclaimOrphanedConversion(trx, messageId))) {
      results[index] = await alreadyConverted(trx, messageId);
      continue;
    }
    if (options.thread !== false && hasThreadClues(threadClues(v.message))) {
      await writeFresh();
      const threaded = await threadedConversion(trx, ctx, v.message, now);
      if (threaded) {
        results[index] = threaded;
        continue;
      }
    }
    fresh.push({ index, ...v });
  }
  await writeFresh();
  return { results, created: createdIn(results) };
}

/** Whether any of these results made a new case (the route answers 201 then, else 200). */
export const createdIn = (results: readonly RecordResult[]): boolean =>
  results.some((r) => r.code === 'SUCCESS' && r.details.duplicate === false);
