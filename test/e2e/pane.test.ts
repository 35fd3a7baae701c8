/**
 * Browser end-to-end tests of the task pane in the Outlook host emulator, against the real backend — on SQLite,
 * and again on PostgreSQL when TEST_DATABASE_URL is set.
 * Chromium (Debian's) runs the production build served by the backend; messages are the .eml
 * fixtures parsed with mailparser. Screenshots: test-results/screenshots/*.png.
 */
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Frame, FrameLocator, Page } from 'playwright-core';
import {
  CHROMIUM,
  RESULTS,
  ROOT,
  createBackend,
  ensureAddinBuilt,
  launchBrowser,
  newHostContext,
  openHost,
  pwnedFrames,
  runAxe,
  screenshot,
  selectMessage,
  setBodyDelay,
  startHostServer,
  type Backend,
  type HostOptions,
  type Watch,
  waitUntil,
  loadedCaseText,
} from './harness';
import { loadFixtures, type HostMessage } from './host/messages';
import { ENGINES, createPostgresDatabase } from '../postgres';
import { validateManifest } from '../../scripts/validate-manifest';

jest.setTimeout(180_000);
// office-addin-manifest's XML reader (used by the manifest check) imports uuid, ESM-only; never called here.
jest.mock('uuid', () => ({ v4: () => '00000000-0000-4000-8000-000000000000' }));

const DESCRIPTION_LIMIT = 32_000;
const haveBrowser = existsSync(CHROMIUM);
const haveEntries =
  existsSync(join(ROOT, 'src/addin/taskpane/index.tsx')) &&
  existsSync(join(ROOT, 'src/addin/taskpane/taskpane.html'));
if (!haveBrowser)
  process.stderr.write(`e2e: ${CHROMIUM} is missing (apt-get install chromium); browser tests fail\n`);

let backend: Backend;
let host: { url: string; close(): Promise<void> };
let browser: Browser;
let messages: HostMessage[];
/** Per engine: ms from pane navigation start to a filled form. */
const timings: Record<string, Record<string, number>> = {};
const opened: BrowserContext[] = [];

const msg = (key: string) => {
  const m = messages.find((x) => x.key === key);
  if (!m) throw new Error(`no fixture ${key}`);
  return m;
};

interface Session {
  page: Page;
  pane: FrameLocator;
  frame: () => Frame;
  watch: Watch;
  context: BrowserContext;
}

async function open(
  selected: string | null,
  options: Partial<HostOptions> & { locale?: string } = {},
): Promise<Session> {
  const { context, page, watch } = await newHostContext(browser, { locale: options.locale });
  opened.push(context);
  const { pane, frame } = await openHost(page, host.url, {
    messages,
    paneUrl: `${backend.url}/taskpane.html`,
    selected,
    ...options,
  });
  return { page, pane, frame, watch, context };
}

/** The form field's value: inputs and textareas by value, dropdowns by their shown text. */
async function fieldValue(pane: FrameLocator, apiName: string): Promise<string> {
  const el = pane.getByTestId(`field-${apiName}`);
  const tag = await el.evaluate((n) => n.tagName.toLowerCase());
  return tag === 'input' || tag === 'textarea' ? el.inputValue() : ((await el.textContent()) ?? '').trim();
}

/** ms from the pane document's navigation start until its Description field holds the message body. */
async function timeToFilledForm(frame: Frame): Promise<number> {
  const handle = await frame.waitForFunction(
    () => {
      const d = document.querySelector<HTMLTextAreaElement>('[data-testid="field-Description"]');
      return d && d.value.length > 0 ? performance.now() : false;
    },
    undefined,
    { polling: 'raf', timeout: 30_000 },
  );
  return Math.round((await handle.jsonValue()) as number);
}

