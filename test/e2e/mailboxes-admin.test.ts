/**
 * Issue 11, section 1, in the browser: the admin's Mailboxes screen against the real server and a real Dovecot.
 * A mailbox added pointing at a closed port shows its last error; corrected (port only — the password is left
 * empty and so kept, never shown) it reads the folder and shows its last poll and the message it captured, with
 * the acknowledgement turned on from a template; then it is deleted. Both engines.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, FrameLocator } from 'playwright-core';
import {
  CHROMIUM,
  ROOT,
  createBackend,
  ensureAddinBuilt,
  freePort,
  launchBrowser,
  newHostContext,
  openHost,
  runAxe,
  waitUntil,
  screenshotPane,
  startHostServer,
  type Backend,
} from './harness';
import { loadFixtures, type HostMessage } from './host/messages';
import { ENGINES, createPostgresDatabase } from '../postgres';
import { IMAP_TESTS_RUN, startDovecot, type Dovecot } from '../server/imap/dovecot';
import { eml } from '../server/mailboxes/corpus';

jest.setTimeout(240_000);
const T = 30_000;
const describeImap = IMAP_TESTS_RUN ? describe.each(ENGINES) : describe.skip.each(ENGINES);

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

type Mailbox = {
  id: string;
  port: number;
  password_set: boolean;
  acknowledgement: { enabled: boolean; template_id: string | null };
  status: { messages_captured: number; last_error: string | null };
};

describeImap('the Mailboxes admin screen, backend on %s', (engine) => {
  let backend: Backend;
  let database: { url: string; drop(): Promise<void> } | undefined;
  let dovecot: Dovecot;
  let admin: string;

  beforeAll(async () => {
    dovecot = await startDovecot();
    database = engine === 'postgres' ? await createPostgresDatabase() : undefined;
    backend = await createBackend({
      env: { MAILBOX_POLL_SECONDS: '1', ...(database ? { DATABASE_URL: database.url } : {}) },
    });
    admin = backend.mint('admin@casepane.example', 'admin', 'Ada Admin');
  }, 600_000);
  afterAll(async () => {
    await backend?.stop();
    await database?.drop();
    await dovecot?.stop();
  });

  const mailboxes = async () =>
    (await backend.apiAs<{ mailboxes: Mailbox[] }>(admin, 'GET', '/crm/v6/settings/mailboxes')).body
      .mailboxes;

  /** Presses Refresh until the element shows (the reader polls every second on its own). */
  async function refreshUntil(pane: FrameLocator, testId: string, text?: string) {
    const deadline = Date.now() + T;
    for (;;) {
      const el = pane.getByTestId(testId);
      if ((await el.count()) > 0 && (!text || (await el.textContent())?.includes(text))) return;
      if (Date.now() > deadline) throw new Error(`${testId} never showed ${text ?? ''}`);
      await pane.getByTestId('mailboxes-refresh').click();
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  it('adds a mailbox, shows its error, fixes it keeping the password, shows what it captured, deletes it', async () => {
    const template = await backend.apiAs<{ data: { details: { id: string } }[] }>(
      admin,
      'POST',
      '/crm/v6/settings/email_templates',
      { data: [{ name: 'We got it', subject: 'Re: {{Subject}}', body: 'Case {{Case_Number}} is open.' }] },
    );
    const templateId = template.body.data[0].details.id;
    await dovecot.append([
      await eml({
        from: 'Ewa <ewa@klient.example>',
        messageId: `<m1-${engine}@klient.example>`,
        subject: 'Skaner',
        text: 'x',
      }),
    ]);

    const { context, page, watch } = await newHostContext(browser);
    await context.route('**/auth/local/token', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ access_token: admin, token_type: 'Bearer', expires_in: 3600 }),
      }),
    );
    const { pane, frame } = await openHost(page, host.url, {
      messages: fixtures,
      paneUrl: `${backend.url}/taskpane.html`,
      selected: '01-plain-text',
      userProfile: { displayName: 'Ada Admin', emailAddress: 'admin@casepane.example' },
    });
    await pane.getByTestId('open-admin').click({ timeout: 60_000 });
    // Issue 16: every settings screen has one h1 (focused on opening) and nothing moderate or worse for axe.
    const focusedId = () => frame().evaluate(() => document.activeElement?.id ?? '');
    await pane.getByTestId('admin-view').waitFor({ timeout: T });
    await waitUntil(async () => (await focusedId()) === 'admin-title', T, 'focus on the settings heading');
    const findings: Record<string, string[]> = {};
    for (const [tab, shown] of [
      ['layout', 'admin-layout'],
      ['rules', 'assignment-rules'],
      ['templates', 'template-form'],
      ['mailboxes', 'mailbox-form'],
    ]) {
      await pane.getByTestId(`admin-tab-${tab}`).click();
      await pane.getByTestId(shown).waitFor({ timeout: T });
      if (tab === 'mailboxes') await pane.getByTestId('mailbox-sign-in-oauth').click();
      await pane.getByTestId('mailbox-client-id').or(pane.getByTestId(shown)).first().waitFor();
      expect(await pane.locator('h1:visible').count()).toBe(1);
      findings[tab] = (await runAxe(frame()))
        .filter((v) => v.impact === 'moderate' || v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
    expect(findings).toEqual({ layout: [], rules: [], templates: [], mailboxes: [] });
    await pane.getByTestId('mailbox-sign-in-password').click();

    // Added with a mistake: nothing listens on that port.
    await pane.getByTestId('mailbox-name').fill('Support');
    await pane.getByTestId('mailbox-host').fill(dovecot.host);
    await pane.getByTestId('mailbox-port').fill(String(await freePort()));
    await pane.getByTestId('mailbox-secure').click();
    await pane.getByTestId('mailbox-starttls').click();
    await pane.getByTestId('mailbox-user').fill(dovecot.user);
    await pane.getByTestId('mailbox-password').fill(dovecot.password);
    await pane.getByTestId('mailbox-save').click();
    await pane.getByTestId('mailbox-done').waitFor({ timeout: T });
    const [added] = await mailboxes();
    expect(added.password_set).toBe(true);
    expect(JSON.stringify(added)).not.toContain(dovecot.password);
    await refreshUntil(pane, `mailbox-error-${added.id}`);

    // Fixed: only the port changes; the password field stays empty, so the stored one is kept.
    await pane.getByTestId(`mailbox-edit-${added.id}`).click();
    expect(await pane.getByTestId('mailbox-password').inputValue()).toBe('');
    await pane.getByTestId('mailbox-port').fill(String(dovecot.port));
    await pane.getByTestId('mailbox-ack').click();
    await pane.getByTestId('mailbox-ack-template').selectOption(templateId);
    await pane.getByTestId('mailbox-save').click();
    await pane.getByTestId('mailbox-done').waitFor({ timeout: T });
    const [fixed] = await mailboxes();
    expect(fixed).toMatchObject({
      port: dovecot.port,
      password_set: true,
      acknowledgement: { enabled: true, template_id: templateId },
    });
    await refreshUntil(pane, `mailbox-status-${added.id}`, '1 messages captured');
    await refreshUntil(pane, `mailbox-${added.id}`);
    expect(await pane.getByTestId(`mailbox-error-${added.id}`).count()).toBe(0);
    expect((await mailboxes())[0].status).toMatchObject({ messages_captured: 1, last_error: null });
    const shot = await screenshotPane(page, `mailboxes-admin-${engine}`);
    if (engine === 'sqlite') copyFileSync(shot, join(ROOT, 'docs', 'screenshots', 'mailboxes-admin.png'));

    await pane.getByTestId(`mailbox-delete-${added.id}`).click();
    await pane.getByTestId('mailbox-done').waitFor({ timeout: T });
    await pane.getByText('No support mailboxes yet.').waitFor({ timeout: T });
    expect(await mailboxes()).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    await context.close();
  });
});
