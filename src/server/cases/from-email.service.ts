import type { RecordResult } from '../../shared/api-types';
import { type NormalizedMessage, threadReferences, validateEmailMessage } from '../../shared/email-message';
import type { CaseValues, FieldError } from '../../shared/validation';
import { type Executor, nowIso } from '../db/executor';
import type { ServiceContext } from '../http/context';
import { apiError, failBatch, recordErrors } from '../http/errors';
import * as emails from '../emails/email.repository';
import { threadCase } from '../emails/threading';
import * as history from '../history/history.service';
import * as repo from './case.repository';
import { formatCaseNumber, success } from './case.mapper';
import { insertValidated, lookupErrors, validateForCreate } from './case.service';

/**
 * An email becomes a case, or joins the case its thread names: POST /Cases/actions/from_email (the pane's Save),
 * the support-mailbox capture and linking a threaded message all go through here.
 */

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
