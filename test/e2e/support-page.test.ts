/**
 * Issue 9, item 8: the manifest's SupportUrl is a real support page (what Casepane does, how to get help, the
 * version) in en / pl / zh-CN, served by the add-in and working in a plain browser, outside Outlook.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, ROOT, createBackend, ensureAddinBuilt, launchBrowser, type Backend } from './harness';

jest.setTimeout(180_000);

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
let backend: Backend;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
  await ensureAddinBuilt();
  backend = await createBackend();
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await backend?.stop();
});

/** Opens the page in a fresh context (no Office.js route at all) and records every error and off-origin request. */
async function openSupport(query: string, options: { locale?: string; width?: number } = {}) {
  const context = await browser.newContext({
    locale: options.locale ?? 'en-US',
    viewport: { width: options.width ?? 800, height: 700 },
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const foreign: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (!url.startsWith(backend.url)) {
      foreign.push(url);
      return route.abort();
    }
    return route.continue();
  });
  const response = await page.goto(`${backend.url}/support.html${query}`);
  await page.getByTestId('support-version').waitFor({ timeout: 15_000 });
  return { page, context, response, errors, foreign };
}

const text = (page: Page, id: string) => page.getByTestId(id).innerText();

describe('support page (SupportUrl)', () => {
  it('is what the manifest names as SupportUrl', () => {
    const xml = readFileSync(join(ROOT, 'manifest.xml'), 'utf8');
    expect(/<SupportUrl DefaultValue="([^"]+)"/.exec(xml)?.[1]).toBe('https://localhost:3000/support.html');
  });

  it('loads outside Outlook, in English by default, with the version and no error', async () => {
    const s = await openSupport('');
    expect(s.response?.status()).toBe(200);
    expect(s.response?.headers()['content-security-policy']).toContain("default-src 'self'");
    expect(await s.page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await text(s.page, 'support-title')).toBe('Casepane help');
    expect(await text(s.page, 'support-help')).toMatch(/administrator or your IT help desk/);
    expect(await text(s.page, 'support-version')).toBe(`Version ${VERSION}`);
    expect(await s.page.evaluate(() => 'Office' in window)).toBe(false);
    expect(s.errors).toEqual([]);
    expect(s.foreign).toEqual([]);
    await s.context.close();
  });

  it.each([
    ['?lang=pl', 'en-US', 'pl', 'Pomoc Casepane', `Wersja ${VERSION}`],
    ['?lang=zh-CN', 'en-US', 'zh-CN', 'Casepane 帮助', `版本 ${VERSION}`],
    ['', 'pl-PL', 'pl', 'Pomoc Casepane', `Wersja ${VERSION}`],
    ['', 'zh-CN', 'zh-CN', 'Casepane 帮助', `版本 ${VERSION}`],
    ['?lang=de', 'pl-PL', 'pl', 'Pomoc Casepane', `Wersja ${VERSION}`],
    ['?lang=en', 'zh-CN', 'en', 'Casepane help', `Version ${VERSION}`],
  ])('%s with browser %s shows %s', async (query, locale, lang, title, version) => {
    const s = await openSupport(query, { locale });
    expect(await s.page.evaluate(() => document.documentElement.lang)).toBe(lang);
    expect(await text(s.page, 'support-title')).toBe(title);
    expect(await text(s.page, 'support-version')).toBe(version);
    expect(s.errors).toEqual([]);
    await s.context.close();
  });

  it('switches language by its links and fits a 320 px phone without sideways scrolling', async () => {
    const s = await openSupport('', { width: 320 });
    expect(await s.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await s.page.getByRole('link', { name: 'Polski' }).click();
    await s.page.waitForURL(/\?lang=pl$/);
    await s.page.getByText('Pomoc Casepane').waitFor();
    expect(s.errors).toEqual([]);
    await s.context.close();
  });
});
