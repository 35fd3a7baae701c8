import MailComposer from 'nodemailer/lib/mail-composer';
import { IMAP_TESTS_RUN, startDovecot, type Dovecot } from './dovecot';

const describeImap = IMAP_TESTS_RUN ? describe : describe.skip;

/** The harness itself: a message written by a real MIME library goes in by APPEND and comes back by FETCH. */
describeImap('the Dovecot test harness', () => {
  let dovecot: Dovecot;
  beforeAll(async () => {
    dovecot = await startDovecot();
  });
  afterAll(() => dovecot?.stop());

  it('stores what is appended and gives a folder a new UIDVALIDITY on request', async () => {
    const raw = await new MailComposer({
      from: 'Anna Kowalska <anna@klient.pl>',
      to: dovecot.user,
      subject: 'Zażółć gęślą jaźń',
      text: 'Dzień dobry',
      messageId: '<harness-1@klient.pl>',
    })
      .compile()
      .build();
    await dovecot.append([raw]);
    const client = await dovecot.client();
    try {
      const box = await client.mailboxOpen('INBOX');
      expect(box.exists).toBe(1);
      const message = await client.fetchOne('1', { envelope: true });
      expect(message && message.envelope?.subject).toBe('Zażółć gęślą jaźń');
      expect(message && message.envelope?.messageId).toBe('<harness-1@klient.pl>');
      await client.mailboxClose();
      await dovecot.changeUidValidity('INBOX', Number(box.uidValidity) + 7);
      const reopened = await client.mailboxOpen('INBOX');
      expect(Number(reopened.uidValidity)).toBe(Number(box.uidValidity) + 7);
    } finally {
      await client.logout();
    }
  });
});
