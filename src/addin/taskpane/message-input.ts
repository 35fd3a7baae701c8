import type { EmailMessageInput } from '../../shared/api-types';
import { truncateToLimit } from '../../shared/case-fields';
import { MESSAGE_LIMITS, normalizeMessageId } from '../../shared/email-message';
import { isValidEmail, wellFormed } from '../../shared/validation';
import type { OpenMessage, Person } from '../office/types';

// Received text may hold lone surrogates (a broken message); the API refuses them, so they become U+FFFD here.
const cut = (value: string, max: number) => truncateToLimit(wellFormed(value), max).text;

function address(p: Person): { name: string | null; email: string } {
  return { name: p.name ? cut(p.name, MESSAGE_LIMITS.name) : null, email: p.email };
}

/**
 * The open message as the API links it. Recipients Outlook gives without a deliverable address (X.500
 * legacy DNs, distribution lists) are left out rather than failing the whole save; long text is cut to the
 * API's limits.
 */
export function toEmailMessageInput(message: OpenMessage, mailbox?: string | null): EmailMessageInput {
  const recipients = (list: Person[]) =>
    list
      .filter((p) => isValidEmail(p.email))
      .slice(0, MESSAGE_LIMITS.recipients)
      .map(address);
  return {
    internet_message_id: message.internetMessageId,
    conversation_id: message.conversationId
      ? cut(message.conversationId, MESSAGE_LIMITS.conversation_id)
      : null,
    item_id: message.itemId && message.itemId.length <= MESSAGE_LIMITS.item_id ? message.itemId : null,
    mailbox: mailbox && isValidEmail(mailbox) ? mailbox : null,
    from: address(message.from),
    to: recipients(message.to),
    cc: recipients(message.cc),
    subject: message.subject ? cut(message.subject, MESSAGE_LIMITS.subject) : null,
    sent_time: message.receivedTime,
    body_text: message.bodyText ? cut(message.bodyText, MESSAGE_LIMITS.body_text) : null,
    // Sent only where the host read them (Mailbox 1.8): the server threads by them as the mailbox capture does.
    ...(message.inReplyTo ? { in_reply_to: message.inReplyTo } : {}),
    ...(message.references?.length ? { references: message.references } : {}),
  };
}

/** Whether two Internet message IDs name the same message (angle brackets and surrounding space do not matter). */
export function sameMessageId(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && normalizeMessageId(a) === normalizeMessageId(b);
}
