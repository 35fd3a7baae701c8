import { ENGINES, caseFromMessage, message, startTestServer, type TestServer } from './harness';
import { startSmtp } from './smtp';

describe.each(ENGINES)('attachments and email from a case on %s', (engine) => {
  let t: TestServer;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    smtp = await startSmtp({ refuse: 'bounce@example.com' });
    t = await startTestServer(engine, {
      smtpUrl: smtp.url,
      smtpFrom: 'Casepane Support <support@example.com>',
    });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const upload = async (caseId: string, name: string, bytes: Buffer, type = 'application/pdf') => {
    const form = new FormData();
    form.append('source_message_id', '<m@x>');
    form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
    const response = await fetch(`${t.url}/crm/v6/Cases/${caseId}/Attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await t.token()}` },
      body: form,
    });
    return { status: response.status, body: await response.json() };
  };
  const newCase = async (record: Record<string, unknown> = {}) =>
    (
      await t.call('POST', '/crm/v6/Cases', {
        json: {
          data: [
            {
              Subject: 'Invoice is wrong',
              Case_Origin: 'Email',
              Email: 'klient@example.pl',
              Reported_By: 'Jan Klient',
              ...record,
            },
          ],
        },
      })
    ).body.data[0].details;

  it('stores an attachment, lists it and serves the same bytes for download', async () => {
    const { id } = await newCase();
    const bytes = Buffer.from('%PDF-1.4 invoice 2026/11 ąę 中文');
    const r = await upload(id, 'faktura 11-2026.pdf', bytes);
    expect(r.status).toBe(201);
    const list = await t.call('GET', `/crm/v6/Cases/${id}/Attachments`);
    expect(list.body.data).toEqual([
      expect.objectContaining({
        File_Name: 'faktura 11-2026.pdf',
        Size: bytes.length,
        Content_Type: 'application/pdf',
        Source_Message_Id: '<m@x>',
      }),
    ]);
    const download = await fetch(`${t.url}/crm/v6/Cases/${id}/Attachments/${list.body.data[0].id}`, {
      headers: { authorization: `Bearer ${await t.token('viewer')}` },
    });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    expect(download.headers.get('content-disposition')).toContain("filename*=UTF-8''faktura%2011-2026.pdf");
    expect(download.headers.get('content-security-policy')).toContain('sandbox');
  });

  it('serves HTML attachments as downloads, never as pages', async () => {
    const { id } = await newCase();
    await upload(id, 'page.html', Buffer.from('<script>alert(1)</script>'), 'text/html');
    const list = await t.call('GET', `/crm/v6/Cases/${id}/Attachments`);
    const download = await fetch(`${t.url}/crm/v6/Cases/${id}/Attachments/${list.body.data[0].id}`, {
      headers: { authorization: `Bearer ${await t.token()}` },
    });
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
  });

  it('refuses programs, empty files, oversize files and non-multipart uploads, writing nothing', async () => {
    const { id } = await newCase();
    expect((await upload(id, 'setup.exe', Buffer.from('MZ'))).status).toBe(400);
    expect((await upload(id, 'empty.txt', Buffer.alloc(0))).status).toBe(400);
    const big = await upload(id, 'big.bin', Buffer.alloc(20 * 1024 * 1024 + 1));
    expect(big.status).toBe(413);
    expect((await t.call('POST', `/crm/v6/Cases/${id}/Attachments`, { json: { file: 'x' } })).status).toBe(
      415,
    );
    expect((await t.call('GET', `/crm/v6/Cases/${id}/Attachments`)).status).toBe(204);
    expect((await upload('123456789', 'a.pdf', Buffer.from('x'))).status).toBe(404);
  });

  it('sends an email to the case contact through SMTP with the case reference; it appears in the Emails list', async () => {
    const { id, Case_Number } = await newCase();
    const r = await t.call('POST', `/crm/v6/Cases/${id}/actions/send_mail`, {
      json: { data: [{ content: 'We have corrected the invoice.' }] },
    });
    expect(r.status).toBe(200);
    const mail = smtp.received.at(-1)!;
    expect(mail.subject).toBe(`Invoice is wrong [Case #${Case_Number}]`);
    expect(mail.text?.trim()).toBe('We have corrected the invoice.');
    expect((mail.to as { value: { address: string }[] }).value[0].address).toBe('klient@example.pl');
    const emails = await t.call('GET', `/crm/v6/Cases/${id}/Emails`);
    expect(emails.body.data[0]).toMatchObject({
      subject: `Invoice is wrong [Case #${Case_Number}]`,
      body_text: 'We have corrected the invoice.',
      to: [{ email: 'klient@example.pl' }],
    });

    // The customer's reply carries the reference: the pane is offered the case even before it is linked.
    const reply = message(`reply-${engine}`, {
      subject: `RE: Invoice is wrong [Case #${Case_Number}]`,
      conversation_id: `other-${engine}`,
    });
    const proposed = await t.call(
      'GET',
      `/crm/v6/Emails/cases?internet_message_id=${encodeURIComponent(reply.internet_message_id)}&subject=${encodeURIComponent(reply.subject)}`,
    );
    expect(proposed.body.data).toEqual([expect.objectContaining({ id, match: 'reference' })]);
  });

  it('sends to an alternative address, from a template with merge fields', async () => {
    const { id, Case_Number } = await newCase({ Reported_By: 'Ewa Kowalska' });
    const template = await t.call('POST', '/crm/v6/settings/email_templates', {
      role: 'admin',
      json: {
        data: [
          {
            name: 'Resolved',
            subject: 'Case {{Case_Number}} resolved',
            body: 'Dear {{Contact_Name}}, your case "{{Subject}}" is resolved.',
          },
        ],
      },
    });
    expect(template.status).toBe(201);
    const r = await t.call('POST', `/crm/v6/Cases/${id}/actions/send_mail`, {
      json: {
        data: [
          {
            to: [{ email: 'ewa.private@example.pl', name: 'Ewa' }],
            template_id: template.body.data[0].details.id,
          },
        ],
      },
    });
    expect(r.status).toBe(200);
    const mail = smtp.received.at(-1)!;
    expect(mail.subject).toBe(`Case ${Case_Number} resolved [Case #${Case_Number}]`);
    expect(mail.text?.trim()).toBe('Dear Ewa Kowalska, your case "Invoice is wrong" is resolved.');
  });

  it('lets admins edit and delete templates; others may only read them; bad templates get field errors', async () => {
    const created = await t.call('POST', '/crm/v6/settings/email_templates', {
      role: 'admin',
      json: { data: [{ name: 'Draft', subject: 'Hi', body: 'First text' }] },
    });
    const id = created.body.data[0].details.id as string;
    const listed = async () =>
      (
        (await t.call('GET', '/crm/v6/settings/email_templates')).body.email_templates as { id: string; name: string }[]
      ).find((x) => x.id === id);
    const agentEdit = await t.call('PUT', `/crm/v6/settings/email_templates/${id}`, {
      role: 'agent',
      json: { data: [{ name: 'Hacked', subject: 'x', body: 'x' }] },
    });
    expect(agentEdit.status).toBe(403);
    const edit = await t.call('PUT', `/crm/v6/settings/email_templates/${id}`, {
      role: 'admin',
      json: { data: [{ name: 'Final', subject: 'Case {{Case_Number}}', body: 'Second text' }] },
    });
    expect(edit.status).toBe(200);
    expect(await listed()).toEqual({
      id,
      name: 'Final',
      subject: 'Case {{Case_Number}}',
      body: 'Second text',
    });

    for (const [data, apiName, code] of [
      [{ name: 'x'.repeat(121), subject: 's', body: 'b' }, 'name', 'INVALID_DATA'],
      [{ name: 'n', subject: '', body: 'b' }, 'subject', 'MANDATORY_NOT_FOUND'],
      [{ name: 'n', subject: 's', body: 'b', html: '<b>' }, 'html', 'INVALID_DATA'],
    ] as const) {
      const bad = await t.call('PUT', `/crm/v6/settings/email_templates/${id}`, {
        role: 'admin',
        json: { data: [data] },
      });
      expect([bad.status, bad.body.code, bad.body.details.api_name]).toEqual([400, code, apiName]);
    }
    expect((await listed())?.name).toBe('Final'); // nothing written by the refused edits

    expect((await t.call('DELETE', `/crm/v6/settings/email_templates/${id}`, { role: 'agent' })).status).toBe(
      403,
    );
    expect((await t.call('DELETE', `/crm/v6/settings/email_templates/${id}`, { role: 'admin' })).status).toBe(
      200,
    );
    expect(await listed()).toBeUndefined();
    expect((await t.call('DELETE', `/crm/v6/settings/email_templates/${id}`, { role: 'admin' })).status).toBe(
      404,
    );
    const missing = await t.call('PUT', `/crm/v6/settings/email_templates/${id}`, {
      role: 'admin',
      json: { data: [{ name: 'n', subject: 's', body: 'b' }] },
    });
    expect(missing.status).toBe(404);
  });

  it('bulk-sends one email per case with per-recipient results', async () => {
    const a = await newCase({ Email: 'a@example.pl' });
    const b = await newCase({ Email: 'bounce@example.com' });
    const c = await newCase({ Case_Origin: 'Phone', Email: null });
    const template = (
      await t.call('POST', '/crm/v6/settings/email_templates', {
        role: 'admin',
        json: {
          data: [
            { name: 'Update', subject: 'Update on {{Subject}}', body: 'Case {{Case_Number}}: we are on it.' },
          ],
        },
      })
    ).body.data[0].details.id;
    const before = smtp.received.length;
    const r = await t.call('POST', '/crm/v6/Cases/actions/send_mail', {
      json: { template_id: template, data: [{ id: a.id }, { id: b.id }, { id: c.id }] },
    });
    expect(r.status).toBe(200);
    expect(r.body.data.map((d: { code: string }) => d.code)).toEqual([
      'SUCCESS',
      'MAIL_NOT_SENT',
      'MANDATORY_NOT_FOUND',
    ]);
    expect(smtp.received.length).toBe(before + 1);
    expect((await t.call('GET', `/crm/v6/Cases/${a.id}/Emails`)).body.data).toHaveLength(1);
    expect((await t.call('GET', `/crm/v6/Cases/${b.id}/Emails`)).status).toBe(204);
  });

  it('refuses bad mail requests with field errors', async () => {
    const { id } = await newCase();
    const bad = await t.call('POST', `/crm/v6/Cases/${id}/actions/send_mail`, {
      json: { data: [{ to: ['not-an-address'], content: '' }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.data[0].details.errors.map((e: { api_name: string }) => e.api_name)).toEqual([
      'to',
      'content',
    ]);
  });
});

describe('sending without SMTP configured', () => {
  it('says so plainly', async () => {
    const t = await startTestServer('sqlite');
    try {
      const m = message('nosmtp');
      const id = (
        await t.call('POST', '/crm/v6/Cases/actions/from_email', {
          json: { data: [{ case: caseFromMessage(m), message: m }] },
        })
      ).body.data[0].details.id;
      const r = await t.call('POST', `/crm/v6/Cases/${id}/actions/send_mail`, {
        json: { data: [{ content: 'hello' }] },
      });
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('NOT_SUPPORTED');
    } finally {
      await t.close();
    }
  });
});
