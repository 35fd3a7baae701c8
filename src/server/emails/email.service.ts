import type { EmailLinkRecord, LinkedCaseSummary, RecordResult } from '../../shared/api-types';
import { normalizeMessageId, validateEmailMessage } from '../../shared/email-message';
import { type Executor, nowIso } from '../db/executor';
import { apiError, failBatch, notFound } from '../http/errors';
import { namesOf } from '../lookups/lookup.repository';
import { caseExists, findCasesByIds, findCasesByNumbers } from '../cases/case.repository';
import { referencedCaseNumbers } from '../../shared/case-reference';
import { requireCase } from '../cases/case.service';
import { formatCaseNumber } from '../cases/case.mapper';
import { emailLinkRow } from '../cases/from-email.service';
import type { ServiceContext } from '../http/context';
import * as repo from './email.repository';
import * as history from '../history/history.service';

/** POST /Cases/{id}/Emails: link received messages to a case (idempotent per case and message). */
export async function linkEmails(
  trx: Executor,
  ctx: ServiceContext,
  caseId: string,
  inputs: unknown[],
): Promise<RecordResult[]> {
  await requireCase(trx, caseId);
  const validated = inputs.map((input) => validateEmailMessage(input, 'data'));
  if (validated.some((v) => !v.ok)) throw failBatch(validated.map((v) => (v.ok ? null : v.errors)));
  const now = nowIso();
  const results: RecordResult[] = [];
  for (const v of validated) {
    if (!v.ok) continue;
    const { id, created } = await repo.insertEmailLink(
      trx,
      emailLinkRow(v.message, caseId, ctx.user.id, now),
    );
    if (created)
      await history.record(trx, caseId, 'email_linked', ctx.user.id, now, [
        { api_name: 'Emails', old: null, new: v.message.subject },
      ]);
    results.push({
      code: 'SUCCESS',
      details: { id },
      message: created ? 'email linked' : 'email was already linked to this case',
      status: 'success',
    });
  }
  return results;
}

export async function listEmailLinks(
  db: Executor,
  caseId: string,
  page: number,
  perPage: number,
): Promise<{ data: EmailLinkRecord[]; more: boolean }> {
  await requireCase(db, caseId);
  const rows = await repo.emailLinksOfCase(db, caseId, perPage + 1, (page - 1) * perPage);
  const users = await namesOf(
    db,
    'Users',
    rows.map((r) => r.linked_by_id),
  );
  const data = rows.slice(0, perPage).map((r) => ({
    id: String(r.id),
    case_id: String(r.case_id),
    internet_message_id: r.internet_message_id,
    conversation_id: r.conversation_id,
    item_id: r.item_id,
    mailbox: r.mailbox,
    from: { name: r.from_name, email: r.from_email },
    to: JSON.parse(r.to_json),
    cc: JSON.parse(r.cc_json),
    subject: r.subject,
    sent_time: r.sent_time,
    body_text: r.body_text,
    linked_time: r.linked_time,
    linked_by: { id: String(r.linked_by_id), name: users.get(String(r.linked_by_id))?.name ?? '' },
  }));
  return { data, more: rows.length > perPage };
}

const STATUS_LOOKUP_LIMIT = 50;

