import { ENGINES, type TestServer } from '../harness';
import { IMAP_TESTS_RUN, type Dovecot } from '../imap/dovecot';
import { startCaptureFixture, type CaptureFixture } from './fixture';
import { eml } from './corpus';

const describeImap = IMAP_TESTS_RUN ? describe.each(ENGINES) : describe.skip.each(ENGINES);

/** Issue 11, section 2: the pane's conversion and the mailbox capture thread the same way (real Dovecot). */
describeImap('the pane and the capture thread by the same headers (real Dovecot) on %s', (engine) => {
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
  const links = (messageId: string) =>
    db()
      .selectFrom('email_links')
      .select(['case_id', 'in_reply_to', 'references_json'])
      .where('internet_message_id', '=', messageId)
      .execute();
  const caseCount = async () =>
    Number(
      (
        await db()
          .selectFrom('cases')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const paneMessage = (id: string, extra: Record<string, unknown> = {}) => ({
    internet_message_id: `<${id}>`,
    from: { name: 'Anna Kowalska', email: 'anna@klient.example' },
    to: [{ name: null, email: 'support@casepane.test' }],
    subject: 'Drukarka nie drukuje',
    body_text: 'Pomocy',
    ...extra,
  });
  const fromPane = (message: Record<string, unknown>, subject = 'Drukarka nie drukuje') =>
    t.call('POST', '/crm/v6/Cases/actions/from_email', {
      json: {
        data: [
          {
            case: {
              Subject: subject,
              Case_Origin: 'Email',
              Email: (message.from as { email: string }).email,
            },
            message,
          },
        ],
      },
    });

  it("a reply captured by the server threads to a case made in the pane, which keeps the message's headers", async () => {
    // The pane converts a message that itself answered earlier mail; it sends the headers it read.
    const made = await fromPane(
      paneMessage('p1@klient.example', {
        in_reply_to: '<p0@klient.example>',
        references: ['<root@klient.example>', 'p0@klient.example'],
      }),
    );
    expect(made.status).toBe(201);
    expect(made.body.data[0].details).toMatchObject({ duplicate: false });
    const paneCase = made.body.data[0].details.id;
    expect(await links('p1@klient.example')).toEqual([
      {
        case_id: expect.anything(),
        in_reply_to: 'p0@klient.example',
        references_json: JSON.stringify(['root@klient.example', 'p0@klient.example']),
      },
    ]);

    await dovecot.append([
      await eml({
        from: 'Anna <anna@klient.example>',
        messageId: '<r1@klient.example>',
        subject: 'Re: Drukarka nie drukuje',
        text: 'nadal nie działa',
        inReplyTo: '<p1@klient.example>',
        references: ['<root@klient.example>', '<p0@klient.example>', '<p1@klient.example>'],
      }),
    ]);
    const before = await caseCount();
    expect(await sync()).toBe(1);
    expect(await caseCount()).toBe(before);
    const [captured] = await links('r1@klient.example');
    expect(String(captured.case_id)).toBe(String(paneCase));
    // The capture stores the same headers the pane sends.
    expect(captured.in_reply_to).toBe('p1@klient.example');
    expect(JSON.parse(captured.references_json!)).toEqual([
      'root@klient.example',
      'p0@klient.example',
      'p1@klient.example',
    ]);
  });

  it('a reply converted in the pane threads to a case the capture made; the capture then knows it', async () => {
    await dovecot.append([
      await eml({
        from: 'Jan <jan@inny.example>',
        messageId: '<c1@inny.example>',
        subject: 'Skaner',
        text: 'nie skanuje',
      }),
    ]);
    expect(await sync()).toBe(1);
    const [capturedCase] = await links('c1@inny.example');
    const before = await caseCount();

    // The agent opens the customer's second mail in Outlook and presses Save: it belongs to the captured case.
    const reply = paneMessage('c2@inny.example', {
      from: { name: 'Jan', email: 'jan@inny.example' },
      subject: 'Re: Skaner',
      in_reply_to: 'c1@inny.example',
      references: ['<c1@inny.example>'],
    });
    const saved = await fromPane(reply, 'Re: Skaner');
    expect(saved.status).toBe(200);
    expect(saved.body.data[0].details).toMatchObject({
      id: String(capturedCase.case_id),
      duplicate: true,
      threaded: true,
    });
    expect(await caseCount()).toBe(before);
    expect((await links('c2@inny.example')).map((l) => String(l.case_id))).toEqual([
      String(capturedCase.case_id),
    ]);
    const history = await t.call('GET', `/crm/v6/Cases/${capturedCase.case_id}/__timeline`);
    expect(history.status).toBe(200);
    expect(JSON.stringify(history.body)).toContain('Re: Skaner');

    // Saved again (a retry): the same case, still one link. Then the capture reads the message: already known.
    const again = await fromPane(reply, 'Re: Skaner');
    expect(again.body.data[0].details).toMatchObject({ id: String(capturedCase.case_id), duplicate: true });
    await dovecot.append([
      await eml({
        from: 'Jan <jan@inny.example>',
        messageId: '<c2@inny.example>',
        subject: 'Re: Skaner',
        text: 'drugi raz',
        inReplyTo: '<c1@inny.example>',
      }),
    ]);
    expect(await sync()).toBe(1);
    expect(await links('c2@inny.example')).toHaveLength(1);
    expect(await caseCount()).toBe(before);
  });

  it('a message without thread headers still makes its own case in the pane', async () => {
    const made = await fromPane(paneMessage('alone@klient.example', { references: [] }));
    expect(made.status).toBe(201);
    expect(made.body.data[0].details.threaded).toBeUndefined();
  });

  it.each([
    ['references', { references: 'c1@inny.example' }],
    ['references[1]', { references: ['<ok@x>', 'two ids@x'] }],
    ['in_reply_to', { in_reply_to: 42 }],
  ])('refuses bad thread headers (%s) with a 400 naming the field, writing nothing', async (field, extra) => {
    const before = await caseCount();
    const r = await fromPane(paneMessage(`bad-${field}@klient.example`, extra));
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain(`message.${field}`);
    expect(await caseCount()).toBe(before);
  });
});
