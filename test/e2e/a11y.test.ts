/**
 * Issue 16, items 3 and 4 in Chromium against the real backend: the live region and the focus after each action,
 * axe on the screens touched, and failures that say what failed. The API is made down or hanging with Playwright
 * routes on the pane's own requests to the backend (the pane's files come from the same server, so stopping it
 * would take the pane with it).
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Frame, FrameLocator, Page, Route } from 'playwright-core';
import {
  RESULTS,
  ROOT,
  createBackend,
  ensureAddinBuilt,
  launchBrowser,
  newHostContext,
  openHost,
  runAxe,
  screenshotPane,
  startHostServer,
  type Backend,
} from './harness';
import { loadFixtures, type HostMessage } from './host/messages';
import { ENGINES, createPostgresDatabase } from '../postgres';

jest.setTimeout(180_000);

let host: { url: string; close(): Promise<void> };
let browser: Browser;
let messages: HostMessage[];
const opened: BrowserContext[] = [];
/** Moderate-or-worse axe findings per screen, written to test-results/axe-a11y.json for the report. */
const findings: Record<string, string[]> = {};

beforeAll(async () => {
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
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'axe-a11y.json'), JSON.stringify(findings, null, 2));
});

const API = /\/(crm\/v6|auth)\//;

async function open(
  backend: Backend,
  beforeLoad?: (page: Page) => Promise<void>,
  list: HostMessage[] = messages,
): Promise<{ page: Page; pane: FrameLocator; frame: () => Frame }> {
  const { context, page } = await newHostContext(browser);
  opened.push(context);
  await page.setViewportSize({ width: 1100, height: 900 });
  await beforeLoad?.(page);
  const { pane, frame } = await openHost(page, host.url, {
    messages: list,
    paneUrl: `${backend.url}/taskpane.html`,
    selected: list === messages ? '01-plain-text' : list[0].key,
  });
  return { page, pane, frame };
}

/** Every text the live region says, in order (recorded in the pane from its first mutation). */
async function recordAnnouncements(frame: Frame): Promise<void> {
  await frame.evaluate(() => {
    const w = window as unknown as { said: string[] };
    w.said = [];
    const region = document.querySelector('[data-testid="announcer"]');
    if (!region) throw new Error('no live region');
    new MutationObserver(() => {
      const text = region.textContent ?? '';
      if (text) w.said.push(text);
    }).observe(region, { childList: true, subtree: true, characterData: true });
  });
}
const said = (frame: Frame) => frame.evaluate(() => (window as unknown as { said: string[] }).said);
const focused = (frame: Frame) =>
  frame.evaluate(
    () => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName,
  );

