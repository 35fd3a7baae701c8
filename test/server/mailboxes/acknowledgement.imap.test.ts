import type { ParsedMail } from 'mailparser';
import type { BlobStore } from '../../../src/server/attachments/blob-store';
import { ENGINES, type TestServer } from '../harness';
import { IMAP_TESTS_RUN, type Dovecot } from '../imap/dovecot';
import { startSmtp } from '../smtp';
import { startCaptureFixture, type CaptureFixture } from './fixture';
import { bounceEml, eml } from './corpus';

const describeImap = IMAP_TESTS_RUN ? describe.each(ENGINES) : describe.skip.each(ENGINES);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fast = { leaseSeconds: 3, retrySeconds: 1, maxAttempts: 10, pollSeconds: 1, waitMs: 500 };

/**
 * Issue 11, section 1's last bullet: the acknowledgement to the customer of a new captured case, from the mailbox's
 * template, queued in the capture's transaction and sent after it through the outbox to a real SMTP server.
 */
describeImap('acknowledgements of captured cases (real Dovecot, real SMTP) on %s', (engine) => {
  jest.setTimeout(60_000);
  let f: CaptureFixture;
  let dovecot: Dovecot;
  let t: TestServer;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let failBlobs = false;
  let templateId: string;

  beforeAll(async () => {
    smtp = await startSmtp();
    f = await startCaptureFixture(
      engine,
      { never_capture: ['intern.example'] },
      {
        server: { smtpUrl: smtp.url, outbox: fast },
        // A store that can be made to fail: the capture's transaction then rolls back after the case was made.
        blobs: (store): BlobStore => ({
          ...store,
          put: (data) => (failBlobs ? Promise.reject(new Error('blob store down')) : store.put(data)),
        }),
      },
    );
    ({ dovecot, t } = f);
    const template = await t.call('POST', '/crm/v6/settings/email_templates', {
      role: 'admin',
      json: {
        data: [
          {
            name: 'Acknowledgement',
            subject: 'We have your request: {{Subject}}',
            body: 'Dear {{Contact_Name}}, your case {{Case_Number}} is open.',
          },
        ],
      },
    });
    expect(template.status).toBe(201);
    templateId = template.body.data[0].details.id;
  });
  afterAll(async () => {
    await f?.close();
    await smtp?.close();
  });

  const sync = () => f.sync({ maxMessageBytes: 1024 * 1024 });
  const acks = () => smtp.received.filter((m) => m.headers.get('auto-submitted') === 'auto-replied');
  const ackTo = (address: string) => acks().filter((m) => JSON.stringify(m.to).includes(address));
  const caseOf = async (messageId: string) =>
    (
      await t.server.storage.db
        .selectFrom('email_links')
        .select('case_id')
        .where('internet_message_id', '=', messageId)
        .executeTakeFirst()
    )?.case_id;
  /**
   * Lets the outbox run (the server's reader kicks it after each pass) until `count` acks came (at most 5 s), then
   * 2 s more, so a surplus one (or one that should never come) has the time to arrive and be counted.
   */
  async function settle(count: number) {
    t.server.outbox.kick();
    const deadline = Date.now() + 5_000;
    while (acks().length < count && Date.now() < deadline) await sleep(100);
    await sleep(2_000);
  }
  const setAck = (acknowledgement: unknown) =>
    t.call('PUT', `/crm/v6/settings/mailboxes/${f.mailboxId}`, {
      role: 'admin',
      json: { mailboxes: [{ acknowledgement }] },
    });

  it('refuses an acknowledgement without a template that exists, naming the field', async () => {
    for (const [body, field] of [
      [{ enabled: true }, 'acknowledgement.template_id'],
      [{ enabled: true, template_id: '999999' }, 'acknowledgement.template_id'],
      [{ enabled: 'yes', template_id: templateId }, 'acknowledgement.enabled'],
      [{ enabled: true, template_id: templateId, cc: 'x' }, 'acknowledgement.cc'],
    ] as const) {
      const r = await setAck(body);
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body)).toContain(field);
    }
    const stored = await t.call('GET', `/crm/v6/settings/mailboxes/${f.mailboxId}`, { role: 'admin' });
    expect(stored.body.mailboxes[0].acknowledgement).toEqual({ enabled: false, template_id: null });
  });

  it('sends one acknowledgement per new case; none for threaded replies, auto-replies, bounces, internal mail', async () => {
    // Off: a new case, no acknowledgement.
    await dovecot.append([
      await eml({
        from: 'Ola <ola@klient.example>',
        messageId: '<a0@klient.example>',
        subject: 'Off',
        text: 'x',
      }),
    ]);
    expect(await sync()).toBe(1);
    await settle(0);
    expect(acks()).toHaveLength(0);

    const on = await setAck({ enabled: true, template_id: templateId });
    expect(on.status).toBe(200);
    expect(on.body.mailboxes[0].details.acknowledgement).toEqual({ enabled: true, template_id: templateId });
    await dovecot.append([
      await eml({
        from: 'Anna Kowalska <anna@klient.example>',
        messageId: '<a1@klient.example>',
        subject: 'Drukarka',
        text: 'nie działa',
      }),
      // Her reply threads to that case: linked, never acknowledged again.
      await eml({
        from: 'Anna Kowalska <anna@klient.example>',
        messageId: '<a2@klient.example>',
        subject: 'Re: Drukarka',
        text: 'nadal',
        inReplyTo: '<a1@klient.example>',
      }),
      await eml({
        from: 'Anna Kowalska <anna@klient.example>',
        messageId: '<a3@klient.example>',
        subject: 'Out of office',
        text: 'away',
        headers: { 'Auto-Submitted': 'auto-replied' },
      }),
      bounceEml('a4@mx.casepane.test', 'nobody@klient.example'),
      await eml({
        from: 'Piotr <piotr@intern.example>',
        messageId: '<a5@intern.example>',
        subject: 'Hi',
        text: 'x',
      }),
      await eml({
        from: 'Bob <bob@other.example>',
        messageId: '<a6@other.example>',
        subject: 'Skaner',
        text: 'x',
      }),
    ]);
    expect(await sync()).toBe(6);
    await settle(2);
    expect(acks()).toHaveLength(2);
    const [anna] = ackTo('anna@klient.example') as ParsedMail[];
    const annaCase = await caseOf('a1@klient.example');
    const number = (await t.call('GET', `/crm/v6/Cases/${annaCase}`)).body.data[0].Case_Number;
    expect(anna.subject).toBe(`We have your request: Drukarka [Case #${number}]`);
    expect(anna.text?.trim()).toBe(`Dear Anna Kowalska, your case ${number} is open.`);
    expect(anna.inReplyTo).toBe('<a1@klient.example>');
    expect(anna.headers.get('x-casepane-case')).toBe(number);
    expect(ackTo('bob@other.example')).toHaveLength(1);
    expect(await caseOf('a2@klient.example')).toEqual(annaCase);
    // The acknowledgement is on the case's Emails list as sent mail, like any case mail.
    const emails = await t.call('GET', `/crm/v6/Cases/${annaCase}/Emails`);
    expect(emails.body.data.map((e: { subject: string }) => e.subject)).toContain(anna.subject);
  });

  it('sends none for a capture that rolled back, and one when the message is captured on the next pass', async () => {
    const before = acks().length;
    failBlobs = true;
    await dovecot.append([
      await eml({
        from: 'Ewa <ewa@klient.example>',
        messageId: '<r1@klient.example>',
        subject: 'Faktura',
        text: 'w załączniku',
        attachments: [{ filename: 'faktura.txt', content: 'FV 1/2026' }],
      }),
    ]);
    await expect(sync()).rejects.toThrow('blob store down');
    await settle(before);
    expect(acks()).toHaveLength(before);
    expect(await caseOf('r1@klient.example')).toBeUndefined();
    const queued = await t.server.storage.db.selectFrom('outbox').select('id').execute();
    expect(queued).toHaveLength(before);

    failBlobs = false;
    expect(await sync()).toBe(1);
    await settle(before + 1);
    expect(ackTo('ewa@klient.example')).toHaveLength(1);
    expect(acks()).toHaveLength(before + 1);
  });
});
