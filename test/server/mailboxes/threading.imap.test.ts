import { insertEmailLink } from '../../../src/server/emails/email.repository';
import { ENGINES, type TestServer } from '../harness';
import { IMAP_TESTS_RUN, type Dovecot } from '../imap/dovecot';
import { startCaptureFixture, type CaptureFixture } from './fixture';
import { eml } from './corpus';

const describeImap = IMAP_TESTS_RUN ? describe.each(ENGINES) : describe.skip.each(ENGINES);

describeImap('who may attach mail to a case by its [Case #n] (real Dovecot) on %s', (engine) => {
  let f: CaptureFixture;
  let dovecot: Dovecot;
  let t: TestServer;
  const db = () => t.server.storage.db;

  beforeAll(async () => {
    f = await startCaptureFixture(engine);
    ({ dovecot, t } = f);
  });
  afterAll(() => f?.close());

  const sync = () => f.sync({ maxMessageBytes: 1024 * 1024 });
  const caseOf = async (messageId: string) =>
    (
      await db()
        .selectFrom('email_links')
        .select('case_id')
        .where('internet_message_id', '=', messageId)
        .execute()
    ).map((r) => String(r.case_id));

  it("links the contact's and the account's colleagues, not strangers; our own sent mail is not captured", async () => {
    const account = (
      await t.call('POST', '/crm/v6/Accounts', { json: { data: [{ Account_Name: 'Firma' }] } })
    ).body.data[0].details.id;
    const contact = (
      await t.call('POST', '/crm/v6/Contacts', {
        json: {
          data: [
            { First_Name: 'Ewa', Last_Name: 'Nowak', Email: 'ewa@firma.pl', Account_Name: { id: account } },
          ],
        },
      })
    ).body.data[0].details.id;
    await dovecot.append([
      await eml({
        from: 'Ewa <ewa@firma.pl>',
        messageId: '<t1@firma.pl>',
        subject: 'Printer',
        text: 'broken',
      }),
    ]);
    expect(await sync()).toBe(1);
    const [caseId] = await caseOf('t1@firma.pl');
    const record = (await t.call('GET', `/crm/v6/Cases/${caseId}`)).body.data[0];
    // The sender's contact and account, as the pane prefills them.
    expect(record.Related_To.id).toBe(contact);
    expect(record.Account_Name.id).toBe(account);
    const number = Number(record.Case_Number);

    // Our reply to the customer went out from the case (the outbox links it, direction sent); a copy comes back.
    await t.server.storage.write((trx) =>
      insertEmailLink(trx, {
        case_id: caseId,
        internet_message_id: 'out-1@casepane.test',
        conversation_id: null,
        item_id: null,
        mailbox: null,
        from_name: 'Agent',
        from_email: 'support@casepane.test',
        to_json: '[]',
        cc_json: '[]',
        subject: `Re: Printer [Case #${number}]`,
        sent_time: null,
        body_text: 'we are on it',
        linked_time: new Date().toISOString(),
        linked_by_id: 1,
        direction: 'sent',
      }),
    );
    await dovecot.append([
      await eml({
        from: 'Jan <jan@firma.pl>',
        messageId: '<t2@firma.pl>',
        subject: `Also me [Case #${number}]`,
        text: 'colleague',
      }),
      await eml({
        from: 'X <x@elsewhere.example>',
        messageId: '<t3@elsewhere.example>',
        subject: `Mine now [Case #${number}]`,
        text: 'stranger',
      }),
      await eml({
        from: 'Jan <jan@firma.pl>',
        messageId: '<t4@firma.pl>',
        subject: '[Case #99999] no such case',
        text: 'nothing',
      }),
      await eml({
        from: 'Support <support@casepane.test>',
        messageId: '<out-1@casepane.test>',
        subject: `Re: Printer [Case #${number}]`,
        text: 'we are on it',
      }),
      // The stranger replies to their own new case's thread: linked by headers to it, not to case n.
      await eml({
        from: 'X <x@elsewhere.example>',
        messageId: '<t5@elsewhere.example>',
        subject: `Re: Mine now [Case #${number}]`,
        text: 'again',
        inReplyTo: '<t3@elsewhere.example>',
      }),
    ]);
    expect(await sync()).toBe(5);
    expect(await caseOf('t2@firma.pl')).toEqual([caseId]);
    const [strangerCase] = await caseOf('t3@elsewhere.example');
    expect(strangerCase).not.toBe(caseId);
    expect(await caseOf('t5@elsewhere.example')).toEqual([strangerCase]);
    const [unknownRef] = await caseOf('t4@firma.pl');
    expect([caseId, strangerCase]).not.toContain(unknownRef);
    expect(await caseOf('out-1@casepane.test')).toEqual([caseId]);
    const outcomes = await db()
      .selectFrom('mailbox_messages')
      .select(['internet_message_id', 'outcome'])
      .orderBy('uid')
      .execute();
    expect(outcomes.map((o) => o.outcome)).toEqual([
      'case_created',
      'linked',
      'case_created',
      'case_created',
      'already_known',
      'linked',
    ]);
    const cases = await db().selectFrom('cases').select('id').execute();
    expect(cases).toHaveLength(3);
  }, 60_000);

  it('copies attachments within the limits and notes a refused one on the case', async () => {
    await dovecot.append([
      await eml({
        from: 'Ewa <ewa@firma.pl>',
        messageId: '<att@firma.pl>',
        subject: 'Files',
        text: 'see attached',
        attachments: [
          {
            filename: 'zrzut ekranu.png',
            content: Buffer.from('89504e470d0a1a0a', 'hex'),
            contentType: 'image/png',
          },
          { filename: 'setup.exe', content: Buffer.from('MZ fake program') },
        ],
      }),
    ]);
    expect(await sync()).toBe(1);
    const [caseId] = await caseOf('att@firma.pl');
    const attachments = await t.call('GET', `/crm/v6/Cases/${caseId}/Attachments`);
    expect(attachments.body.data.map((a: { File_Name: string }) => a.File_Name)).toEqual([
      'zrzut ekranu.png',
    ]);
    const downloaded = await t.call(
      'GET',
      `/crm/v6/Cases/${caseId}/Attachments/${attachments.body.data[0].id}`,
    );
    expect(downloaded.status).toBe(200);
    const notes = await db()
      .selectFrom('notes')
      .select(['title', 'content'])
      .where('case_id', '=', caseId)
      .execute();
    expect(notes).toHaveLength(1);
    expect(notes[0].content).toContain('setup.exe');
  }, 60_000);

  it('gives captured cases an owner by the assignment rules, as the pane’s conversion does', async () => {
    const token = await t.token('agent', 'ola@example.com', 'Ola');
    const ola = (await t.call('GET', '/crm/v6/users?type=CurrentUser', { token })).body.users[0].id;
    const rule = await t.call('POST', '/crm/v6/settings/assignment_rules', {
      role: 'admin',
      json: {
        data: [
          { name: 'Email intake', position: 1, criteria: '(Case_Origin:equals:Email)', owner: { id: ola } },
        ],
      },
    });
    expect(rule.status).toBe(201);
    await dovecot.append([
      await eml({
        from: 'Nowy <nowy@klient.example>',
        messageId: '<rule@klient.example>',
        subject: 'Assigned?',
        text: 'x',
      }),
    ]);
    expect(await sync()).toBe(1);
    const [caseId] = await caseOf('rule@klient.example');
    const record = (await t.call('GET', `/crm/v6/Cases/${caseId}`)).body.data[0];
    expect(record.Owner.id).toBe(ola);
    const timeline = await db()
      .selectFrom('case_history')
      .select('action')
      .where('case_id', '=', caseId)
      .execute();
    expect(timeline.map((h) => h.action).sort()).toEqual(['assigned', 'created', 'email_linked']);
  }, 60_000);
});
