/**
 * Issue 9, item 7: the pane on a phone — 320 px wide, touch input, a mobile host at Mailbox 1.5 — never scrolls
 * sideways and every control is a touch-sized target (44 x 44 px). Screenshot: test-results/screenshots/mobile-320-touch.png.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import {
  CHROMIUM,
  HOST_DIR,
  OFFICE_JS,
  createBackend,
  ensureAddinBuilt,
  launchBrowser,
  openHost,
  screenshotPane,
  startHostServer,
  type Backend,
} from './harness';
import { loadFixtures, type HostMessage } from './host/messages';

jest.setTimeout(180_000);

const WIDTH = 320;
const TARGET = 44;
let backend: Backend;
let host: { url: string; close(): Promise<void> };
let browser: Browser;
let messages: HostMessage[];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
  await ensureAddinBuilt();
  messages = await loadFixtures();
  backend = await createBackend();
  host = await startHostServer();
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await backend?.stop();
});

/** A phone: small touch screen; Office.js is the emulator's shim, nothing leaves the machine. */
async function phone(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: WIDTH, height: 640 },
    hasTouch: true,
    // Not isMobile: the emulator's host page has no viewport meta and would lay out at 980 px.
    isMobile: false,
    deviceScaleFactor: 2,
  });
  const shim = readFileSync(join(HOST_DIR, 'office-shim.js'), 'utf8');
  await context.route(OFFICE_JS, (route) =>
    route.fulfill({ status: 200, contentType: 'text/javascript; charset=utf-8', body: shim }),
  );
  await context.route(
    (url) => !['127.0.0.1', 'localhost'].includes(url.hostname) && url.href !== OFFICE_JS,
    (route) => route.abort('blockedbyclient'),
  );
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

/** Outlook mobile shows the pane full width: hide the emulator's message list and reading pane. */
async function paneFullWidth(page: Page): Promise<void> {
  await page.evaluate(() => {
    const main = document.querySelector('main');
    if (main) main.style.gridTemplateColumns = '1fr';
    for (const id of ['message-list', 'reading-pane']) {
      const box = document.getElementById(id)?.closest<HTMLElement>('nav, section');
      if (box) box.style.display = 'none';
    }
  });
}

interface Layout {
  width: number;
  scrollWidth: number;
  coarse: boolean;
  small: { what: string; width: number; height: number }[];
  checked: number;
}

async function layout(frame: Frame): Promise<Layout> {
  return frame.evaluate((target) => {
    const selector =
      'button, [role="tab"], a[href], .fui-Input, .fui-Textarea, .fui-Dropdown, .fui-Combobox, .fui-Checkbox, .fui-Switch';
    const visible = [...document.querySelectorAll<HTMLElement>(selector)].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    });
    const small = visible
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ el, r }) => {
        // Text fields only need the height: they are as wide as the pane.
        const field = el.matches('.fui-Input, .fui-Textarea, .fui-Dropdown, .fui-Combobox');
        return r.height < target || (!field && r.width < target);
      })
      .map(({ el, r }) => ({
        what: `${el.tagName.toLowerCase()}${el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`,
        width: Math.round(r.width),
        height: Math.round(r.height),
      }));
    return {
      width: window.innerWidth,
      scrollWidth: document.documentElement.scrollWidth,
      coarse: matchMedia('(pointer: coarse)').matches,
      small,
      checked: visible.length,
    };
  }, TARGET);
}

describe('the pane on a phone (320 px, touch, Mailbox 1.5)', () => {
  it('fits 320 px without sideways scrolling and has touch-sized targets', async () => {
    const { context, page, errors } = await phone();
    const m = messages.find((x) => x.key === '01-plain-text') ?? messages[0];
    const { pane, frame } = await openHost(page, host.url, {
      messages,
      paneUrl: `${backend.url}/taskpane.html`,
      selected: m.key,
      mailboxVersion: '1.5',
    });
    await paneFullWidth(page);
    await pane.getByTestId('field-Subject').waitFor({ timeout: 60_000 });
    const measured = await layout(frame());
    await screenshotPane(page, 'mobile-320-touch');
    expect(measured.coarse).toBe(true);
    expect(measured.width).toBe(WIDTH);
    expect(measured.scrollWidth).toBeLessThanOrEqual(WIDTH);
    expect(measured.checked).toBeGreaterThan(5);
    expect(measured.small).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
