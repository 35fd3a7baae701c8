import crypto from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import { attachmentProblem } from '../../shared/attachments';
import type { FieldDefinition } from '../../shared/case-fields';
import { LIMITS } from '../../shared/case-fields';
import {
  MESSAGE_LIMITS,
  messageIdsIn,
  normalizeMessageId,
  threadReferences,
} from '../../shared/email-message';
import { isValidEmail } from '../../shared/validation';
import type { BlobStore } from '../attachments/blob-store';
import { addAttachment } from '../attachments/attachment.service';
import { createFromEmail, linkThreadedMessage, type ServiceContext } from '../cases/case.service';
import type { Storage } from '../db/database';
import { type Executor, nowIso } from '../db/executor';
import { threadCase } from '../emails/threading';
import { HttpError } from '../http/errors';
import { findContactsByEmail } from '../lookups/lookup.repository';
import { insertNote } from '../notes/note.repository';
import { type AcknowledgementDeps, queueAcknowledgement } from '../mail/acknowledgement';
import { upsertUser } from '../users/user.repository';
import { addressesOf, refusalOf, senderOf, type Refusal } from './message-rules';
import * as repo from './mailbox.repository';

/** What became of one message; stored in mailbox_messages.outcome. */
export type Outcome = 'case_created' | 'linked' | 'already_known' | Refusal | 'error';

/** Bad input caps: beyond these a message is recorded as an error and skipped (its bytes are never stored). */
export const CAPTURE_LIMITS = { headerBytes: 256 * 1024, recipients: 1000 } as const;

export interface CaptureDeps {
  storage: Storage;
  fields: () => readonly FieldDefinition[];
  blobs: BlobStore;
  /** Where acknowledgements are queued; absent without SMTP (then none is sent). */
  mail?: AcknowledgementDeps;
}

/** Where a message sits: the checkpoint moves to it in the transaction of its effects. */
export interface MessagePlace {
  mailboxId: string;
  folder: string;
  uidValidity: string;
  uid: number;
}

export interface MailboxRules {
  neverCapture: readonly string[];
  /** The mailbox's own address, kept on the links as the pane keeps the Outlook mailbox. */
  address: string;
  /** The template each new case's customer is acknowledged with; absent: no acknowledgement. */
  acknowledgeWith?: string;
}

class BadMessage extends Error {}

function headerBytes(raw: Buffer): number {
  const end = raw.indexOf('\r\n\r\n');
  const endLf = raw.indexOf('\n\n');
  const ends = [end, endLf].filter((i) => i >= 0);
  return ends.length ? Math.min(...ends) : raw.length;
}

async function parse(raw: Buffer): Promise<ParsedMail> {
  if (headerBytes(raw) > CAPTURE_LIMITS.headerBytes)
    throw new BadMessage(`the header is larger than ${CAPTURE_LIMITS.headerBytes} bytes`);
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, { skipImageLinks: true, maxHtmlLengthToParse: 2_000_000 });
  } catch (error) {
    throw new BadMessage(`malformed MIME: ${(error as Error).message.slice(0, 200)}`);
  }
  const recipients = addressesOf(mail.to).length + addressesOf(mail.cc).length;
  if (recipients > CAPTURE_LIMITS.recipients)
    throw new BadMessage(`${recipients} recipients (at most ${CAPTURE_LIMITS.recipients})`);
  return mail;
}

/** The Message-ID, or for a message without one a stable stand-in from its bytes (a re-read finds the same). */
function messageIdOf(mail: ParsedMail, raw: Buffer): string {
  const id = mail.messageId ? normalizeMessageId(mail.messageId) : '';
  if (id && id.length <= MESSAGE_LIMITS.internet_message_id) return id;
  return `${crypto.createHash('sha256').update(raw).digest('hex')}@no-message-id.casepane`;
}

/** In-Reply-To and References as the thread headers of the link (References oldest first, its newest 100 kept). */
function threadHeadersOf(mail: ParsedMail): { in_reply_to: string | null; references: string[] } {
  const references = (Array.isArray(mail.references) ? mail.references : [mail.references ?? '']).flatMap(
    messageIdsIn,
  );
  return {
    in_reply_to: messageIdsIn(mail.inReplyTo ?? '')[0] ?? null,
    references: [...new Set(references)].slice(-MESSAGE_LIMITS.references),
  };
}

