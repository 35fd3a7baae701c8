/**
 * Issue 9, defect 5, in the browser: without nested app authentication the pane signs in to Entra through the
 * Office dialog, as Microsoft's Outlook NAA sample's fallback does. The emulator's dialog follows Microsoft's
 * documentation (dialog-host.js, office-shim.js): the dialog API is Mailbox 1.4 in Outlook, a start page must be
 * https and of the add-in's own domain, 12006 when the user closes it, 12011 when the browser blocks it.
 *
 * Add-ins are https-only in Outlook, so the pane is served here from https://casepane.test (the browser's requests
 * there are answered by the real backend). Entra itself cannot be reached from this machine: the test answers
 * login.microsoftonline.com with its OpenID metadata, and its authorize endpoint with a refusal (consent declined),
 * so real MSAL in the real dialog page runs its redirect flow out and back. A successful token exchange needs an
 * issuer the API trusts and is left to the unit tests (test/addin/auth/dialog-sign-in.test.ts).
 */
import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
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
import { loadFixtures, type HostMessage } from './host/messages';

jest.setTimeout(180_000);

const PANE_ORIGIN = 'https://casepane.test';
const TENANT = '72f988bf-0000-4000-8000-00000000c0de';
const CLIENT_ID = '6b1c4a7e-0000-4000-8000-0000000c11e7';
const LOGIN = 'https://login.microsoftonline.com';
const T = 60_000;

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

/** What Entra's authorize endpoint was asked, one entry per visit. */
interface Authorize {
  clientId: string | null;
  redirectUri: string | null;
  codeChallengeMethod: string | null;
  scope: string | null;
}

/** The pane on https, the API's sign-in settings saying Entra, and Entra's endpoints answered by the test. */
async function entraContext(): Promise<{ context: BrowserContext; page: Page; authorize: Authorize[] }> {
  const { context, page } = await newHostContext(browser);
  const authorize: Authorize[] = [];
  // Registered after the harness's block on other hosts, so these run first (Playwright: last registered wins).
  await context.route(`${PANE_ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/auth/config')
      return route.fulfill({
        json: {
          mode: 'entra',
          tenantId: TENANT,
          clientId: CLIENT_ID,
          apiScope: `api://${CLIENT_ID}/Cases.ReadWrite`,
        },
      });
    const response = await route.fetch({ url: `${backend.url}${url.pathname}${url.search}` });
    return route.fulfill({ response });
  });
  await context.route(`${LOGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    const base = `${LOGIN}/${TENANT}`;
    if (url.pathname.endsWith('/.well-known/openid-configuration'))
      return route.fulfill({
        json: {
          token_endpoint: `${base}/oauth2/v2.0/token`,
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${base}/oauth2/v2.0/logout`,
          issuer: `${LOGIN}/${TENANT}/v2.0`,
          jwks_uri: `${base}/discovery/v2.0/keys`,
          response_modes_supported: ['query', 'fragment', 'form_post'],
        },
        headers: { 'access-control-allow-origin': '*' },
      });
    if (url.pathname.endsWith('/discovery/instance'))
      return route.fulfill({
        json: {
          tenant_discovery_endpoint: `${base}/v2.0/.well-known/openid-configuration`,
          'api-version': '1.1',
          metadata: [
            {
              preferred_network: 'login.microsoftonline.com',
              preferred_cache: 'login.windows.net',
              aliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com'],
            },
          ],
        },
        headers: { 'access-control-allow-origin': '*' },
      });
    if (url.pathname.endsWith('/oauth2/v2.0/authorize')) {
      const q = url.searchParams;
      authorize.push({
        clientId: q.get('client_id'),
        redirectUri: q.get('redirect_uri'),
        codeChallengeMethod: q.get('code_challenge_method'),
        scope: q.get('scope'),
      });
      // The user declined consent: Entra sends the browser back to the redirect URI with the error.
      const back = new URLSearchParams({
        error: 'access_denied',
        error_description: 'AADSTS65004: User declined to consent to access the app.',
        state: q.get('state') ?? '',
      });
      const mode = q.get('response_mode') === 'query' ? '?' : '#';
      return route.fulfill({ status: 302, headers: { location: `${q.get('redirect_uri')}${mode}${back}` } });
    }
    return route.fulfill({ status: 404, body: 'not emulated' });
  });
  return { context, page, authorize };
}

async function openPane(page: Page, hostName: HostName = 'web', dialogPolicy?: 'block' | 'ignore') {
  return openHost(page, host.url, {
    messages,
    paneUrl: `${PANE_ORIGIN}/taskpane.html`,
    selected: '01-plain-text',
    host: hostName,
    dialogPolicy,
  });
}

const dialog = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { hostEmulator: { dialog(): { url: string } | null } }).hostEmulator.dialog(),
  );

describe('Entra sign-in through the Office dialog (no nested app authentication)', () => {
  it('opens the dialog on the pane origin, runs the redirect flow there, and says what Entra answered', async () => {
    const { context, page, authorize } = await entraContext();
    const { pane } = await openPane(page);
    await pane.getByTestId('sign-in-error').waitFor({ timeout: T });
    // The dialog page, on the pane's own origin, with Entra's settings in its query.
    expect(authorize).toHaveLength(1);
    expect(authorize[0]).toMatchObject({
      clientId: CLIENT_ID,
      redirectUri: `${PANE_ORIGIN}/auth-dialog.html`,
      codeChallengeMethod: 'S256',
    });
    expect(authorize[0].scope).toContain(`api://${CLIENT_ID}/Cases.ReadWrite`);
    await expect(pane.getByTestId('sign-in-error').textContent()).resolves.toContain('AADSTS65004');
    // The pane closed the dialog once it had its answer.
    expect(await dialog(page)).toBeNull();
    await context.close();
  });

  it('tells the agent the window was closed when they close it', async () => {
    const { context, page, authorize } = await entraContext();
    // Hold Entra's answer so the dialog stays open until the agent closes it.
    await context.route(`${LOGIN}/**/oauth2/v2.0/authorize**`, () => new Promise(() => undefined));
    const popup = context.waitForEvent('page', { timeout: T });
    const { pane } = await openPane(page);
    const window = await popup;
    expect(window.url()).toMatch(new RegExp(`^${PANE_ORIGIN}/auth-dialog\\.html\\?`));
    expect((await dialog(page))?.url).toBe(window.url());
    // The agent closes the window, as Outlook lets them.
    await window.close();
    await expect(pane.getByTestId('sign-in-error').textContent({ timeout: T })).resolves.toContain(
      'closed before sign-in finished',
    );
    expect(authorize).toHaveLength(0);
    await context.close();
  });

  it('names a blocked window as blocked (Outlook on the web, pop-ups refused: 12011)', async () => {
    const { context, page } = await entraContext();
    const { pane } = await openPane(page, 'web', 'block');
    await expect(pane.getByTestId('sign-in-error').textContent({ timeout: T })).resolves.toContain('blocked');
    await context.close();
  });

  it('works on classic Outlook on Windows (Mailbox 1.8), where the dialog API is there but no NAA', async () => {
    const { context, page, authorize } = await entraContext();
    const { pane } = await openPane(page, 'classic-windows');
    await pane.getByTestId('sign-in-error').waitFor({ timeout: T });
    expect(authorize).toHaveLength(1);
    await context.close();
  });
});
