import { tableCounts } from '../../faults/helpers';
import { ENGINES, startTestServer, type TestServer } from '../harness';
import { startSmtp } from '../smtp';

/**
 * Issue 14, items 7–11 ("Hostile input"), black-box over HTTP on every engine: JavaScript built-in names, type-confused
 * values, attachment names as Windows reads them, repeated ids in bulk mail, and text that is not Unicode. Every
 * refusal is a 4xx naming the field, and a refused request writes nothing.
 */

// Names every plain JavaScript object answers to without having them.
const BUILT_IN_NAMES = [
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  'toLocaleString',
];

type Answer = { status: number; body: any; text: string };

/** Status, code and named field of a refusal, in either of the API's shapes (top-level or per record). */
function refusal(r: Answer) {
  const top = r.body?.data?.[0] ?? r.body;
  return { status: r.status, code: top?.code, api_name: top?.details?.api_name };
}

describe.each(ENGINES)('hostile input on %s', (engine) => {
  jest.setTimeout(60_000);
  let t: TestServer;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestServer(engine, {
      smtpUrl: smtp.url,
      smtpFrom: 'Casepane Support <support@example.com>',
      webFormsPerMinute: 10_000,
    });
    // Users are created on first sight; do it before anything counts rows.
    for (const role of ['viewer', 'agent', 'manager', 'admin'] as const)
      await t.call('GET', '/crm/v6/users?type=CurrentUser', { role });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const counts = () => tableCounts(t.server.storage.db);
  /** Run a request that must be refused with a 4xx, and check that it wrote nothing. */
  async function refused(run: () => Promise<Answer>) {
    const before = await counts();
    const r = await run();
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(await counts()).toEqual(before);
    return refusal(r);
  }
  const newCase = async (record: Record<string, unknown> = {}) => {
    const r = await t.call('POST', '/crm/v6/Cases', {
      json: {
        data: [
          {
            Subject: 'Printer jams',
            Case_Origin: 'Email',
            Email: 'klient@example.pl',
            Reported_By: 'Jan Klient',
            ...record,
          },
        ],
      },
    });
    expect(r.status).toBe(201);
    return r.body.data[0].details as { id: string; Case_Number: string };
  };
  let formKey = '';
  const webForm = async () => {
    if (formKey) return formKey;
    const r = await t.call('POST', '/crm/v6/settings/web_forms', {
      role: 'admin',
      json: { data: [{ name: 'Support', fields: ['Subject', 'Email', 'Description'] }] },
    });
    expect(r.status).toBe(201);
    formKey = r.body.data[0].details.form_key;
    return formKey;
  };
  const postForm = async (body: string, contentType: string) => {
    const response = await fetch(`${t.url}/forms/${await webForm()}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
      redirect: 'manual',
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed as any, text };
  };

  describe('7. JavaScript built-in names', () => {
    it.each(BUILT_IN_NAMES)('criteria on %s is a 400 naming it, even for a viewer', async (name) => {
      const criteria = encodeURIComponent(`(${name}:equals:a)`);
      const r = await t.call('GET', `/crm/v6/Cases/search?criteria=${criteria}`, { role: 'viewer' });
      expect(refusal(r)).toEqual({ status: 400, code: 'INVALID_QUERY', api_name: name });
    });

    it('criteria on __proto__ is a 400', async () => {
      const r = await t.call(
        'GET',
        `/crm/v6/Cases/search?criteria=${encodeURIComponent('(__proto__:equals:a)')}`,
        {
          role: 'viewer',
        },
      );
      expect(r.status).toBe(400);
    });

    it.each(BUILT_IN_NAMES)('fields=%s is refused naming it, on lists and searches', async (name) => {
      await newCase();
      for (const path of [
        `/crm/v6/Cases?fields=${name}`,
        `/crm/v6/Cases/search?word=Printer&fields=Subject,${name}`,
      ])
        expect(refusal(await t.call('GET', path, { role: 'viewer' }))).toEqual({
          status: 400,
          code: 'INVALID_DATA',
          api_name: name,
        });
    });

    it.each([...BUILT_IN_NAMES, 'propertyIsEnumerable'])(
      'a custom field may not be named %s',
      async (name) => {
        const r = await refused(() =>
          t.call('POST', '/crm/v6/settings/fields?module=Cases', {
            role: 'admin',
            json: { fields: [{ api_name: name, label: 'Built-in', type: 'text' }] },
          }),
        );
        expect(r).toEqual({ status: 400, code: 'INVALID_DATA', api_name: 'fields' });
        const fields = (await t.call('GET', '/crm/v6/settings/fields?module=Cases')).body.fields;
        expect(fields.map((f: { api_name: string }) => f.api_name)).not.toContain(name);
      },
    );

    it.each(BUILT_IN_NAMES)('a contact with a property named %s is refused naming it', async (name) => {
      const r = await refused(() =>
        t.call('POST', '/crm/v6/Contacts', { json: { data: [{ Last_Name: 'Nowak', [name]: 'x' }] } }),
      );
      expect(r).toEqual({ status: 400, code: 'INVALID_DATA', api_name: name });
    });

    it('clones a case and takes web form submissions that carry built-in names as fields', async () => {
      const { id } = await newCase();
      const clone = await t.call('POST', `/crm/v6/Cases/${id}/actions/clone`);
      expect(clone.status).toBe(201);
      const key = await webForm();
      const sent = await postForm(
        `Subject=Web+case&Email=web%40example.com&constructor=1&toString=2&__proto__=3&hasOwnProperty=4&valueOf=5`,
        'application/x-www-form-urlencoded',
      );
      expect(sent.status).toBe(200);
      expect(sent.text).toContain('data-testid="case-number"');
      expect((await fetch(`${t.url}/forms/${key}`)).status).toBe(200);
    });

    it('leaves {{constructor}} and other built-in names as they are in email templates', async () => {
      const { id, Case_Number } = await newCase();
      const template = await t.call('POST', '/crm/v6/settings/email_templates', {
        role: 'admin',
        json: {
          data: [
            {
              name: 'Built-ins',
              subject: 'About {{toString}}',
              body: '{{constructor}} {{__proto__}} {{hasOwnProperty}} {{valueOf}} {{Subject}}',
            },
          ],
        },
      });
      expect(template.status).toBe(201);
      const r = await t.call('POST', `/crm/v6/Cases/${id}/actions/send_mail`, {
        json: { data: [{ template_id: template.body.data[0].details.id }] },
      });
      expect(r.status).toBe(200);
      const mail = smtp.received.at(-1)!;
      expect(mail.subject).toBe(`About {{toString}} [Case #${Case_Number}]`);
      expect(mail.text?.trim()).toBe(
        '{{constructor}} {{__proto__}} {{hasOwnProperty}} {{valueOf}} Printer jams',
      );
    });
  });
});
