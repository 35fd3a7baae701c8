/**
 * Turns the .eml fixtures into the messages the host emulator shows, the way Outlook would present
 * them to an add-in: parsed with mailparser (RFC 5322 + MIME + RFC 2047), body as plain text
 * (what item.body.getAsync(CoercionType.Text) returns: the text part, or the HTML rendered as text).
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { simpleParser, type AddressObject, type EmailAddress } from 'mailparser';

export const FIXTURES_DIR = resolve(__dirname, '..', 'fixtures');

export interface HostPerson {
  displayName: string;
  emailAddress: string;
}

export interface HostAttachment {
  id: string;
  name: string;
  size: number;
  contentType: string;
  /** 'item': an attached message (.eml/.msg), handed out as eml text; 'cloud': a link (OneDrive/SharePoint). */
  attachmentType: 'file' | 'item' | 'cloud';
  isInline: boolean;
  /** The file, base64: the host hands it out through item.getAttachmentContentAsync only. */
  contentBase64?: string;
  /** An item attachment's RFC 5322 source. */
  contentText?: string;
  /** A cloud attachment's link. */
  url?: string;
}

/** One mailbox item as the emulator hands it to the Office shim (JSON-safe: dates as ISO strings). */
export interface HostMessage {
  /** Fixture file name without .eml, e.g. "03-polish-subject". */
  key: string;
  itemId: string;
  itemType: 'message';
  internetMessageId: string;
  conversationId: string;
  subject: string;
  from: HostPerson;
  sender: HostPerson;
  to: HostPerson[];
  cc: HostPerson[];
  dateTimeCreated: string;
  bodyText: string;
  bodyHtml: string | null;
  attachments: HostAttachment[];
  /** An item being written (compose mode): subject/to/cc/body through getAsync/setAsync in the emulator. */
  compose?: boolean;
  /** A message in a shared mailbox or delegated folder: item.getSharedPropertiesAsync answers this. */
  shared?: { owner: string; targetMailbox?: string; delegatePermissions?: number };
  /** Categories the message carries when the host loads. */
  categories?: string[];
  /** MessageRead.itemClass: 'IPM.Note' by default, 'IPM.Schedule.Meeting.Request' for a meeting request. */
  itemClass?: string;
  /** A meeting request's start, end and location. */
  meeting?: { start: string; end: string; location?: string };
  /** The message's header block as in its source: what item.getAllInternetHeadersAsync hands out (Mailbox 1.8). */
  internetHeaders: string;
  /** A body Outlook will not hand out (IRM-protected, a folder without read permission): body.getAsync fails so. */
  bodyError?: { name: string; message: string; code: number };
}

const b64url = (s: string, n: number) => createHash('sha256').update(s).digest('base64url').slice(0, n);

function people(value: AddressObject | AddressObject[] | undefined): HostPerson[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const flat = (a: EmailAddress): HostPerson[] =>
    a.group
      ? a.group.flatMap(flat)
      : [{ displayName: a.name || a.address || '', emailAddress: a.address || '' }];
  return list.flatMap((o) => o.value.flatMap(flat));
}

/** Parses one .eml file into a mailbox item. */
export async function parseEml(file: string): Promise<HostMessage> {
  return parseEmlSource(readFileSync(file), file.replace(/^.*[\\/]/, '').replace(/\.eml$/, ''));
}

/** Parses RFC 5322 source (e.g. a reply a test wrote) into a mailbox item with this key. */
export async function parseEmlSource(source: Buffer | string, key: string): Promise<HostMessage> {
  const mail = await simpleParser(source, { skipImageLinks: true });
  const text = typeof source === 'string' ? source : source.toString('latin1');
  const headerEnd = text.search(/\r?\n\r?\n/);
  const internetMessageId = mail.messageId ?? `<${key}@fixtures.casepane.example>`;
  const references = (
    Array.isArray(mail.references) ? mail.references : mail.references ? mail.references.split(/\s+/) : []
  ).filter(Boolean);
  // Exchange groups a thread under one ConversationId; derive it from the root of References
  // (or the message's own id for a thread's first message), so both thread fixtures share it.
  const root = references[0] ?? mail.inReplyTo ?? internetMessageId;
  const from = people(mail.from)[0] ?? { displayName: '', emailAddress: '' };
  return {
    key,
    itemId: `AAMkAGI2${b64url(`item:${internetMessageId}`, 60)}AAA=`,
    itemType: 'message',
    internetMessageId,
    conversationId: `AAQkAGI2${b64url(`conversation:${root}`, 40)}=`,
    subject: mail.subject ?? '',
    from,
    // mailparser parses Sender but its types omit it.
    sender: people((mail as { sender?: AddressObject }).sender)[0] ?? from,
    to: people(mail.to),
    cc: people(mail.cc),
    dateTimeCreated: (mail.date ?? new Date(0)).toISOString(),
    bodyText: (mail.text ?? '').replace(/\r\n/g, '\n'),
    bodyHtml: typeof mail.html === 'string' ? mail.html : null,
    internetHeaders: headerEnd < 0 ? text : text.slice(0, headerEnd),
    attachments: mail.attachments.map((a, i) => ({
      id: `AAMkAGI2${b64url(`attachment:${internetMessageId}:${i}`, 30)}=`,
      name: a.filename ?? `attachment-${i + 1}`,
      size: a.size,
      contentType: a.contentType,
      attachmentType: 'file' as const,
      isInline: a.contentDisposition === 'inline' || Boolean(a.related),
      contentBase64: a.content.toString('base64'),
    })),
  };
}

/** All fixtures, in file-name order. */
export async function loadFixtures(dir = FIXTURES_DIR): Promise<HostMessage[]> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .sort();
  return Promise.all(files.map((f) => parseEml(join(dir, f))));
}
