/**
 * Issue 9, item 9, in the browser: the Office theme is Mailbox 1.14. A dark Office on a host below it (classic
 * Windows 1.8, mobile 1.5) leaves the pane in its light theme — the emulator offers no officeTheme there, as
 * Outlook does not — and a host at 1.14 or later gets the dark pane.
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
} from './harness';
import { loadFixtures, type HostMessage } from './host/messages';

jest.setTimeout(180_000);

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

describe('the Office theme behind Mailbox 1.14', () => {
  it.each([
    ['classic-windows', false],
    ['mobile', false],
    ['new-windows', true],
    ['web', true],
  ] as const)('dark Office on %s: dark pane %s', async (hostName, dark) => {
    const { context, page, watch } = await newHostContext(browser);
    const { pane, frame } = await openHost(page, host.url, {
      messages,
      paneUrl: `${backend.url}/taskpane.html`,
      selected: '01-plain-text',
      theme: 'dark',
      host: hostName,
    });
    await pane.getByTestId('field-Subject').waitFor({ timeout: 60_000 });
    const bg = await frame().evaluate(
      () => getComputedStyle(document.querySelector('.fui-FluentProvider') ?? document.body).backgroundColor,
    );
    if (dark) expect(bg).not.toBe('rgb(255, 255, 255)');
    else expect(bg).toBe('rgb(255, 255, 255)');
    expect(watch.pageErrors).toEqual([]);
    await context.close();
  });
});