const clip = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);
const addressList = (field: ParsedMail['to']) =>
  addressesOf(field)
    .filter((a) => a.address && isValidEmail(a.address))
    .slice(0, MESSAGE_LIMITS.recipients)
    .map((a) => ({ name: a.name ? clip(a.name, MESSAGE_LIMITS.name) : null, email: a.address! }));

/** The message as the pane sends it to from_email: one shape for both paths. */
function messageInput(mail: ParsedMail, id: string, rules: MailboxRules) {
  const sender = senderOf(mail)!;
  return {
    internet_message_id: id,
    mailbox: clip(rules.address, MESSAGE_LIMITS.mailbox),
    from: { name: sender.name ? clip(sender.name, MESSAGE_LIMITS.name) : null, email: sender.email },
    to: addressList(mail.to),
    cc: addressList(mail.cc),
    subject: mail.subject ? clip(mail.subject, MESSAGE_LIMITS.subject) : null,
    sent_time: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null,
    body_text: mail.text ? clip(mail.text.replaceAll('\u0000', ''), MESSAGE_LIMITS.body_text) : null,
    ...threadHeadersOf(mail),
  };
}

async function systemContext(trx: Executor, deps: CaptureDeps): Promise<ServiceContext> {
  const user = await upsertUser(
    trx,
    {
      externalId: 'system|mailbox',
      email: 'mailbox@casepane.local',
      fullName: 'Mailbox capture',
      role: 'agent',
    },
    nowIso(),
  );
  return {
    dialect: deps.storage.dialect,
    fields: deps.fields(),
    user: { id: String(user.id), name: user.full_name, email: user.email },
  };
}

async function linkToCase(
  trx: Executor,
  ctx: ServiceContext,
  caseId: string,
  message: ReturnType<typeof messageInput>,
) {
  const normalized = { ...message, conversation_id: null, item_id: null, subject: message.subject ?? null };
  // The pane's Save on this message later returns this case (from_email is idempotent on the same claim).
  await linkThreadedMessage(trx, ctx, caseId, normalized, nowIso());
}

async function newCase(
  trx: Executor,
  ctx: ServiceContext,
  message: ReturnType<typeof messageInput>,
): Promise<{ caseId: string; duplicate: boolean }> {
  const [contact] = await findContactsByEmail(trx, message.from.email.toLowerCase(), 1);
  const values = {
    Subject: clip(message.subject?.trim() || '(no subject)', LIMITS.Subject),
    Case_Origin: 'Email',
    Email: message.from.email,
    Reported_By: clip(message.from.name ?? message.from.email, LIMITS.Reported_By),
    Description: message.body_text ? clip(message.body_text, LIMITS.Description) : null,
    ...(contact ? { Related_To: String(contact.id) } : {}),
    ...(contact?.account_id ? { Account_Name: String(contact.account_id) } : {}),
  };
  // The thread was looked at already (threadCase): from_email need not apply the rule a second time.
  const { results } = await createFromEmail(trx, ctx, [{ case: values, message }], { thread: false });
  const { details } = results[0] as { details: { id: string; duplicate?: boolean } };
  return { caseId: String(details.id), duplicate: details.duplicate === true };
}

/** Attachments within the limits are copied; a refused one is noted on the case, never dropped unsaid. */
async function copyAttachments(
  trx: Executor,
  ctx: ServiceContext,
  blobs: BlobStore,
  caseId: string,
  mail: ParsedMail,
  messageId: string,
) {
  const refused: string[] = [];
  for (const [index, a] of mail.attachments.entries()) {
    const fileName = clip(a.filename?.trim() || `attachment-${index + 1}`, 255);
    const problem = attachmentProblem(fileName, a.content.length);
    if (problem) refused.push(`${fileName} (${a.content.length} bytes): ${problem}`);
    else
      await addAttachment(trx, ctx, blobs, caseId, {
        fileName,
        contentType: a.contentType,
        data: a.content,
        sourceMessageId: messageId,
      });
  }
  if (refused.length) {
    const now = nowIso();
    await insertNote(trx, {
      case_id: caseId,
      title: 'Attachments not copied from the email',
      content: clip(`From "${mail.subject ?? ''}":\n${refused.join('\n')}`, 32_000),
      created_by_id: ctx.user.id,
      created_time: now,
      modified_time: now,
    });
  }
}

