import { draftOf, hasSignIn, inputOf } from '../../../../../src/addin/taskpane/features/admin/mailbox-draft';
import type { MailboxRecord } from '../../../../../src/shared/mailbox-types';

const stored: MailboxRecord = {
  id: '7',
  name: 'Support',
  host: 'imap.example.com',
  port: 993,
  secure: true,
  starttls: true,
  user: 'support@example.com',
  folder: 'INBOX',
  enabled: true,
  never_capture: ['ourcompany.com', 'boss@partner.example'],
  password_set: true,
  access_token_set: false,
  oauth: null,
  acknowledgement: { enabled: true, template_id: '3' },
  status: { last_poll_time: null, messages_captured: 0, last_error: null, last_error_time: null },
  created_time: '2026-12-02T09:00:00Z',
  modified_time: '2026-12-02T09:00:00Z',
};

describe('the Mailboxes form request', () => {
  it('sends no secret unless one was typed, so the stored password stays', () => {
    const input = inputOf({ ...draftOf(stored), port: '143' });
    expect(input).not.toHaveProperty('password');
    expect(input).not.toHaveProperty('access_token');
    expect(input).toMatchObject({
      port: 143,
      never_capture: ['ourcompany.com', 'boss@partner.example'],
      acknowledgement: { enabled: true, template_id: '3' },
    });
    expect(inputOf({ ...draftOf(stored), signIn: 'token', accessToken: 'eyJ0' }, stored)).toMatchObject({
      access_token: 'eyJ0',
    });
  });

  it('a new mailbox starts on IMAPS 993, INBOX, no acknowledgement; never-capture entries split on lines', () => {
    const input = inputOf({ ...draftOf(null), neverCapture: 'a.example\n\n b@c.example ;d.example' });
    expect(input).toMatchObject({ port: 993, secure: true, folder: 'INBOX', enabled: true });
    expect(input.never_capture).toEqual(['a.example', 'b@c.example', 'd.example']);
    expect(input.acknowledgement).toEqual({ enabled: false, template_id: null });
  });

  const withOauth: MailboxRecord = {
    ...stored,
    access_token_set: true,
    oauth: {
      token_url: 'https://login.example/t/token',
      client_id: 'app-1',
      scope: 'https://outlook.office365.com/.default',
      client_secret_set: true,
    },
  };

  it('opens a stored mailbox on the sign-in the server uses: client credentials before a token before a password', () => {
    expect(draftOf(withOauth)).toMatchObject({
      signIn: 'oauth',
      tokenUrl: 'https://login.example/t/token',
      clientId: 'app-1',
    });
    expect(draftOf({ ...withOauth, oauth: null }).signIn).toBe('token');
    expect(draftOf(stored).signIn).toBe('password');
    expect(draftOf(null).signIn).toBe('password');
  });

  it('client credentials: sends the app, the secret only when typed, and clears a stored token that would win', () => {
    const kept = inputOf({ ...draftOf(withOauth), clientId: ' app-2 ' }, withOauth);
    expect(kept.oauth).toEqual({
      token_url: 'https://login.example/t/token',
      client_id: 'app-2',
      scope: 'https://outlook.office365.com/.default',
    });
    expect(kept.access_token).toBeNull();
    const fresh = inputOf({
      ...draftOf(null),
      signIn: 'oauth',
      tokenUrl: 'https://login.example/t/token',
      clientId: 'app-1',
      clientSecret: 's3cret',
    });
    // An empty scope is left to the server's default; a new mailbox has no stored token to clear.
    expect(fresh.oauth).toEqual({
      token_url: 'https://login.example/t/token',
      client_id: 'app-1',
      client_secret: 's3cret',
    });
    expect(fresh).not.toHaveProperty('access_token');
  });

  it('going back to a password turns client credentials and the stored token off', () => {
    const input = inputOf({ ...draftOf(withOauth), signIn: 'password' }, withOauth);
    expect(input).toMatchObject({ oauth: null, access_token: null });
    expect(input).not.toHaveProperty('password');
  });

  it('can save only with what the chosen sign-in needs, typed now or stored before', () => {
    const oauthDraft = { ...draftOf(null), signIn: 'oauth' as const, tokenUrl: 'https://x/t', clientId: 'a' };
    expect(hasSignIn(oauthDraft, null)).toBe(false);
    expect(hasSignIn({ ...oauthDraft, clientSecret: 's' }, null)).toBe(true);
    expect(hasSignIn({ ...draftOf(withOauth) }, withOauth)).toBe(true);
    expect(hasSignIn({ ...draftOf(withOauth), clientId: ' ' }, withOauth)).toBe(false);
    expect(hasSignIn({ ...draftOf(stored), signIn: 'token' }, stored)).toBe(false);
    expect(hasSignIn(draftOf(stored), stored)).toBe(true);
  });
});
