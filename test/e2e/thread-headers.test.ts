/**
 * Issue 11, section 2, in the browser: where the host has Mailbox 1.8 the pane reads In-Reply-To and References
 * with getAllInternetHeadersAsync and sends them with Save, so a reply to a case's mail is linked to that case
 * (the server's threading rule, the one the mailbox capture uses) instead of becoming a second case. On a host
 * without 1.8 (mobile, 1.5) the emulator offers no such member and the pane sends none: a new case, as before.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import {
  CHROMIUM,
  createBackend,
  ensureAddinBuilt,
  launchBrowser,
  newHostContext,
  openHost,
  startHostServer,
  type Backend,
  type HostName,
} from './harness';
import { loadFixtures, parseEmlSource, type HostMessage } from './host/messages';
import { ENGINES, createPostgresDatabase } from '../postgres';

jest.setTimeout(240_000);

let host: { url: string; close(): Promise<void> };
let browser: Browser;
let fixtures: HostMessage[];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
  await ensureAddinBuilt();
  fixtures = await loadFixtures();
  host = await startHostServer();
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

const reply = (engine: string, key: string, parent: string) =>
  parseEmlSource(
    [
      'From: Anna Kowalska <anna@klient.example>',
      'To: support@casepane.test',
      'Subject: Re: Faktura',
      `Message-ID: <${key}-${engine}@klient.example>`,
      `In-Reply-To: <${parent}>`,
      // Folded, as mail clients write long References (RFC 5322 2.2.3).
      `References: <older-${engine}@klient.example>\r\n <${parent}>`,
      'Date: Tue, 01 Dec 2026 09:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Nadal czekam na korektę.',
      '',
    ].join('\r\n'),
    key,
  );

describe.each(ENGINES)('thread headers from the pane, backend on %s', (engine) => {
  let backend: Backend;
  let database: { url: string; drop(): Promise<void> } | undefined;
  let caseId: string;
  let caseNumber: string;
  const parent = `invoice-${engine}@klient.example`;

  beforeAll(async () => {
    database = engine === 'postgres' ? await createPostgresDatabase() : undefined;
    backend = await createBackend({ env: database ? { DATABASE_URL: database.url } : {} });
    // The case the customer's first mail became (by the capture or another agent's Save: the same link).
    const made = await backend.api<{ data: { details: { id: string; Case_Number: string } }[] }>(
      'POST',
      '/crm/v6/Cases/actions/from_email',
      {
        data: [
          {
            case: { Subject: 'Faktura', Case_Origin: 'Email', Email: 'anna@klient.example' },
            message: {
              internet_message_id: `<${parent}>`,
              from: { name: 'Anna Kowalska', email: 'anna@klient.example' },
              subject: 'Faktura',
            },
          },
        ],
      },
    );
    expect(made.status).toBe(201);
    ({ id: caseId, Case_Number: caseNumber } = made.body.data[0].details);
  }, 600_000);
  afterAll(async () => {
    await backend?.stop();
    await database?.drop();
  });

  async function saveOn(hostName: HostName, message: HostMessage) {
    const { context, page, watch } = await newHostContext(browser);
    const { pane } = await openHost(page, host.url, {
      messages: [...fixtures, message],
      paneUrl: `${backend.url}/taskpane.html`,
      selected: message.key,
      host: hostName,
    });
    await pane.getByTestId('new-case-form').waitFor({ timeout: 60_000 });
    await pane.getByTestId('save-case').click();
    const created = pane.getByTestId('created-case');
    await created.waitFor({ timeout: 30_000 });
    const number = await created.getAttribute('data-case-number');
    expect(watch.pageErrors).toEqual([]);
    // Below 1.8 the pane does not even look for the member (the emulator logs any member read that is absent).
    expect(watch.shimWarnings.filter((w) => w.includes('InternetHeaders'))).toEqual([]);
    await context.close();
    return number;
  }

  const emailsOf = async (id: string) =>
    (
      await backend.api<{ data: { internet_message_id: string }[] }>('GET', `/crm/v6/Cases/${id}/Emails`)
    ).body.data.map((e) => e.internet_message_id);

  it('Outlook on the web (1.15): the reply is linked to its thread’s case, not made a second case', async () => {
    const message = await reply(engine, 'reply-web', parent);
    expect(await saveOn('web', message)).toBe(caseNumber);
    expect(await emailsOf(caseId)).toContain(`reply-web-${engine}@klient.example`);
  });

  it('Outlook mobile (1.5, no internet headers): the pane sends none and the reply becomes its own case', async () => {
    const message = await reply(engine, 'reply-mobile', parent);
    const number = await saveOn('mobile', message);
    expect(number).toBeTruthy();
    expect(number).not.toBe(caseNumber);
    expect(await emailsOf(caseId)).not.toContain(`reply-mobile-${engine}@klient.example`);
  });
});