/** Retries `check` on fresh values of `read` for up to 5 s (focus and announcements settle after a render). */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => void): Promise<void> {
  const until = Date.now() + 5_000;
  for (;;) {
    try {
      return check(await read());
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function axe(frame: Frame, screen: string): Promise<string[]> {
  const violations = await runAxe(frame);
  const found = violations
    .filter((v) => v.impact === 'moderate' || v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  findings[screen] = found;
  return found;
}

describe.each(ENGINES)('focus, announcements and failures, backend on %s', (engine) => {
  let backend: Backend;
  let database: { url: string; drop(): Promise<void> } | undefined;
  beforeAll(async () => {
    database = engine === 'postgres' ? await createPostgresDatabase() : undefined;
    backend = await createBackend({ env: database ? { DATABASE_URL: database.url } : {} });
  }, 600_000);
  afterAll(async () => {
    await backend?.stop();
    await database?.drop();
  });

  test('a save is announced once and focused; Open case focuses the h1; Back returns; axe is clean', async () => {
    const { pane, frame } = await open(backend);
    await pane.getByTestId('new-case-form').waitFor();
    await recordAnnouncements(frame());
    expect(await pane.locator('h1').first().textContent()).toBeTruthy();
    const before = await axe(frame(), `message-${engine}`);
    // The harness's axe run skips tabster's guards; inside the tab list there must be none to skip.
    expect(await pane.locator('[role="tablist"] [data-tabster-dummy]').count()).toBe(0);
    // The tab list still works from the keyboard: one Tab stop, arrows move and select.
    await pane.getByTestId('tab-new-case').focus();
    await pane.getByTestId('tab-new-case').press('ArrowRight');
    await eventually(
      () => focused(frame()),
      (v) => expect(v).toBe('tab-link-case'),
    );
    expect(await pane.getByTestId('tab-link-case').getAttribute('aria-selected')).toBe('true');
    expect(await pane.getByTestId('tab-new-case').getAttribute('tabindex')).toBe('-1');
    await pane.getByTestId('tab-link-case').press('ArrowLeft');
    await eventually(
      () => focused(frame()),
      (v) => expect(v).toBe('tab-new-case'),
    );
    await pane.getByTestId('save-case').click();
    const card = pane.getByTestId('created-case');
    await card.waitFor();
    const number = await card.getAttribute('data-case-number');
    await eventually(
      () => focused(frame()),
      (v) => expect(v).toBe('created-case'),
    );
    await eventually(
      () => said(frame()),
      (v) => expect(v).toEqual([`Case ${number} created`]),
    );

    await pane.getByTestId('open-created-case').click();
    await eventually(
      () => focused(frame()),
      (v) => expect(v).toBe('case-heading'),
    );
    expect(await pane.getByTestId('case-heading').evaluate((n) => n.tagName)).toBe('H1');
    const detail = await axe(frame(), `case-${engine}`);
    // Item 5 against the real server: the history names the owner the case was created with, not its id.
    await pane.locator('#case-section-history').click();
    const created = pane.locator('[data-testid="case-timeline"] [data-action="created"]');
    await created.waitFor();
    const history = (await created.textContent()) ?? '';
    expect(history).toMatch(/Case Owner: — → \D/);
    expect(history).not.toMatch(/Case Owner: — → \d/);
    await pane.getByTestId('case-back').click();
    await eventually(
      () => focused(frame()),
      (v) => expect(v).toBe('open-created-case'),
    );
    expect(await said(frame())).toHaveLength(1);
    // The named findings of issue 16 are gone; anything else moderate+ is listed in test-results/axe-a11y.json.
    for (const found of [before, detail]) {
      expect(
        found.filter((f) => /aria-hidden-focus|page-has-heading-one|aria-valid-attr-value/.test(f)),
      ).toEqual([]);
    }
  });

  test('the API down at load: says the service cannot be reached, keeps header and draft; Retry recovers', async () => {
    const down = (route: Route) => route.fulfill({ status: 503, body: 'Service Unavailable' });
    const { page, pane, frame } = await open(backend, async (p) => void (await p.route(API, down)));
    const bar = pane.getByTestId('service-down');
    await bar.waitFor();
    expect(await bar.textContent()).toContain('The Cases service cannot be reached');
    expect(await pane.getByTestId('sign-in-error').count()).toBe(0);
    expect(await pane.getByTestId('message-header').textContent()).toContain(messages[0].subject ?? '');
    await pane.getByTestId('field-Subject').fill('Printer offline (typed while the service was down)');
    const shot = await screenshotPane(page, 'api-down');
    mkdirSync(join(ROOT, 'docs', 'screenshots'), { recursive: true });
    if (engine === 'sqlite') copyFileSync(shot, join(ROOT, 'docs', 'screenshots', 'api-down.png'));
    await axe(frame(), `api-down-${engine}`);

    await page.unroute(API, down);
    await pane.getByTestId('service-retry').click();
    await pane.getByTestId('service-down').waitFor({ state: 'detached' });
    expect(await pane.getByTestId('field-Subject').inputValue()).toBe(
      'Printer offline (typed while the service was down)',
    );
  });

  test('a hanging save says "Still trying…", gives up with Retry within ~10 s, and Retry saves once', async () => {
    // An email of its own: the fixture was saved as a case above, and a linked email opens as its status view.
    const base = messages.find((m) => m.key === '01-plain-text') ?? messages[0];
    const own = {
      ...base,
      key: `hang-${engine}`,
      internetMessageId: `<hang-${engine}@e2e.casepane.example>`,
    };
    own.itemId = `AAMkAGI2-hang-${engine}-AAA=`;
    const { page, pane, frame } = await open(backend, undefined, [own]);
    await pane.getByTestId('new-case-form').waitFor();
    await recordAnnouncements(frame());
    // The request reaches the server (which saves the case) but its answer never comes back.
    const hang = async (route: Route) => {
      await route.fetch().catch(() => undefined);
      await new Promise(() => undefined);
    };
    await page.route('**/crm/v6/Cases/actions/from_email', hang);
    const started = Date.now();
    await pane.getByTestId('save-case').click();
    await pane.getByText('Still trying…').waitFor({ timeout: 6_000 });
    const error = pane.getByTestId('save-error');
    await error.waitFor({ timeout: 12_000 });
    const gaveUpAfter = Date.now() - started;
    expect(gaveUpAfter).toBeLessThan(12_000);
    expect(await error.textContent()).toContain('did not answer in time');
    await eventually(
      () => focused(frame()),
      (v) => expect(v).toBe('save-error'),
    );

    await page.unroute('**/crm/v6/Cases/actions/from_email', hang);
    await pane.getByTestId('retry-save').click();
    const card = pane.getByTestId('created-case');
    await card.waitFor();
    const number = await card.getAttribute('data-case-number');
    expect(await card.textContent()).toContain(`Case ${number} created`);
    await eventually(
      () => said(frame()),
      (v) => expect(v).toEqual([expect.stringContaining('did not answer in time'), `Case ${number} created`]),
    );
    // One case for the email, however many requests were sent.
    const found = await backend.api<{ data?: unknown[] }>(
      'GET',
      `/crm/v6/Cases/search?criteria=${encodeURIComponent(`(Case_Number:equals:${number})`)}`,
    );
    expect(found.body.data).toHaveLength(1);
    process.stdout.write(`a11y e2e (${engine}): hanging save gave up after ${gaveUpAfter} ms\n`);
  });
});
