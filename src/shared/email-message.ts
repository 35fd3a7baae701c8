import type { EmailMessageInput } from './api-types';
import { characterCount } from './case-fields';
import { isValidEmail, type FieldError } from './validation';

/** Limits on a linked message; generous, but every part of a request is bounded. */
export const MESSAGE_LIMITS = {
  internet_message_id: 998,
  in_reply_to: 998,
  conversation_id: 512,
  item_id: 1024,
  mailbox: 254,
  name: 255,
  subject: 2_000,
  body_text: 200_000,
  recipients: 500,
  /** Message-IDs in References; a longer chain keeps its newest entries (RFC 5322 3.6.4 allows trimming). */
  references: 100,
} as const;

/** Message-IDs are compared without their angle brackets and surrounding spaces. */
export function normalizeMessageId(value: string): string {
  return value
    .trim()
    .replace(/^<(.*)>$/, '$1')
    .trim();
}

type Address = { name: string | null; email: string };

export interface NormalizedMessage {
  internet_message_id: string;
  conversation_id: string | null;
  item_id: string | null;
  mailbox: string | null;
  from: Address;
  to: Address[];
  cc: Address[];
  subject: string | null;
  sent_time: string | null;
  body_text: string | null;
  /** The thread's headers (RFC 5322 3.6.4), normalised: what threads a message to its case. */
  in_reply_to: string | null;
  references: string[];
}

/** Message-IDs in a header value ("<a@x> <b@y>"), normalised and bounded; a bare id without brackets counts. */
export function messageIdsIn(value: string): string[] {
  return (value.match(/<[^<>\s]+>/g) ?? (value.trim() ? value.trim().split(/\s+/) : []))
    .map(normalizeMessageId)
    .filter((id) => id && id.length <= MESSAGE_LIMITS.internet_message_id);
}

/** In-Reply-To first, then References newest first, each once: the order the threading rule looks them up. */
export function threadReferences(message: Pick<NormalizedMessage, 'in_reply_to' | 'references'>): string[] {
  const all = [...(message.in_reply_to ? [message.in_reply_to] : []), ...[...message.references].reverse()];
  return [...new Set(all)].slice(0, MESSAGE_LIMITS.references);
}

/** References: a list of Message-IDs (angle brackets optional), at most MESSAGE_LIMITS.references of them. */
function referenceList(value: unknown, bad: (name: string, message: string) => void): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > MESSAGE_LIMITS.references) {
    bad('references', `expected a list of at most ${MESSAGE_LIMITS.references} Message-IDs`);
    return [];
  }
  const ids: string[] = [];
  for (const [i, v] of value.entries()) {
    const id = typeof v === 'string' ? normalizeMessageId(v) : '';
    if (!id || id.length > MESSAGE_LIMITS.internet_message_id || /\s/.test(id) || id.includes('\u0000'))
      bad(`references[${i}]`, 'expected a Message-ID');
    else ids.push(id);
  }
  return ids;
}

export function validateEmailMessage(
  input: unknown,
  path = 'message',
): { ok: true; message: NormalizedMessage } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const bad = (name: string, message: string, extra: Partial<FieldError> = {}) =>
    errors.push({
      code: 'INVALID_DATA',
      api_name: `${path}.${name}`,
      message: `${path}.${name}: ${message}`,
      ...extra,
    });
  const missing = (name: string) =>
    errors.push({
      code: 'MANDATORY_NOT_FOUND',
      api_name: `${path}.${name}`,
      message: `${path}.${name} is required`,
    });

  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      ok: false,
      errors: [{ code: 'INVALID_DATA', api_name: path, message: `${path} must be a JSON object` }],
    };
  }
  const m = input as Partial<Record<keyof EmailMessageInput, unknown>>;
  const known = new Set([
    'internet_message_id',
    'conversation_id',
    'item_id',
    'mailbox',
    'from',
    'to',
    'cc',
    'subject',
    'sent_time',
    'body_text',
    'in_reply_to',
    'references',
  ]);
  for (const key of Object.keys(m)) if (!known.has(key)) bad(key.slice(0, 60), 'no such property');

  const text = (name: keyof typeof MESSAGE_LIMITS, value: unknown, required = false): string | null => {
    if (value === undefined || value === null || value === '') {
      if (required) missing(name);
      return null;
    }
    if (typeof value !== 'string')
      return (bad(name, 'expected text', { expected_data_type: 'string' }), null);
    if (value.includes('\u0000')) return (bad(name, 'contains a NUL character'), null);
    const max = MESSAGE_LIMITS[name];
    if (characterCount(value) > max)
      return (bad(name, `at most ${max} characters allowed`, { maximum_length: max }), null);
    return value;
  };
  const address = (name: string, value: unknown): Address | null => {
    const a = value as { name?: unknown; email?: unknown } | null;
    if (typeof a !== 'object' || a === null || typeof a.email !== 'string' || !isValidEmail(a.email.trim())) {
      bad(name, 'expected {"name": ..., "email": <valid address>}', { expected_data_type: 'email' });
      return null;
    }
    const display = a.name === undefined || a.name === null ? null : a.name;
    if (
      display !== null &&
      (typeof display !== 'string' ||
        characterCount(display) > MESSAGE_LIMITS.name ||
        display.includes('\u0000'))
    ) {
      bad(`${name}.name`, `expected text of at most ${MESSAGE_LIMITS.name} characters`);
      return null;
    }
    return { name: display, email: a.email.trim() };
  };
  const list = (name: 'to' | 'cc', value: unknown): Address[] => {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) return (bad(name, 'expected a list of addresses'), []);
    if (value.length > MESSAGE_LIMITS.recipients)
      return (bad(name, `at most ${MESSAGE_LIMITS.recipients} recipients`), []);
    return value.map((v, i) => address(`${name}[${i}]`, v)).filter((v): v is Address => v !== null);
  };

  const references = referenceList(m.references, bad);
  const rawReply = text('in_reply_to', m.in_reply_to);
  const rawId = text('internet_message_id', m.internet_message_id, true);
  const internetMessageId = rawId === null ? null : normalizeMessageId(rawId);
  if (rawId !== null && !internetMessageId) bad('internet_message_id', 'is empty');
  const from = m.from === undefined ? (missing('from'), null) : address('from', m.from);
  let sentTime: string | null = null;
  if (m.sent_time !== undefined && m.sent_time !== null) {
    const parsed = typeof m.sent_time === 'string' ? Date.parse(m.sent_time) : NaN;
    if (Number.isNaN(parsed))
      bad('sent_time', 'expected an ISO 8601 date-time', { expected_data_type: 'datetime' });
    else sentTime = new Date(parsed).toISOString();
  }
  const message: NormalizedMessage = {
    internet_message_id: internetMessageId ?? '',
    conversation_id: text('conversation_id', m.conversation_id),
    item_id: text('item_id', m.item_id),
    mailbox: text('mailbox', m.mailbox),
    from: from ?? { name: null, email: '' },
    to: list('to', m.to),
    cc: list('cc', m.cc),
    subject: text('subject', m.subject),
    sent_time: sentTime,
    body_text: text('body_text', m.body_text),
    in_reply_to: rawReply === null ? null : normalizeMessageId(rawReply) || null,
    references,
  };
  return errors.length ? { ok: false, errors } : { ok: true, message };
}
