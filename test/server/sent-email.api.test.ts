import { ENGINES, caseFromMessage, message, startTestServer, type TestServer } from './harness';

/** Issue 11, section 3, server half: the add-in records the agent's sent reply on its case, once. */
describe.each(ENGINES)('POST /Cases/{id}/Emails/actions/record_sent on %s', (engine) => {
  let t: TestServer;
  let caseId: string;
  let caseNumber: string;
  beforeAll(async () => {
    t = await startTestServer(engine);
    const m = message(`sent-${engine}`);
    const made = await t.call('POST', '/crm/v6/Cases/actions/from_email', {
      json: { data: [{ case: caseFromMessage(m), message: m }] },
    });
    ({ id: caseId, Case_Number: caseNumber } = made.body.data[0].details);
  });
  afterAll(() => t?.close());

  const sent = (extra: Record<string, unknown> = {}) => ({
    internet_message_id: `<3f2a-${engine}@send.casepane>`,
    from: { name: 'Agent', email: 'agent@example.com' },
    to: [{ name: 'Klient', email: 'klient@example.pl' }],
    subject: `Re: Printer [Case #${caseNumber}]`,
    body_text: 'We are on it.',
    sent_time: '2026-12-02T09:00:00Z',
    ...extra,
  });
  const record = (body: unknown, role: 'agent' | 'viewer' = 'agent', id = caseId) =>
    t.call('POST', `/crm/v6/Cases/${id}/Emails/actions/record_sent`, { json: body, role });
  const sentLinks = () =>
    t.server.storage.db
      .selectFrom('email_links')
      .select(['direction', 'subject', 'to_json'])
      .where('case_id', '=', caseId)
      .where('direction', '=', 'sent')
      .execute();

  it('records the sent email on the case, and a retry of the same message returns it without a second one', async () => {
    const first = await record({ data: [sent()] });
    expect(first.status).toBe(201);
    expect(first.body.data[0]).toMatchObject({ status: 'success', details: { duplicate: false } });
    const again = await record({ data: [sent({ body_text: 'a retry' })] });
    expect(again.status).toBe(200);
    expect(again.body.data[0].details).toEqual({ id: first.body.data[0].details.id, duplicate: true });
    expect(await sentLinks()).toEqual([
      {
        direction: 'sent',
        subject: `Re: Printer [Case #${caseNumber}]`,
        to_json: JSON.stringify([{ name: 'Klient', email: 'klient@example.pl' }]),
      },
    ]);
    const emails = await t.call('GET', `/crm/v6/Cases/${caseId}/Emails`);
    expect(emails.body.data.map((e: { body_text: string }) => e.body_text)).toContain('We are on it.');
    const timeline = await t.call('GET', `/crm/v6/Cases/${caseId}/__timeline`);
    const sentEntries = timeline.body.__timeline.filter((e: { action: string }) => e.action === 'email_sent');
    expect(sentEntries).toHaveLength(1);
  });

  it('refuses bad input with a 4xx naming the field and writes nothing', async () => {
    const before = (await sentLinks()).length;
    const badTo = await record({
      data: [sent({ internet_message_id: '<x1@send.casepane>', to: [{ email: 'nope' }] })],
    });
    expect(badTo.status).toBe(400);
    expect(JSON.stringify(badTo.body)).toContain('data.to[0]');
    const noData = await record({ messages: [sent()] });
    expect(noData.status).toBe(400);
    expect(JSON.stringify(noData.body)).toContain('data');
    const two = await record({ data: [sent(), sent()] });
    expect(two.status).toBe(400);
    expect((await record({ data: [sent()] }, 'agent', '999999')).status).toBe(404);
    expect(
      (await record({ data: [sent({ internet_message_id: '<x2@send.casepane>' })] }, 'viewer')).status,
    ).toBe(403);
    expect((await sentLinks()).length).toBe(before);
  });
});