async function applyMessage(
  trx: Executor,
  deps: CaptureDeps,
  mail: ParsedMail,
  id: string,
  rules: MailboxRules,
): Promise<{ outcome: Outcome; caseId?: string }> {
  const refusal = refusalOf(mail, rules.neverCapture);
  if (refusal) return { outcome: refusal };
  const known = await repo.caseOfKnownMessage(trx, id);
  if (known) return { outcome: 'already_known', caseId: known };
  const sender = senderOf(mail);
  if (!sender || !isValidEmail(sender.email)) throw new BadMessage('no valid sender address (From)');
  const ctx = await systemContext(trx, deps);
  const message = messageInput(mail, id, rules);
  const threaded = await threadCase(trx, {
    references: threadReferences(message),
    subject: mail.subject ?? null,
    senderEmail: sender.email,
  });
  if (threaded) {
    await linkToCase(trx, ctx, threaded, message);
    await copyAttachments(trx, ctx, deps.blobs, threaded, mail, id);
    return { outcome: 'linked', caseId: threaded };
  }
  const created = await newCase(trx, ctx, message);
  // The pane converted it a moment ago (its claim committed after our look): its case stands, nothing is added.
  if (created.duplicate) return { outcome: 'already_known', caseId: created.caseId };
  // Only a new case is acknowledged (refused senders returned above, threaded replies are linked, not new).
  if (rules.acknowledgeWith && deps.mail)
    await queueAcknowledgement(trx, deps.mail, {
      ctx,
      caseId: created.caseId,
      templateId: rules.acknowledgeWith,
      to: message.from,
      ...(mail.messageId ? { inReplyTo: id } : {}),
    });
  await copyAttachments(trx, ctx, deps.blobs, created.caseId, mail, id);
  return { outcome: 'case_created', caseId: created.caseId };
}

async function record(
  trx: Executor,
  place: MessagePlace,
  result: { outcome: Outcome; caseId?: string; messageId?: string; detail?: string },
) {
  const now = nowIso();
  await repo.recordMessage(trx, {
    mailbox_id: place.mailboxId,
    folder: place.folder,
    uid_validity: place.uidValidity,
    uid: place.uid,
    internet_message_id: result.messageId ?? null,
    outcome: result.outcome,
    case_id: result.caseId ?? null,
    detail: result.detail ? clip(result.detail, 1000) : null,
    created_time: now,
  });
  if (result.outcome === 'case_created' || result.outcome === 'linked')
    await repo.countCaptured(trx, place.mailboxId, 1);
  await repo.saveCheckpoint(trx, place.mailboxId, place.folder, place.uidValidity, place.uid, now);
}

/** A message that cannot be taken (too large, malformed): recorded with the checkpoint, and ingestion goes on. */
export async function recordBadMessage(
  deps: CaptureDeps,
  place: MessagePlace,
  detail: string,
): Promise<void> {
  await deps.storage.write((trx) => record(trx, place, { outcome: 'error', detail }));
}

/**
 * Capture one message in one transaction: its case or link, attachments, the record of what happened and the
 * checkpoint commit together, so a crash at any point either left all of it or none (and a re-read redoes it).
 */
export async function captureMessage(
  deps: CaptureDeps,
  place: MessagePlace,
  raw: Buffer,
  rules: MailboxRules,
): Promise<Outcome> {
  let mail: ParsedMail;
  try {
    mail = await parse(raw);
  } catch (error) {
    if (!(error instanceof BadMessage)) throw error;
    await recordBadMessage(deps, place, error.message);
    return 'error';
  }
  const id = messageIdOf(mail, raw);
  try {
    return await deps.storage.write(async (trx) => {
      const result = await applyMessage(trx, deps, mail, id, rules);
      await record(trx, place, { ...result, messageId: id });
      return result.outcome;
    });
  } catch (error) {
    // Refused by validation (a field the case cannot hold): the message is bad input, not an outage.
    // 409 is the pane converting the same message right now: not bad input, so read it again on the next pass.
    const refused =
      error instanceof BadMessage ||
      (error instanceof HttpError && error.statusCode < 500 && error.statusCode !== 409);
    if (!refused) throw error;
    const detail = error instanceof HttpError ? JSON.stringify(error.body).slice(0, 1000) : error.message;
    await deps.storage.write((trx) => record(trx, place, { outcome: 'error', messageId: id, detail }));
    return 'error';
  }
}
