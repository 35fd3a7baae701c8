/**
 * The launch-event handlers (issue 11, section 3): a reply or forward in a case's thread carries the case reference
 * in its subject and the X-Casepane-Case header, and is recorded on the case when it is sent.
 *
 * Sending is never held up by Casepane beyond SEND_TIMEOUT_MS: the send handler always completes with
 * allowEvent: true — when the work is done, when it failed, or when the time is up. The record is queued in the
 * pending links before the API is asked and leaves the queue only when the API has it, so a slow or stopped API, or a
 * runtime Outlook tears down after completed(), loses nothing: the pane sends the queue when it next opens.
 */
import type { CasesApi } from '../api/client';
import type { EmailMessageInput } from '../../shared/api-types';
import { referencedCaseNumbers, withCaseReference } from '../../shared/case-reference';
import type { PendingLinks } from '../storage/pending-links';
import {
  CASE_HEADER,
  type LaunchEvent,
  type OutgoingMessage,
  type SendEventHost,
} from '../office/send-events';

/** Smart Alerts shows its "taking longer than expected" prompt after about five seconds; stay well under it. */
export const SEND_TIMEOUT_MS = 3_000;

export interface LaunchDeps {
  api: Pick<CasesApi, 'linkedCases' | 'recordSentEmail'>;
  pending: PendingLinks;
  /** Resolves when what `pending` wrote is stored for good (roaming settings save asynchronously). */
  persisted?: () => Promise<void>;
  timeoutMs?: number;
  now?: () => Date;
  /** A Message-ID for the record: Outlook assigns the real one only after the send event. */
  newMessageId?: () => string;
}

interface CaseRef {
  id: string;
  number: string;
}

/** "00001234; id=9100000000000000123": the number for people, the id so the send handler needs no lookup. */
export function caseHeaderValue(ref: CaseRef): string {
  return `${ref.number}; id=${ref.id}`;
}

export function parseCaseHeader(value: string | null): CaseRef | null {
  const match = /^\s*(\d{1,16})\s*;\s*id=(\d{1,20})\s*$/.exec(value ?? '');
  return match ? { number: match[1], id: match[2] } : null;
}

function randomMessageId(): string {
  const random =
    typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function'
      ? crypto.randomUUID()
      : `${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}`;
  return `<casepane-sent.${random}@casepane.invalid>`;
}

/** The case of this thread: the header set when the reply was opened, else the API (thread first, then reference). */
async function findCase(
  host: SendEventHost,
  api: LaunchDeps['api'],
  message: OutgoingMessage,
): Promise<CaseRef | null> {
  const tagged = parseCaseHeader(await host.readHeader(CASE_HEADER));
  if (tagged) return tagged;
  // A new message with no reference belongs to no case: do not ask the API for every email the agent writes.
  if (!message.conversationId && referencedCaseNumbers(message.subject).length === 0) return null;
  const cases = await api.linkedCases({
    internetMessageId: '',
    conversationId: message.conversationId ?? undefined,
    subject: message.subject,
  });
  const found = cases.find((c) => c.match === 'thread' || c.match === 'message') ?? cases[0];
  return found ? { id: found.id, number: found.Case_Number } : null;
}

/** The subject reference and the header; a subject Outlook refuses (too long) is left as the agent wrote it. */
async function tag(host: SendEventHost, message: OutgoingMessage, ref: CaseRef): Promise<string> {
  const subject = withCaseReference(message.subject, ref.number);
  if (subject !== message.subject) await host.setSubject(subject).catch(() => undefined);
  await host.setHeader(CASE_HEADER, caseHeaderValue(ref)).catch(() => false);
  return subject;
}

function sentRecord(
  host: SendEventHost,
  message: OutgoingMessage,
  subject: string,
  deps: LaunchDeps,
): EmailMessageInput {
  const me = host.userProfile();
  return {
    internet_message_id: (deps.newMessageId ?? randomMessageId)(),
    conversation_id: message.conversationId,
    from: { name: me?.name ?? null, email: me?.email ?? '' },
    to: message.to.map((p) => ({ name: p.name || null, email: p.email })),
    cc: message.cc.map((p) => ({ name: p.name || null, email: p.email })),
    subject,
    body_text: message.bodyText,
    sent_time: (deps.now?.() ?? new Date()).toISOString(),
  };
}

/** Ends the event once: after `work`, or after the time-out, whichever comes first. */
function completeWithin(timeoutMs: number, work: Promise<unknown>, complete: () => void): void {
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    complete();
  };
  const timer = setTimeout(finish, timeoutMs);
  work.then(finish, finish);
}

export function createLaunchHandlers(deps: LaunchDeps) {
  const timeoutMs = deps.timeoutMs ?? SEND_TIMEOUT_MS;

  async function onCompose(host: SendEventHost): Promise<void> {
    const message = await host.readOutgoing();
    const ref = await findCase(host, deps.api, message);
    if (ref) await tag(host, message, ref);
  }

  async function onSend(host: SendEventHost): Promise<void> {
    const message = await host.readOutgoing();
    const ref = await findCase(host, deps.api, message);
    if (!ref) return;
    const subject = await tag(host, message, ref);
    const record = sentRecord(host, message, subject, deps);
    if (!record.from.email) return;
    deps.pending.add(ref.id, record);
    // Stored before the API is asked: a runtime torn down after completed() must not take the record with it.
    await deps.persisted?.();
    await deps.api.recordSentEmail(ref.id, record);
    deps.pending.remove(ref.id, record.internet_message_id);
    await deps.persisted?.();
  }

  return {
    onNewMessageComposeHandler(event: LaunchEvent, host: SendEventHost): void {
      completeWithin(timeoutMs, onCompose(host), () => event.completed());
    },
    onMessageSendHandler(event: LaunchEvent, host: SendEventHost): void {
      completeWithin(timeoutMs, onSend(host), () => event.completed({ allowEvent: true }));
    },
  };
}