/** GET /Emails/cases: the cases this message is linked to, then the other cases of its thread. */
export async function casesForMessage(
  db: Executor,
  messageId: string | undefined,
  conversationId: string | undefined,
  subject?: string,
): Promise<LinkedCaseSummary[]> {
  if (!messageId && !conversationId && !subject)
    throw apiError(400, 'REQUIRED_PARAM_MISSING', 'give internet_message_id, conversation_id or subject', {
      param_name: 'internet_message_id',
    });
  const { byMessage, byThread } = await repo.caseIdsForMessage(
    db,
    messageId ? normalizeMessageId(messageId) : undefined,
    conversationId,
    STATUS_LOOKUP_LIMIT,
  );
  // A reply carrying "[Case #1234]" in its subject belongs to that case even before it is linked.
  const numbers = subject ? referencedCaseNumbers(subject).slice(0, 5).map(Number) : [];
  const byReference = numbers.length ? (await findCasesByNumbers(db, numbers)).map((r) => String(r.id)) : [];
  const matchOf = (id: string): LinkedCaseSummary['match'] =>
    byMessage.includes(id) ? 'message' : byThread.includes(id) ? 'thread' : 'reference';
  const rank = { message: 0, thread: 1, reference: 2 } as const;
  const ids = [...new Set([...byMessage, ...byThread, ...byReference])];
  const rows = await findCasesByIds(db, ids);
  const owners = await namesOf(
    db,
    'Users',
    rows.map((r) => r.owner_id).filter((id) => id !== null),
  );
  return rows
    .map((r) => ({
      id: String(r.id),
      Case_Number: formatCaseNumber(r.case_number),
      Subject: r.subject,
      Status: r.status as LinkedCaseSummary['Status'],
      Priority: r.priority,
      Owner:
        r.owner_id === null
          ? null
          : { id: String(r.owner_id), name: owners.get(String(r.owner_id))?.name ?? '' },
      Modified_Time: r.modified_time,
      match: matchOf(String(r.id)),
    }))
    .sort((a, b) =>
      a.match === b.match ? b.Modified_Time.localeCompare(a.Modified_Time) : rank[a.match] - rank[b.match],
    );
}

/** Unlink a message from a case, or move it to another case; both recorded in the cases' history. */
export async function unlinkEmail(
  trx: Executor,
  ctx: ServiceContext,
  caseId: string,
  linkId: string,
  moveTo?: string,
): Promise<RecordResult> {
  const link = await repo.findEmailLink(trx, linkId);
  if (!link || String(link.case_id) !== caseId) throw notFound(linkId);
  const now = nowIso();
  if (moveTo !== undefined) {
    if (moveTo === caseId)
      throw apiError(400, 'INVALID_DATA', 'the email is already linked to this case', {
        api_name: 'case_id',
      });
    if (!(await caseExists(trx, moveTo)))
      throw apiError(400, 'INVALID_DATA', `no case with id ${moveTo}`, { api_name: 'case_id' });
    const { id: _oldId, ...copy } = link;
    await repo.insertEmailLink(trx, {
      ...copy,
      case_id: moveTo,
      linked_time: now,
      linked_by_id: ctx.user.id,
    });
    await history.record(trx, moveTo, 'email_linked', ctx.user.id, now, [
      { api_name: 'Emails', old: null, new: link.subject },
    ]);
  }
  await repo.deleteEmailLink(trx, linkId);
  await history.record(trx, caseId, 'email_unlinked', ctx.user.id, now, [
    { api_name: 'Emails', old: link.subject, new: moveTo ? `moved to case ${moveTo}` : null },
  ]);
  return {
    code: 'SUCCESS',
    details: { id: linkId },
    message: moveTo ? 'email moved' : 'email unlinked',
    status: 'success',
  };
}

/**
 * POST /Cases/{id}/Emails/actions/record_sent: an agent's reply sent from Outlook, recorded on the case as sent mail
 * (issue 11, section 3) so the Emails list and the first response are complete. Idempotent on the message's
 * identity (its internet_message_id: the Message-ID, or the send key the add-in put in X-Casepane-Case): a
 * retried record returns the first one (details.duplicate) and writes nothing more.
 */
export async function recordSentEmail(
  trx: Executor,
  ctx: ServiceContext,
  caseId: string,
  input: unknown,
): Promise<RecordResult> {
  await requireCase(trx, caseId);
  const v = validateEmailMessage(input, 'data');
  if (!v.ok) throw failBatch([v.errors]);
  const now = nowIso();
  const row = { ...emailLinkRow(v.message, caseId, ctx.user.id, now), direction: 'sent' };
  const { id, created } = await repo.insertEmailLink(trx, row);
  if (created)
    await history.record(trx, caseId, 'email_sent', ctx.user.id, now, [
      {
        api_name: 'Emails',
        old: null,
        new: `${v.message.subject ?? ''} → ${v.message.to.map((a) => a.email).join(', ')}`,
      },
    ]);
  return {
    code: 'SUCCESS',
    details: { id, duplicate: !created },
    message: created ? 'sent email recorded' : 'this sent email was already recorded on the case',
    status: 'success',
  };
}
