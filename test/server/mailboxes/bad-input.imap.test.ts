import crypto from 'node:crypto';
import { ENGINES, type TestServer } from '../harness';
import { IMAP_TESTS_RUN, type Dovecot } from '../imap/dovecot';
import { startCaptureFixture, type CaptureFixture } from './fixture';
import { eml, SUPPORT } from './corpus';

const describeImap = IMAP_TESTS_RUN ? describe.each(ENGINES) : describe.skip.each(ENGINES);
/** The reader's size cap in this test; the server's default is 30 MB (MAILBOX_MAX_MESSAGE_BYTES). */
const CAP = 2 * 1024 * 1024;

describeImap('bad mail in a support mailbox (real Dovecot) on %s', (engine) => {
  let f: CaptureFixture;
  let dovecot: Dovecot;
  let t: TestServer;

  beforeAll(async () => {
    f = await startCaptureFixture(engine);
    ({ dovecot, t } = f);
  });
  afterAll(() => f?.close());

  it('records each bad message as an error, skips it, and goes on with the rest', async () => {
    const from = 'Anna <anna@klient.pl>';
    const recipients = Array.from({ length: 10_000 }, (_, i) => `r${i}@many.example`);
    const hugeHeader = `X-Filler: ${'a'.repeat(1024 * 1024)}`;
    const messages = [
      await eml({ from, messageId: '<good-1@klient.pl>', subject: 'Good one', text: 'ok' }),
      // Over the cap: known from RFC822.SIZE and never downloaded.
      await eml({ from, messageId: '<big@klient.pl>', subject: 'Big', text: 'x'.repeat(CAP + 1000) }),
      // A header of 1 MB.
      Buffer.concat([
        Buffer.from(`${hugeHeader}\r\n`),
        await eml({ from, messageId: '<hdr@klient.pl>', subject: 'Hdr', text: 'h' }),
      ]),
      // 10,000 recipients.
      await eml({ from, to: recipients, messageId: '<many@klient.pl>', subject: 'Many', text: 'm' }),
      // Not MIME at all: random bytes, no header, no sender.
      crypto.randomBytes(4096),
      // A header without a usable sender and a multipart body whose boundary never ends.
      Buffer.from(
        `From: ???\r\nTo: ${SUPPORT}\r\nSubject: broken\r\nMessage-ID: <broken@x>\r\nContent-Type: multipart/mixed; boundary="zz"\r\n\r\n--zz\r\nContent-Type: text/plain\r\n\r\nhalf`,
      ),
      // An address longer than any mail system allows (RFC 5321: 254 characters).
      await eml({
        from: `Weird <${'x'.repeat(300)}@klient.pl>`,
        messageId: '<weird@klient.pl>',
        subject: 'Weird',
        text: 'w',
      }),
      await eml({ from, messageId: '<good-2@klient.pl>', subject: 'Good two', text: 'ok' }),
    ];
    await dovecot.append(messages);
    expect(await f.sync({ maxMessageBytes: CAP })).toBe(messages.length);
    const rows = await t.server.storage.db
      .selectFrom('mailbox_messages')
      .select(['uid', 'outcome', 'detail', 'internet_message_id'])
      .orderBy('uid')
      .execute();
    expect(rows.map((r) => r.outcome)).toEqual([
      'case_created',
      'error',
      'error',
      'error',
      'error',
      'error',
      'error',
      'case_created',
    ]);
    expect(rows[1].detail).toMatch(/over the 2097152-byte limit/);
    expect(rows[2].detail).toMatch(/header is larger/);
    expect(rows[3].detail).toMatch(/10000 recipients/);
    expect(rows[4].detail).toMatch(/sender/);
    expect(rows[5].detail).toMatch(/sender/);
    expect(rows[6].detail).toMatch(/sender/);
    const cases = await t.server.storage.db.selectFrom('cases').select('subject').orderBy('id').execute();
    expect(cases.map((c) => c.subject)).toEqual(['Good one', 'Good two']);
    // Nothing of a refused message stays behind (no half-written case, link or claim).
    const links = await t.server.storage.db.selectFrom('email_links').select('internet_message_id').execute();
    expect(links.map((l) => l.internet_message_id).sort()).toEqual(['good-1@klient.pl', 'good-2@klient.pl']);
    const claims = await t.server.storage.db
      .selectFrom('email_conversions')
      .select('internet_message_id')
      .execute();
    expect(claims).toHaveLength(2);
  }, 120_000);
});
