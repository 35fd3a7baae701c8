import { draftOf, inputOf } from '../../../../../src/addin/taskpane/features/admin/mailbox-draft';
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
    expect(inputOf({ ...draftOf(stored), accessToken: 'eyJ0' })).toMatchObject({ access_token: 'eyJ0' });
  });

  it('a new mailbox starts on IMAPS 993, INBOX, no acknowledgement; never-capture entries split on lines', () => {
    const input = inputOf({ ...draftOf(null), neverCapture: 'a.example\n\n b@c.example ;d.example' });
    expect(input).toMatchObject({ port: 993, secure: true, folder: 'INBOX', enabled: true });
    expect(input.never_capture).toEqual(['a.example', 'b@c.example', 'd.example']);
    expect(input.acknowledgement).toEqual({ enabled: false, template_id: null });
  });
});
