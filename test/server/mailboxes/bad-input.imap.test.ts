import crypto from 'node:crypto';
import { STANDARD_FIELDS } from '../../../src/shared/case-fields';
import { openBlobStore, type OpenBlobStore } from '../../../src/server/attachments/blob-stores';
import { configFromEnv } from '../../../src/server/config';
import type { CaptureDeps } from '../../../src/server/mailboxes/capture.service';
import { connectImap, syncFolder } from '../../../src/server/mailboxes/imap-reader';
import { findMailbox } from '../../../src/server/mailboxes/mailbox.repository';
import { ENGINES, startTestServer, type TestServer } from '../harness';
import { IMAP_TESTS_RUN, startDovecot, type Dovecot } from '../imap/dovecot';
import { eml, SUPPORT } from './corpus';

const describeImap = IMAP_TESTS_RUN ? describe.each(ENGINES) : describe.skip.each(ENGINES);
/** The reader's size cap in this test; the server's default is 30 MB (MAILBOX_MAX_MESSAGE_BYTES). */
const CAP = 2 * 1024 * 1024;

describeImap('bad mail in a support mailbox (real Dovecot) on %s', (engine) => {
  let dovecot: Dovecot;
  let t: TestServer;
  let blobs: OpenBlobStore;
  let deps: CaptureDeps;
  let mailboxId: string;

  beforeAll(async () => {
    dovecot = await startDovecot();
    t = await startTestServer(engine, { mailboxCapture: false });
    blobs = await openBlobStore(configFromEnv({}).blobStore, {
      dataDir: t.dataDir,
      databaseUrl: t.databaseUrl,
    });
    deps = { storage: t.server.storage, fields: () => STANDARD_FIELDS, blobs };
    const created = await t.call('POST', '/crm/v6/settings/mailboxes', {
      role: 'admin',
      json: {
        mailboxes: [
          {
            name: 'Support',
            host: dovecot.host,
            port: dovecot.port,
            secure: false,
            starttls: false,
            user: dovecot.user,
            password: dovecot.password,
          },
        ],
      },
    });
    mailboxId = created.body.mailboxes[0].details.id;
  });
  afterAll(async () => {
    await blobs?.close();
    await t?.close();
    await dovecot?.stop();
  });

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
    const mailbox = (await findMailbox(t.server.storage.db, mailboxId))!;
    const client = connectImap(mailbox);
    await client.connect();
    try {
      expect(await syncFolder(deps, client, mailbox, { maxMessageBytes: CAP })).toBe(messages.length);
    } finally {
      await client.logout();
    }
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
