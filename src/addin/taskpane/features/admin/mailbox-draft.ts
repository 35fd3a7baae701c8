import type { MailboxInput, MailboxRecord } from '../../../../shared/mailbox-types';

/** The Mailboxes form's state, and the request it becomes. */
export interface MailboxDraft {
  name: string;
  host: string;
  port: string;
  secure: boolean;
  starttls: boolean;
  user: string;
  password: string;
  accessToken: string;
  folder: string;
  enabled: boolean;
  neverCapture: string;
  ackEnabled: boolean;
  ackTemplateId: string;
}

const EMPTY: MailboxDraft = {
  name: '',
  host: '',
  port: '993',
  secure: true,
  starttls: true,
  user: '',
  password: '',
  accessToken: '',
  folder: 'INBOX',
  enabled: true,
  neverCapture: '',
  ackEnabled: false,
  ackTemplateId: '',
};

export function draftOf(m: MailboxRecord | null): MailboxDraft {
  if (!m) return EMPTY;
  return {
    ...EMPTY,
    name: m.name,
    host: m.host,
    port: String(m.port),
    secure: m.secure,
    starttls: m.starttls,
    user: m.user,
    folder: m.folder,
    enabled: m.enabled,
    neverCapture: m.never_capture.join('\n'),
    ackEnabled: m.acknowledgement.enabled,
    ackTemplateId: m.acknowledgement.template_id ?? '',
  };
}

/** The request: secrets only when typed (write-only: an empty field keeps the stored one). */
export function inputOf(d: MailboxDraft): MailboxInput {
  return {
    name: d.name.trim(),
    host: d.host.trim(),
    port: Number(d.port),
    secure: d.secure,
    starttls: d.starttls,
    user: d.user.trim(),
    folder: d.folder.trim() || 'INBOX',
    enabled: d.enabled,
    never_capture: d.neverCapture
      .split(/[\n,;]+/)
      .map((e) => e.trim())
      .filter(Boolean),
    acknowledgement: { enabled: d.ackEnabled, template_id: d.ackTemplateId || null },
    ...(d.password ? { password: d.password } : {}),
    ...(d.accessToken ? { access_token: d.accessToken } : {}),
  };
}
