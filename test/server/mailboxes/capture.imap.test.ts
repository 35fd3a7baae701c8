import { ENGINES, type TestServer } from '../harness';
import { IMAP_TESTS_RUN, type Dovecot } from '../imap/dovecot';
import { startCaptureFixture, type CaptureFixture } from './fixture';
import { bounceEml, eml, legacyCharsetEml, postmasterEml } from './corpus';

/** Nine messages per group (phase 1: six, phase 2: three) plus three: 112 groups make 1,011 messages. */
const GROUPS = Number(process.env.MAILBOX_CORPUS_GROUPS ?? 112);
const describeImap = IMAP_TESTS_RUN ? describe.each(ENGINES) : describe.skip.each(ENGINES);

describeImap('cases from a support mailbox (real Dovecot) on %s', (engine) => {
  let f: CaptureFixture;
  let dovecot: Dovecot;
  let t: TestServer;
  let mailboxId: string;
  const db = () => t.server.storage.db;

  beforeAll(async () => {
    f = await startCaptureFixture(engine, { never_capture: ['casepane.com'] });
    ({ dovecot, t, mailboxId } = f);
  });
  afterAll(() => f?.close());

  const sync = (options: { limit?: number; maxMessageBytes?: number } = {}) =>
    f.sync({ maxMessageBytes: 40 * 1024 * 1024, ...options });
  const caseOf = async (messageId: string) => {
    const rows = await db()
      .selectFrom('email_links')
      .select('case_id')
      .where('internet_message_id', '=', messageId)
      .execute();
    return rows.map((r) => String(r.case_id));
  };
  const caseCount = async () =>
    Number(
      (
        await db()
          .selectFrom('cases')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const allLinks = async () =>
    (await db().selectFrom('email_links').select(['internet_message_id', 'case_id']).execute())
      .map((r) => `${r.internet_message_id}→${r.case_id}`)
      .sort();

  it('captures the corpus into exactly the expected cases and links, and resumes after a stop without duplicates', async () => {
    // Before anything is read: the pane converts one message itself.
    const paneMessage = {
      internet_message_id: '<pane-1@klient0.pl>',
      from: { name: 'Klient Zero', email: 'c0@klient0.pl' },
      to: [{ name: null, email: 'support@casepane.test' }],
      subject: 'Converted in Outlook',
      body_text: 'From the pane',
    };
    const converted = await t.call('POST', '/crm/v6/Cases/actions/from_email', {
      json: {
        data: [
          {
            case: { Subject: 'Converted in Outlook', Case_Origin: 'Email', Email: 'c0@klient0.pl' },
            message: paneMessage,
          },
        ],
      },
    });
    expect(converted.status).toBe(201);
    const paneCase = converted.body.data[0].details.id as string;

    // Phase 1: new requests in every encoding and shape, plus mail that must never become a case.
    const phase1: Buffer[] = [];
    const expectedNew = new Map<string, string>(); // message id → subject
    for (let g = 0; g < GROUPS; g++) {
      const from = `Klient ${g} <c${g}@klient${g}.pl>`;
      const kind = g % 5;
      const id = `new-${g}@klient${g}.pl`;
      if (kind === 0) {
        phase1.push(
          await eml({
            from,
            messageId: `<${id}>`,
            subject: `Zażółć gęślą jaźń ${g}`,
            text: `Drukarka ${g} nie działa`,
          }),
        );
        expectedNew.set(id, `Zażółć gęślą jaźń ${g}`);
      } else if (kind === 1) {
        phase1.push(
          legacyCharsetEml({
            from,
            messageId: id,
            subject: `Łódź żółta ${g}`,
            body: `Proszę o pomoc, ąę ${g}`,
            charset: 'ISO-8859-2',
          }),
        );
        expectedNew.set(id, `Łódź żółta ${g}`);
      } else if (kind === 2) {
        phase1.push(
          legacyCharsetEml({
            from,
            messageId: id,
            subject: `打印机坏了 ${g}`,
            body: `您好，打印机 ${g} 不工作`,
            charset: g % 2 ? 'GBK' : 'GB18030',
          }),
        );
        expectedNew.set(id, `打印机坏了 ${g}`);
      } else if (kind === 3) {
        phase1.push(
          await eml({
            from,
            messageId: `<${id}>`,
            subject: `HTML only ${g}`,
            html: `<p>Screen <b>${g}</b> is blank</p>`,
          }),
        );
        expectedNew.set(id, `HTML only ${g}`);
      } else {
        phase1.push(
          await eml({
            from,
            messageId: `<${id}>`,
            subject: `With a log ${g}`,
            text: 'Log attached',
            attachments: [{ filename: `log-${g}.txt`, content: `line 1\nline ${g}\n` }],
          }),
        );
        expectedNew.set(id, `With a log ${g}`);
      }
      // Never captured: an auto-reply, a bounce, a postmaster notice, an internal sender, and a list mailing.
      phase1.push(
        await eml({
          from,
          messageId: `<ooo-${g}@klient${g}.pl>`,
          subject: 'Out of office',
          text: 'Away',
          headers: { 'Auto-Submitted': 'auto-replied' },
        }),
      );
      phase1.push(bounceEml(`dsn-${g}@mx.casepane.test`, `c${g}@klient${g}.pl`));
      phase1.push(
        g % 2
          ? postmasterEml(`pm-${g}@mx.other.test`)
          : await eml({
              from,
              messageId: `<ar-${g}@klient${g}.pl>`,
              subject: 'Auto',
              text: 'x',
              headers: { 'X-Autoreply': 'yes' },
            }),
      );
      phase1.push(
        await eml({
          from: `Agent <agent${g}@casepane.com>`,
          messageId: `<internal-${g}@casepane.com>`,
          subject: 'Internal',
          text: 'lunch?',
        }),
      );
      phase1.push(
        await eml({
          from,
          messageId: `<list-${g}@klient${g}.pl>`,
          subject: 'Newsletter',
          text: 'news',
          headers: { Precedence: 'bulk' },
        }),
      );
    }
    // The pane's message arrives too, and a copy of a new request (same Message-ID twice).
    phase1.push(
      await eml({
        from: 'Klient Zero <c0@klient0.pl>',
        messageId: '<pane-1@klient0.pl>',
        subject: 'Converted in Outlook',
        text: 'From the pane',
      }),
    );
    phase1.push(
      await eml({
        from: 'Klient 1 <c1@klient1.pl>',
        messageId: '<new-1@klient1.pl>',
        subject: 'again',
        text: 'dup',
      }),
    );
    await dovecot.append(phase1);

    // A process stopped part-way; the next one resumes from the checkpoint.
    const started = Date.now();
    const first = await sync({ limit: Math.floor(phase1.length / 2) });
    expect(first).toBe(Math.floor(phase1.length / 2));
    const rest = await sync();
    expect(first + rest).toBe(phase1.length);
    const phase1Ms = Date.now() - started;

    expect(await caseCount()).toBe(1 + GROUPS);
    for (const [id] of expectedNew) expect(await caseOf(id)).toHaveLength(1);
    expect(await caseOf('pane-1@klient0.pl')).toEqual([paneCase]);
    for (const g of [0, 1, 2, 3, 4].filter((g) => g < GROUPS)) {
      const [caseId] = await caseOf(`new-${g}@klient${g}.pl`);
      const record = (await t.call('GET', `/crm/v6/Cases/${caseId}`)).body.data[0];
      expect(record).toMatchObject({
        Case_Origin: 'Email',
        Email: `c${g}@klient${g}.pl`,
        Reported_By: `Klient ${g}`,
      });
      expect(record.Subject).toBe(expectedNew.get(`new-${g}@klient${g}.pl`));
    }
    const [polish] = await caseOf('new-1@klient1.pl');
    expect((await t.call('GET', `/crm/v6/Cases/${polish}`)).body.data[0].Description).toContain(
      'Proszę o pomoc, ąę 1',
    );
    const [chinese] = await caseOf('new-2@klient2.pl');
    expect((await t.call('GET', `/crm/v6/Cases/${chinese}`)).body.data[0].Description).toContain(
      '您好，打印机 2 不工作',
    );
    const [html] = await caseOf('new-3@klient3.pl');
    expect((await t.call('GET', `/crm/v6/Cases/${html}`)).body.data[0].Description).toMatch(
      /Screen\s+3\s+is blank/,
    );
    const [withLog] = await caseOf('new-4@klient4.pl');
    const attachments = await t.call('GET', `/crm/v6/Cases/${withLog}/Attachments`);
    expect(attachments.body.data.map((a: { File_Name: string }) => a.File_Name)).toEqual(['log-4.txt']);

    // Phase 2: replies by headers, by [Case #n] from the contact, forged references from strangers.
    const numberOf = async (caseId: string) =>
      Number(
        (
          await db()
            .selectFrom('cases')
            .select('case_number')
            .where('id', '=', caseId)
            .executeTakeFirstOrThrow()
        ).case_number,
      );
    const phase2: Buffer[] = [];
    const expectLinked = new Map<string, string>();
    let forged = 0;
    for (let g = 0; g < GROUPS; g++) {
      const from = `Klient ${g} <c${g}@klient${g}.pl>`;
      const newId = `new-${g}@klient${g}.pl`;
      const [caseId] = await caseOf(newId);
      const number = await numberOf(caseId);
      phase2.push(
        await eml({
          from,
          messageId: `<re-${g}@klient${g}.pl>`,
          subject: 'Re: thanks',
          text: 'more',
          inReplyTo: `<${newId}>`,
          references: [`<${newId}>`],
        }),
      );
      expectLinked.set(`re-${g}@klient${g}.pl`, caseId);
      // No thread headers, only the reference, from the case's own Email: linked.
      phase2.push(
        await eml({
          from,
          messageId: `<ref-${g}@klient${g}.pl>`,
          subject: `Update [Case #${number}]`,
          text: 'update',
        }),
      );
      expectLinked.set(`ref-${g}@klient${g}.pl`, caseId);
      phase2.push(
        await eml({
          from: `Mallory <m${g}@evil.example>`,
          messageId: `<forged-${g}@evil.example>`,
          subject: `Pay now [Case #${number}]`,
          text: 'forged',
        }),
      );
      forged++;
    }
    phase2.push(
      await eml({
        from: 'Klient Zero <c0@klient0.pl>',
        messageId: '<re-pane@klient0.pl>',
        subject: 'Re: Converted',
        text: 'reply',
        inReplyTo: '<pane-1@klient0.pl>',
      }),
    );
    expectLinked.set('re-pane@klient0.pl', paneCase);
    await dovecot.append(phase2);
    expect(await sync()).toBe(phase2.length);
    const total = phase1.length + phase2.length;
    const totalMs = Date.now() - started;
    process.stdout.write(
      `[mailbox corpus ${engine}] ${total} messages; phase 1 ${phase1.length} in ${phase1Ms} ms; all in ${totalMs} ms (${Math.round((total / totalMs) * 1000)}/s incl. APPEND of phase 2)\n`,
    );

    for (const [id, caseId] of expectLinked) expect(await caseOf(id)).toEqual([caseId]);
    for (let g = 0; g < GROUPS; g++) {
      const forgedCase = await caseOf(`forged-${g}@evil.example`);
      expect(forgedCase).toHaveLength(1);
      expect(forgedCase[0]).not.toBe((await caseOf(`new-${g}@klient${g}.pl`))[0]);
    }
    expect(await caseCount()).toBe(1 + GROUPS + forged);
    // The exact set of links: one per captured message (plus the pane's), nothing for the refused mail.
    const expectedLinks = [
      `pane-1@klient0.pl→${paneCase}`,
      ...[...expectedNew.keys()].map(async (id) => `${id}→${(await caseOf(id))[0]}`),
    ];
    const resolved = await Promise.all(expectedLinks);
    for (const [id, caseId] of expectLinked) resolved.push(`${id}→${caseId}`);
    for (let g = 0; g < GROUPS; g++)
      resolved.push(`forged-${g}@evil.example→${(await caseOf(`forged-${g}@evil.example`))[0]}`);
    expect(await allLinks()).toEqual(resolved.sort());

    const outcomes = await db()
      .selectFrom('mailbox_messages')
      .select(['outcome', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('outcome')
      .execute();
    const byOutcome = Object.fromEntries(outcomes.map((o) => [o.outcome, Number(o.n)]));
    expect(byOutcome).toEqual({
      case_created: GROUPS * 2,
      linked: GROUPS * 2 + 1,
      already_known: 2,
      skipped_auto_reply: GROUPS * 2 + Math.ceil(GROUPS / 2),
      skipped_bounce: GROUPS + Math.floor(GROUPS / 2),
      skipped_never_capture: GROUPS,
    });
    const status = (await t.call('GET', `/crm/v6/settings/mailboxes/${mailboxId}`, { role: 'admin' })).body
      .mailboxes[0];
    expect(status.status.messages_captured).toBe(GROUPS * 4 + 1);

    // The pane sees a captured message as linked, and its Save returns the captured case instead of a second one.
    const again = await t.call('POST', '/crm/v6/Cases/actions/from_email', {
      json: {
        data: [
          {
            case: { Subject: 'Re: thanks', Case_Origin: 'Email', Email: 'c0@klient0.pl' },
            message: { ...paneMessage, internet_message_id: '<re-0@klient0.pl>' },
          },
        ],
      },
    });
    expect(again.status).toBe(200);
    expect(again.body.data[0].details).toMatchObject({
      id: (await caseOf('new-0@klient0.pl'))[0],
      duplicate: true,
    });

    // A new UIDVALIDITY (a rebuilt server): the folder is read again from the start, without a duplicate.
    const links = await allLinks();
    const box = await dovecot.client();
    const folderStatus = await box.status('INBOX', { uidValidity: true });
    if (!folderStatus) throw new Error('STATUS refused');
    const uidValidity = Number(folderStatus.uidValidity);
    await box.logout();
    await dovecot.changeUidValidity('INBOX', uidValidity + 1000);
    expect(await sync()).toBe(total);
    expect(await caseCount()).toBe(1 + GROUPS + forged);
    expect(await allLinks()).toEqual(links);
  }, 240_000);
});
