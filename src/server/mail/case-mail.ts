import crypto from 'node:crypto';
import { withCaseReference } from '../../shared/case-reference';
import { normalizeMessageId } from '../../shared/email-message';
import type { RecordResult } from '../../shared/api-types';
import { singleLine } from '../../shared/validation';
import type { Executor } from '../db/executor';
import { nowIso } from '../db/executor';
import { apiError } from '../http/errors';
import type { CaseRow } from '../cases/case.repository';
import { formatCaseNumber } from '../cases/case.mapper';
import type { ServiceContext } from '../http/context';
import { insertEmailLink } from '../emails/email.repository';
import * as history from '../history/history.service';
import { type Outbox, type OutboxHandler, type Outcome, PermanentFailure } from '../outbox/outbox';
import type { Mailer } from './mailer';

/** An email to a case's customer, as the outbox keeps it until the SMTP server has taken it. */
export const CASE_MAIL = 'case_mail';

type Address = { name: string | null; email: string };

export interface CaseMail {
  caseId: string;
  userId: string;
  userName: string;
  from: string;
  to: Address[];
  cc: Address[];
  subject: string;
  text: string;
  /** Chosen when the mail is queued: the Emails list, a retry and the customer's reply all know it by this. */
  messageId: string;
  /** Extra header fields and the message answered (an acknowledgement); absent for an agent's mail. */
  headers?: Record<string, string>;
  inReplyTo?: string;
}

export interface SentCaseMail {
  messageId: string;
  /** The Emails list entry of the sent message. */
  emailId?: string;
}

/** `<random@domain of the From address>`, as RFC 5322 wants a Message-ID to be unique and ours. */
function newMessageId(from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'casepane.local';
  return `<${crypto.randomUUID()}@${domain}>`;
}

/**
 * Queue an email to the case's customer in the caller's transaction: it leaves only if that transaction
 * commits. The subject carries the case reference, so the customer's reply finds its case.
 */
export async function queueCaseMail(
  trx: Executor,
  outbox: Outbox,
  mail: {
    ctx: ServiceContext;
    from: string;
    row: CaseRow;
    to: Address[];
    cc: Address[];
    subject: string;
    text: string;
    headers?: Record<string, string>;
    inReplyTo?: string;
  },
): Promise<{ outboxId: string; payload: CaseMail }> {
  const payload: CaseMail = {
    caseId: String(mail.row.id),
    userId: mail.ctx.user.id,
    userName: mail.ctx.user.name,
    from: mail.from,
    to: mail.to,
    cc: mail.cc,
    // One line, whatever the template or the caller gave: a subject is a header.
    subject: withCaseReference(singleLine(mail.subject), formatCaseNumber(mail.row.case_number)),
    text: mail.text,
    messageId: newMessageId(mail.from),
    ...(mail.headers ? { headers: mail.headers } : {}),
    ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
  };
  return { outboxId: await outbox.enqueue(trx, CASE_MAIL, payload), payload };
}

/** SMTP's 5xx replies are final (the recipient or message is refused); anything else may pass on a retry. */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** Delivers queued case mail through SMTP; once sent, the mail joins the case's Emails list and timeline. */
export function caseMailHandler(mailer: Mailer): OutboxHandler<CaseMail, SentCaseMail> {
  return {
    async deliver(mail) {
      try {
        const { messageId } = await mailer.send(mail);
        return { messageId };
      } catch (error) {
        const reason = `the mail server did not accept the message: ${(error as Error).message.slice(0, 200)}`;
        throw isPermanent(error) ? new PermanentFailure(reason) : new Error(reason);
      }
    },
    async delivered(trx, mail, sent) {
      const now = nowIso();
      const link = await insertEmailLink(trx, {
        case_id: mail.caseId,
        internet_message_id: normalizeMessageId(sent.messageId),
        conversation_id: null,
        item_id: null,
        mailbox: null,
        from_name: mail.userName,
        from_email: mail.from.replace(/^.*<([^>]+)>.*$/, '$1'),
        to_json: JSON.stringify(mail.to),
        cc_json: JSON.stringify(mail.cc),
        subject: mail.subject,
        sent_time: now,
        body_text: mail.text,
        linked_time: now,
        linked_by_id: mail.userId,
        direction: 'sent',
      });
      await history.record(trx, mail.caseId, 'email_sent', mail.userId, now, [
        { api_name: 'Emails', old: null, new: `${mail.subject} → ${mail.to.map((a) => a.email).join(', ')}` },
      ]);
      return { ...sent, emailId: link.id };
    },
    async failed(trx, mail, error) {
      await history.record(trx, mail.caseId, 'email_failed', mail.userId, nowIso(), [
        {
          api_name: 'Emails',
          old: `${mail.subject} → ${mail.to.map((a) => a.email).join(', ')}`,
          new: error,
        },
      ]);
    },
  };
}

/**
 * A send's answer from its outcome so far: sent (with its Emails entry), refused for good (MAIL_NOT_SENT), or
 * still queued because the mail server has not answered within the wait — the agent is told it will go out.
 */
export function mailResult(
  outcome: Outcome<SentCaseMail>,
  queued: { outboxId: string; payload: CaseMail },
  /** Details that identify the request's item (a bulk send's case id and address); they win over the mail's. */
  details: Record<string, unknown> = {},
): RecordResult {
  if (outcome.state === 'failed')
    return { code: 'MAIL_NOT_SENT', details, message: outcome.error, status: 'error' };
  const waiting = outcome.state === 'queued';
  // Until it is sent, the record that exists is the queued mail; then it is the case's Emails entry.
  const id = waiting ? queued.outboxId : (outcome.result.emailId ?? queued.outboxId);
  return {
    code: 'SUCCESS',
    details: {
      id,
      ...(waiting ? {} : { email_id: id }),
      message_id: queued.payload.messageId,
      subject: queued.payload.subject,
      delivery: waiting ? 'queued' : 'sent',
      ...details,
    },
    message: waiting
      ? 'email queued: the mail server has not answered yet; it is retried until it takes the message'
      : 'email sent',
    status: 'success',
  };
}

export function ensureMailer(mailer: Mailer | undefined): Mailer {
  if (!mailer)
    throw apiError(400, 'NOT_SUPPORTED', 'sending email is not set up on this server (SMTP_URL)', {});
  return mailer;
}