async function expectAccessible(session: Session, label: string): Promise<void> {
  const violations = await runAxe(session.frame());
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (violations.length) {
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, `axe-${label}.json`), JSON.stringify(violations, null, 2));
  }
  expect(
    serious.map(
      (v) => `${v.impact} ${v.id}: ${v.help} @ ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    ),
  ).toEqual([]);
}

/** Office.js members the pane probed that the emulated host does not have (feature detection), per test. */
const probes = new Set<string>();

/**
 * Nothing ran that should not have. Members outside the emulated Office.js subset read undefined, as on a
 * host without them; a pane that feature-detects them (e.g. item.getSharedPropertiesAsync for shared
 * mailboxes) is fine and only reported; one that relied on them would throw and fail on pageErrors.
 */
function expectCleanRun(session: Session): void {
  expect(session.watch.dialogs).toEqual([]);
  expect(session.watch.pageErrors).toEqual([]);
  for (const w of session.watch.shimWarnings) probes.add(w.replace('[office-shim] unsupported: ', ''));
}

async function casesFor(subject: string): Promise<{ id: string; Case_Number: string; Status: string }[]> {
  const r = await backend.api<{
    data?: { id: string; Case_Number: string; Status: string; Subject: string }[];
  }>('GET', `/crm/v6/Cases?fields=id,Case_Number,Status,Subject&per_page=200`);
  return (r.body?.data ?? []).filter((c) => c.Subject === subject);
}

async function linkedNumbers(pane: FrameLocator): Promise<string[]> {
  const ids = await pane
    .locator('[data-testid^="linked-case-"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
  return ids.map((id) => id.replace('linked-case-', '')).sort();
}

async function createFromPane(session: Session): Promise<string> {
  await session.pane.getByTestId('save-case').click();
  const created = session.pane.getByTestId('created-case');
  await created.waitFor({ timeout: 30_000 });
  const number = await created.getAttribute('data-case-number');
  expect(number).toBeTruthy();
  return number as string;
}

beforeAll(async () => {
  if (!haveEntries)
    throw new Error('the task pane entry (src/addin/taskpane/index.tsx + taskpane.html) does not exist yet');
  await ensureAddinBuilt();
  messages = await loadFixtures();
  browser = await launchBrowser();
  host = await startHostServer();
}, 600_000);

afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close().catch(() => undefined)));
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  if (probes.size)
    process.stdout.write(
      `e2e: the pane probed Office.js members outside the emulated subset: ${[...probes].join(', ')}\n`,
    );
  if (Object.keys(timings).length) {
    process.stdout.write(
      `e2e timings (ms from pane navigation start to a filled form): ${JSON.stringify(timings)}\n`,
    );
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, 'e2e-timings.json'), JSON.stringify(timings, null, 2));
  }
});

describe.each(ENGINES)('task pane in the Outlook host emulator, backend on %s', (engine) => {
  let plainCase = '';
  let database: { url: string; drop(): Promise<void> } | undefined;
  const timing: Record<string, number> = (timings[engine] = {});
  beforeAll(async () => {
    database = engine === 'postgres' ? await createPostgresDatabase() : undefined;
    backend = await createBackend({ env: database ? { DATABASE_URL: database.url } : {} });
  }, 600_000);
  afterAll(async () => {
    await backend?.stop();
    await database?.drop();
  });

  test('converts an email to a case with a prefilled form', async () => {
    const started = Date.now();
    const s = await open('01-plain-text');
    timing.plainText = await timeToFilledForm(s.frame());
    timing.plainTextWallClock = Date.now() - started;
    const m = msg('01-plain-text');
    await s.pane.getByTestId('new-case-form').waitFor();
    expect(await fieldValue(s.pane, 'Subject')).toBe(m.subject);
    expect(await fieldValue(s.pane, 'Email')).toBe('jane.doe@contoso.com');
    expect(await fieldValue(s.pane, 'Reported_By')).toBe('Jane Doe');
    expect(await fieldValue(s.pane, 'Case_Origin')).toBe('Email');
    const description = await fieldValue(s.pane, 'Description');
    expect(description).toContain('The HP LaserJet on the 3rd floor (asset tag PRN-3F-02) jams');
    expect(description.trim()).toBe(m.bodyText.trim());
    expect(await s.pane.getByTestId('description-truncated-notice').count()).toBe(0);
    await screenshot(s.page, '01-form-prefilled');
    await expectAccessible(s, 'form');

    plainCase = await createFromPane(s);
    await screenshot(s.page, '02-case-created');
    await expectAccessible(s, 'created');
    const stored = await casesFor(m.subject);
    expect(stored.map((c) => c.Case_Number)).toEqual([plainCase]);
    expectCleanRun(s);
  });

  test('refuses a second case for the same email and shows the linked one', async () => {
    const s = await open('01-plain-text');
    const linked = s.pane.getByTestId(`linked-case-${plainCase}`);
    await linked.waitFor({ timeout: 30_000 });
    await screenshot(s.page, '03-existing-case-linked');
    // If the pane still offers the form, saving must hand back the existing case, never a second one.
    if (await s.pane.getByTestId('save-case').isVisible()) {
      const again = await createFromPane(s);
      expect(again).toBe(plainCase);
      expect(await s.pane.getByTestId('created-case').textContent()).toContain(
        `already been converted: case ${plainCase}`,
      );
      await screenshot(s.page, '03b-duplicate-refused');
    }
    expect((await casesFor(msg('01-plain-text').subject)).length).toBe(1);
    expectCleanRun(s);
  });

  test('links another message to an existing case via search', async () => {
    const s = await open('02-html-only');
    await s.pane.getByTestId('new-case-form').waitFor({ timeout: 30_000 });
    // HTML-only mail: the form gets the text Outlook renders (mailparser's text), not markup.
    const description = await fieldValue(s.pane, 'Description');
    expect(description).toContain('Since the client update 5.2 my VPN connection drops every 10 minutes');
    expect(description).not.toMatch(/<(p|b|html|style)\b/i);

    await s.pane.getByTestId('tab-link-case').click();
    const search = s.pane.getByTestId('link-search-input');
    await search.fill(plainCase);
    await search.press('Enter');
    await s.pane.getByTestId('link-results').getByTestId(`link-case-${plainCase}`).click();
    await s.pane.getByTestId('link-success').waitFor({ timeout: 30_000 });
    await s.pane.getByTestId(`linked-case-${plainCase}`).waitFor({ timeout: 30_000 });
    await screenshot(s.page, '04-linked-via-search');
    const r = await backend.api<{ data?: unknown[] }>(
      'GET',
      `/crm/v6/Emails/cases?internet_message_id=${encodeURIComponent(msg('02-html-only').internetMessageId)}`,
    );
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).toContain(plainCase);
    expectCleanRun(s);
  });

  test('shows the current status in the linked-cases list', async () => {
    const [c] = await casesFor(msg('01-plain-text').subject);
    const put = await backend.api('PUT', `/crm/v6/Cases/${c.id}`, { data: [{ Status: 'Escalated' }] });
    expect(put.status).toBe(200);
    const s = await open('01-plain-text');
    await loadedCaseText(s.pane, plainCase, 'Escalated');
    await screenshot(s.page, '05-linked-status');
    await expectAccessible(s, 'linked');
    expectCleanRun(s);
  });

  test('a thread reply shows the case of its conversation', async () => {
    const first = await open('08-thread-first');
    await first.pane.getByTestId('new-case-form').waitFor({ timeout: 30_000 });
    const threadCase = await createFromPane(first);
    await selectMessage(first.page, '09-thread-reply');
    await first.pane.getByTestId(`linked-case-${threadCase}`).waitFor({ timeout: 30_000 });
    await screenshot(first.page, '06-thread-reply');
    expectCleanRun(first);
  });

  test('switching messages quickly while pinned never shows the wrong message’s cases', async () => {
    const s = await open('03-polish-subject');
    await s.pane.getByTestId('new-case-form').waitFor({ timeout: 30_000 });
    // Make answers arrive out of order: the plain-text message's body and linked cases come late.
    await setBodyDelay(s.page, 0, { '01-plain-text': 900 });
    const slowId = encodeURIComponent(msg('01-plain-text').internetMessageId);
    await s.context.route('**/crm/v6/Emails/cases?**', async (route) => {
      if (route.request().url().includes(slowId)) await new Promise((r) => setTimeout(r, 1200));
      await route.continue().catch(() => undefined);
    });
    const order = [
      '01-plain-text',
      '04-chinese-subject',
      '01-plain-text',
      '02-html-only',
      '01-plain-text',
      '03-polish-subject',
      '01-plain-text',
      '04-chinese-subject',
    ];
    for (const key of order) {
      await selectMessage(s.page, key);
      await s.page.waitForTimeout(60);
    }
    const final = msg('04-chinese-subject');
    // Settled: the form and the list belong to the last selection, also after the slow answers land.
    await waitUntil(
      async () => (await fieldValue(s.pane, 'Subject').catch(() => '')) === final.subject,
      15_000,
      'the form to show the last selection',
    );
    await s.page.waitForTimeout(2_000);
    expect(await fieldValue(s.pane, 'Subject')).toBe(final.subject);
    expect(await fieldValue(s.pane, 'Description')).toContain('三楼的打印机');
    expect(await linkedNumbers(s.pane)).toEqual([]);
    expect(await s.pane.getByTestId(`linked-case-${plainCase}`).count()).toBe(0);
    await screenshot(s.page, '07-after-quick-switching');

    // And back to the slow one: its case appears, and only it.
    await selectMessage(s.page, '01-plain-text');
    await s.pane.getByTestId(`linked-case-${plainCase}`).waitFor({ timeout: 30_000 });
    expect(await linkedNumbers(s.pane)).toEqual([plainCase]);

    // Nothing selected (e.g. a folder emptied): the pane says so instead of keeping the last message.
    await selectMessage(s.page, null);
    await s.pane.getByTestId('no-message').waitFor({ timeout: 15_000 });
    expect(await s.pane.getByTestId('new-case-form').isVisible()).toBe(false);
    expectCleanRun(s);
  });

  test('keeps the draft when the backend stops, and Retry saves exactly one case after it is back', async () => {
    const m = msg('05-attachment');
    const s = await open('05-attachment');
    await s.pane.getByTestId('new-case-form').waitFor({ timeout: 30_000 });
    const subject = s.pane.getByTestId('field-Subject');
    const edited = `${m.subject} (printer room B)`;
    await subject.fill(edited);

    await backend.stop();
    await s.pane.getByTestId('save-case').click();
    const error = s.pane.getByTestId('save-error');
    await error.waitFor({ timeout: 30_000 });
    expect(await subject.inputValue()).toBe(edited);
    await error.scrollIntoViewIfNeeded();
    await screenshot(s.page, '08-backend-stopped');
    await expectAccessible(s, 'save-error');

    await backend.start();
    await s.pane.getByTestId('retry-save').click();
    await s.pane.getByTestId('created-case').waitFor({ timeout: 30_000 });
    await screenshot(s.page, '09-retry-saved');
    expect((await casesFor(edited)).length).toBe(1);
    expect((await casesFor(m.subject)).length).toBe(0);
    expectCleanRun(s);
  });

  test.each([
    ['pl-PL', '03-polish-subject', 'Paweł Zieliński', '10-polish'],
    ['zh-CN', '04-chinese-subject', '王伟', '11-chinese'],
  ])('renders %s with the RFC 2047 subject intact', async (language, key, sender, shot) => {
    const m = msg(key);
    const s = await open(key, { displayLanguage: language, locale: language });
    const ms = await timeToFilledForm(s.frame());
    timing[language] = ms;
    expect(await fieldValue(s.pane, 'Subject')).toBe(m.subject);
    expect(await fieldValue(s.pane, 'Reported_By')).toBe(sender);
    expect((await fieldValue(s.pane, 'Description')).trim()).toBe(m.bodyText.trim());
    await screenshot(s.page, shot);
    // The pane speaks the mailbox language, and says so to assistive technology (WCAG 3.1.1).
    expect(((await s.pane.getByTestId('tab-new-case').textContent()) ?? '').trim()).not.toBe('New case');
    const lang = await s.pane
      .getByTestId('new-case-form')
      .evaluate((form) => form.closest<HTMLElement>('[lang]')?.lang ?? '');
    expect(lang.toLowerCase().slice(0, 2)).toBe(language.slice(0, 2).toLowerCase());
    await expectAccessible(s, language);
    expectCleanRun(s);
  });

  test('truncates only a body over the 32,000-character Description limit and says so', async () => {
    const m = msg('06-large-body');
    expect([...m.bodyText].length).toBeGreaterThan(DESCRIPTION_LIMIT);
    const s = await open('06-large-body');
    timing.largeBody = await timeToFilledForm(s.frame());
    await s.pane.getByTestId('description-truncated-notice').waitFor({ timeout: 30_000 });
    const description = await fieldValue(s.pane, 'Description');
    expect([...description].length).toBeLessThanOrEqual(DESCRIPTION_LIMIT);
    expect(description.slice(0, 200)).toBe(m.bodyText.slice(0, 200));
    expect(description).not.toContain('END-OF-LARGE-BODY-MARKER');
    await screenshot(s.page, '12-large-body-truncated');
    const number = await createFromPane(s);
    const [stored] = await casesFor(m.subject);
    expect(stored.Case_Number).toBe(number);
    expectCleanRun(s);
  });

  test('never runs script, onerror or javascript: content from a message, and shows it as text', async () => {
    const m = msg('07-malicious-html');
    const s = await open('07-malicious-html');
    await s.pane.getByTestId('new-case-form').waitFor({ timeout: 30_000 });
    expect(await fieldValue(s.pane, 'Subject')).toBe(
      'Invoice overdue <img src=x onerror="window.__pwned=1">',
    );
    expect(await fieldValue(s.pane, 'Reported_By')).toBe(m.from.displayName);
    const description = await fieldValue(s.pane, 'Description');
    expect(description).toContain('<script>window.__pwned=1</script>');
    expect(description).toContain('javascript:window.__pwned=1');
    const number = await createFromPane(s);
    await selectMessage(s.page, '01-plain-text');
    await s.pane.getByTestId(`linked-case-${plainCase}`).waitFor({ timeout: 30_000 });
    await selectMessage(s.page, '07-malicious-html');
    await loadedCaseText(s.pane, number, 'Invoice overdue <img src=x onerror="window.__pwned=1">');
    await s.page.waitForTimeout(500);
    const injected = await s.frame().evaluate(() => ({
      handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
      jsLinks: [...document.querySelectorAll('a[href], iframe[src], form[action]')].filter((e) =>
        /^\s*javascript:/i.test(
          e.getAttribute('href') ?? e.getAttribute('src') ?? e.getAttribute('action') ?? '',
        ),
      ).length,
      scripts: [...document.scripts].filter((sc) => !sc.src).map((sc) => sc.textContent?.slice(0, 80)),
    }));
    expect(injected).toEqual({ handlers: 0, jsLinks: 0, scripts: [] });
    expect(await pwnedFrames(s.page)).toEqual([]);
    await screenshot(s.page, '13-malicious-as-text');
    expectCleanRun(s);
  });

  test('the emulated host hands out attachment contents and keeps categories (Mailbox 1.8)', async () => {
    const m = msg('05-attachment');
    // Outlook tags an item only with a category of its mailbox's master list (else InvalidCategory).
    const s = await open('05-attachment', {
      masterCategories: [{ displayName: 'Casepane e2e', color: 'Preset4' }],
    });
    const pdf = m.attachments.find((a) => a.name === 'error-details.pdf');
    expect(pdf).toBeDefined();
    const result = await s.frame().evaluate(
      (id) =>
        new Promise<{ status: string; format?: string; head?: string; added?: string }>((resolve) => {
          const item = (window as unknown as { Office: typeof Office }).Office.context.mailbox
            .item as unknown as {
            getAttachmentContentAsync(
              id: string,
              cb: (r: Office.AsyncResult<Office.AttachmentContent>) => void,
            ): void;
            categories: Office.Categories;
          };
          item.getAttachmentContentAsync(id, (r) => {
            item.categories.addAsync(['Casepane e2e'], (added) =>
              resolve({
                status: r.status as unknown as string,
                format: r.value?.format as unknown as string,
                head: atob(r.value?.content ?? '').slice(0, 8),
                added: added.status as unknown as string,
              }),
            );
          });
        }),
      pdf!.id,
    );
    expect(result).toEqual({ status: 'succeeded', format: 'base64', head: '%PDF-1.4', added: 'succeeded' });
    expect(
      await s.page.evaluate(() =>
        (window as unknown as { hostEmulator: { categories(k: string): string[] } }).hostEmulator.categories(
          '05-attachment',
        ),
      ),
    ).toContain('Casepane e2e');
    expectCleanRun(s);
  });

  test('every URL of the manifest is served by the built add-in', async () => {
    const { problems, facts } = await validateManifest(join(ROOT, 'manifest.xml'));
    expect(problems).toEqual([]);
    const paths = [...new Set(facts.urls.map((u) => new URL(u).pathname).filter((p) => p !== '/'))];
    expect(paths).toEqual(
      expect.arrayContaining([
        '/taskpane.html',
        '/commands.html',
        '/assets/icon-16.png',
        '/assets/icon-128.png',
      ]),
    );
    for (const path of paths) {
      const r = await fetch(`${backend.url}${path}`);
      expect(`${path} ${r.status}`).toBe(`${path} 200`);
      if (path.endsWith('.png')) expect(r.headers.get('content-type')).toBe('image/png');
      // The SupportUrl page is for any browser, outside Outlook: it must not load Office.js; every other page needs it.
      if (path === '/support.html')
        expect(await r.text()).not.toContain('https://appsforoffice.microsoft.com/lib/1/hosted/office.js');
      else if (path.endsWith('.html'))
        expect(await r.text()).toContain('https://appsforoffice.microsoft.com/lib/1/hosted/office.js');
    }
  });

  test('follows the dark Office theme and stays accessible', async () => {
    const s = await open('01-plain-text', { theme: 'dark' });
    await s.pane.getByTestId(`linked-case-${plainCase}`).waitFor({ timeout: 30_000 });
    const bg = await s
      .frame()
      .evaluate(
        () =>
          getComputedStyle(document.querySelector('.fui-FluentProvider') ?? document.body).backgroundColor,
      );
    await screenshot(s.page, '14-dark-theme');
    expect(bg).not.toBe('rgb(255, 255, 255)');
    await expectAccessible(s, 'dark');
    expectCleanRun(s);
  });
});
