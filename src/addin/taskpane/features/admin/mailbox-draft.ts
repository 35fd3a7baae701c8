import type { MailboxInput, MailboxRecord } from '../../../../shared/mailbox-types';

/**
 * How the server signs in to the mailbox. The server prefers client credentials, then an access token, then the
 * password (oauth-token.ts, imap-reader.ts), so choosing one clears the stored ones that would win over it.
 */
export type MailboxSignIn = 'password' | 'token' | 'oauth';

/** The Mailboxes form's state, and the request it becomes. */
export interface MailboxDraft {
  name: string;
  host: string;
  port: string;
  secure: boolean;
  starttls: boolean;
  user: string;
  signIn: MailboxSignIn;
  password: string;
  accessToken: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string;
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
  signIn: 'password',
  password: '',
  accessToken: '',
  tokenUrl: '',
  clientId: '',
  clientSecret: '',
  scope: '',
  folder: 'INBOX',
  enabled: true,
  neverCapture: '',
  ackEnabled: false,
  ackTemplateId: '',
};

/** The sign-in the server uses today for a stored mailbox. */
export function signInOf(m: MailboxRecord): MailboxSignIn {
  if (m.oauth) return 'oauth';
  return m.access_token_set ? 'token' : 'password';
}

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
    signIn: signInOf(m),
    tokenUrl: m.oauth?.token_url ?? '',
    clientId: m.oauth?.client_id ?? '',
    scope: m.oauth?.scope ?? '',
    folder: m.folder,
    enabled: m.enabled,
    neverCapture: m.never_capture.join('\n'),
    ackEnabled: m.acknowledgement.enabled,
    ackTemplateId: m.acknowledgement.template_id ?? '',
  };
}

/** Whether the chosen sign-in has what it needs, typed now or stored before. */
export function hasSignIn(d: MailboxDraft, stored: MailboxRecord | null): boolean {
  switch (d.signIn) {
    case 'password':
      return d.password !== '' || !!stored?.password_set;
    case 'token':
      return d.accessToken !== '' || !!stored?.access_token_set;
    case 'oauth':
      return (
        d.tokenUrl.trim() !== '' &&
        d.clientId.trim() !== '' &&
        (d.clientSecret !== '' || !!stored?.oauth?.client_secret_set)
      );
  }
}

/** The sign-in part of the request: secrets only when typed (write-only: an empty field keeps the stored one). */
function signInInput(d: MailboxDraft, stored: MailboxRecord | null): MailboxInput {
  const input: MailboxInput = {};
  if (d.signIn === 'password' && d.password) input.password = d.password;
  if (d.signIn === 'token' && d.accessToken) input.access_token = d.accessToken;
  if (d.signIn !== 'token' && stored?.access_token_set) input.access_token = null;
  if (d.signIn === 'oauth')
    input.oauth = {
      token_url: d.tokenUrl.trim(),
      client_id: d.clientId.trim(),
      ...(d.scope.trim() ? { scope: d.scope.trim() } : {}),
      ...(d.clientSecret ? { client_secret: d.clientSecret } : {}),
    };
  else if (stored?.oauth) input.oauth = null;
  return input;
}

/** The request for a new mailbox (`stored` null) or for changing a stored one. */
export function inputOf(d: MailboxDraft, stored: MailboxRecord | null = null): MailboxInput {
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
    ...signInInput(d, stored),
  };
}
