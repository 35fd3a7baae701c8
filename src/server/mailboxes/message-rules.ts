import type { ParsedMail, AddressObject } from 'mailparser';

/**
 * What is never captured, decided from the parsed message alone: auto-replies and bounces (RFC 3834, RFC 3464),
 * our own outgoing mail, and senders an admin listed (internal mail). Pure, so every rule is tested on its own.
 */
export type Refusal = 'skipped_auto_reply' | 'skipped_bounce' | 'skipped_own_mail' | 'skipped_never_capture';

const header = (mail: ParsedMail, name: string): string | undefined => {
  const value = mail.headers.get(name);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && 'value' in value) return String(value.value);
  return String(value);
};

export function addressesOf(field: AddressObject | AddressObject[] | undefined) {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((a) => a.value);
}

export function senderOf(mail: ParsedMail): { name: string | null; email: string } | undefined {
  const first = addressesOf(mail.from).find((a) => a.address);
  return first?.address ? { name: first.name || null, email: first.address.trim() } : undefined;
}

/** An address is listed itself, or its domain (or a parent domain of it) is. */
export function listed(email: string, neverCapture: readonly string[]): boolean {
  const lower = email.toLowerCase();
  const domain = lower.split('@')[1] ?? '';
  return neverCapture.some((entry) =>
    entry.includes('@') ? entry === lower : domain === entry || domain.endsWith(`.${entry}`),
  );
}

export function refusalOf(mail: ParsedMail, neverCapture: readonly string[]): Refusal | undefined {
  const contentType = mail.headers.get('content-type') as
    { value?: string; params?: Record<string, string> } | undefined;
  if (
    contentType?.value?.toLowerCase() === 'multipart/report' &&
    contentType.params?.['report-type']?.toLowerCase() === 'delivery-status'
  )
    return 'skipped_bounce';
  const sender = senderOf(mail);
  const local = sender?.email.split('@')[0].toLowerCase();
  if (local === 'mailer-daemon' || local === 'postmaster') return 'skipped_bounce';
  const autoSubmitted = header(mail, 'auto-submitted')?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return 'skipped_auto_reply';
  if (/^(bulk|junk|list)$/i.test(header(mail, 'precedence')?.trim() ?? '')) return 'skipped_auto_reply';
  if (mail.headers.has('x-autoreply') || mail.headers.has('x-autorespond')) return 'skipped_auto_reply';
  // Mail the add-in or this server sent carries X-Casepane-* headers (a loop if it came back in).
  for (const name of mail.headers.keys()) if (name.startsWith('x-casepane-')) return 'skipped_own_mail';
  if (sender && listed(sender.email, neverCapture)) return 'skipped_never_capture';
  return undefined;
}
