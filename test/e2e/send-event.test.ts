/**
 * Issue 11, section 3, in the browser: the manifest's launch events run the add-in's real runtime page
 * (dist/addin/commands.html) in the host emulator's launch-event runtime (host/launch-host.js). A reply in a case's
 * thread gets the case reference and X-Casepane-Case when it is opened (OnNewMessageCompose) and is recorded on the
 * case when it is sent (OnMessageSend); with the API hanging the send is still allowed within the handler's time-out
 * and the record waits in the pending links until the pane opens with the API answering; with the server stopped the
 * runtime cannot load and Outlook sends the (already tagged) reply; a host below Mailbox 1.12 never runs a handler.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SEND_TIMEOUT_MS } from '../../src/addin/commands/launch-events';
import { validateManifest } from '../../scripts/validate-manifest';
import {
  CHROMIUM,
  ROOT,
  createBackend,
  ensureAddinBuilt,
  launchBrowser,
  newHostContext,
  openHost,
  startHostServer,
  waitUntil,
  type Backend,
  type HostOptions,
} from './harness';
import type { HostMessage } from './host/messages';
import { ENGINES, createPostgresDatabase } from '../postgres';

// validate-manifest reads the manifest with office-addin-manifest, whose XML reader imports the ESM-only uuid.
jest.mock('uuid', () => ({ v4: () => '00000000-0000-4000-8000-000000000000' }));
jest.setTimeout(300_000);

interface LaunchConfig {
  runtimeUrl: string;
  requires: string;
  events: { type: string; functionName: string; sendMode?: string }[];
}
interface LaunchResult {
  fired: boolean;
  reason?: string;
  allowed?: boolean;
  ms?: number;
  prompted?: boolean;
  timedOut?: boolean;
  unavailable?: boolean;
}
interface SentMessage {
  key: string;
  subject: string;
  headers: Record<string, string>;
}

let host: { url: string; close(): Promise<void> };
let browser: Browser;
let manifestLaunch: Omit<LaunchConfig, 'runtimeUrl'> & { runtimePath: string };

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
  await ensureAddinBuilt();
  // The launch events exactly as the manifest declares them; the runtime page moves to the backend's origin.
  const { problems, facts } = await validateManifest(join(ROOT, 'manifest.xml'));
  expect(problems).toEqual([]);
  manifestLaunch = {
    runtimePath: new URL(facts.launchRuntimeUrl ?? '').pathname,
    requires: facts.overridesMailboxVersion ?? '',
    events: facts.launchEvents ?? [],
  };
  host = await startHostServer();
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

const PENDING_KEY = 'casepane.pending-links.v1';

const fire = (page: Page, type: string, options: { loadTimeoutMs?: number } = {}) =>
  page.evaluate(
    ([t, o]) =>
      (
        window as unknown as { hostEmulator: { launchEvent(t: string, o: unknown): Promise<LaunchResult> } }
      ).hostEmulator.launchEvent(t, o),
    [type, options] as const,
  );
const roamingSettings = (page: Page) =>
  page.evaluate(() =>
    (
      window as unknown as { hostEmulator: { roamingSettings(): Record<string, string> } }
    ).hostEmulator.roamingSettings(),
  );
const sentMessages = (page: Page) =>
  page.evaluate(() => (window as unknown as { hostEmulator: { sent(): SentMessage[] } }).hostEmulator.sent());
const composeSubject = (page: Page, key: string) =>
  page.evaluate(
    (k) =>
      (
        window as unknown as { hostEmulator: { compose(k: string): { subject: string } } }
      ).hostEmulator.compose(k).subject,
    key,
  );

describe.each(ENGINES)('replies linked on send, backend on %s', (engine) => {
  let backend: Backend;
  let database: { url: string; drop(): Promise<void> } | undefined;
  let caseId: string;
  let caseNumber: string;
  const conversation = `conv-send-${engine}`;

  beforeAll(async () => {
    database = engine === 'postgres' ? await createPostgresDatabase() : undefined;
    backend = await createBackend({ env: database ? { DATABASE_URL: database.url } : {} });
    const made = await backend.api<{ data: { details: { id: string; Case_Number: string } }[] }>(
      'POST',
      '/crm/v6/Cases/actions/from_email',
      {
        data: [
          {
            case: { Subject: 'Drukarka nie drukuje', Case_Origin: 'Email', Email: 'anna@klient.example' },
            message: {
              internet_message_id: `<printer-${engine}@klient.example>`,
              conversation_id: conversation,
              from: { name: 'Anna Kowalska', email: 'anna@klient.example' },
              subject: 'Drukarka nie drukuje',
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

  /** The agent's reply being written in the customer's thread. */
  const draft = (key: string): HostMessage => ({
    key,
    itemId: `AAMk-${key}-${engine}`,
    itemType: 'message',
    internetMessageId: '',
    conversationId: conversation,
    subject: 'RE: Drukarka nie drukuje',
    from: { displayName: 'Alex Agent', emailAddress: 'alex.agent@casepane.example' },
    sender: { displayName: 'Alex Agent', emailAddress: 'alex.agent@casepane.example' },
    to: [{ displayName: 'Anna Kowalska', emailAddress: 'anna@klient.example' }],
    cc: [],
    dateTimeCreated: '2026-12-02T09:00:00Z',
    bodyText: `Dzień dobry, wymieniamy toner (${key}).`,
    bodyHtml: null,
    attachments: [],
    compose: true,
    internetHeaders: '',
  });

  async function openCompose(key: string, options: Partial<HostOptions> = {}) {
    const { context, page, watch } = await newHostContext(browser);
    const launch: LaunchConfig = {
      runtimeUrl: `${backend.url}${manifestLaunch.runtimePath}`,
      requires: manifestLaunch.requires,
      events: manifestLaunch.events,
    };
    const hostOptions: HostOptions & { launch: LaunchConfig } = {
      messages: [draft(key)],
      paneUrl: `${backend.url}/taskpane.html`,
      selected: key,
      launch,
      ...options,
    };
    const opened = await openHost(page, host.url, hostOptions);
    return { context, page, watch, ...opened };
  }

  const sentOnCase = async () =>
    (
      await backend.api<{ data: { subject: string; body_text: string | null }[] }>(
        'GET',
        `/crm/v6/Cases/${caseId}/Emails`,
      )
    ).body.data;

  it('Outlook on the web (1.15): the reply gets the reference and header, and is on the case once sent', async () => {
    const { context, page, watch } = await openCompose('reply-web');
    const composed = await fire(page, 'OnNewMessageCompose');
    expect(composed).toMatchObject({ fired: true, allowed: true });
    expect(await composeSubject(page, 'reply-web')).toBe(`RE: Drukarka nie drukuje [Case #${caseNumber}]`);

    const send = await fire(page, 'OnMessageSend');
    expect(send).toMatchObject({ fired: true, allowed: true, timedOut: false, prompted: false });
    const [message] = await sentMessages(page);
    expect(message.subject).toBe(`RE: Drukarka nie drukuje [Case #${caseNumber}]`);
    expect(message.headers['X-Casepane-Case']).toBe(`${caseNumber}; id=${caseId}`);
    const recorded = (await sentOnCase()).filter((e) => (e.body_text ?? '').includes('(reply-web)'));
    expect(recorded).toHaveLength(1);
    expect(recorded[0].subject).toBe(`RE: Drukarka nie drukuje [Case #${caseNumber}]`);
    expect(watch.pageErrors).toEqual([]);
    // Nothing the handlers use is missing from the emulated host. (The compose-mode pane itself reads
    // item.itemId, which a compose item lacks until it is saved — the pane's own, older probe.)
    expect(watch.shimWarnings.filter((w) => !w.endsWith('Office.context.mailbox.item.itemId'))).toEqual([]);
    console.log(`[send-event] ${engine}: OnMessageSend allowed after ${send.ms} ms (runtime load included)`);
    await context.close();
  });

  it('the API hangs: the send is allowed within the time-out, the record waits and the pane sends it later', async () => {
    const { context, page } = await openCompose('reply-slow');
    expect(await fire(page, 'OnNewMessageCompose')).toMatchObject({ fired: true });
    // The API takes the runtime's sign-in and never answers (a stalled node behind the balancer), for longer than any
    // send may wait. Held at sign-in, not at the record call: a request held by the browser's interception can be let
    // through when Outlook (here the emulator) tears the runtime down, while a runtime that is gone sends nothing more.
    const signIn = (url: URL) => url.pathname === '/auth/local/token';
    await context.route(signIn, async (route) => {
      if (route.request().frame().name() !== 'launch-runtime') return route.continue();
      await new Promise((r) => setTimeout(r, 15_000));
      await route.abort('timedout').catch(() => undefined);
    });
    const send = await fire(page, 'OnMessageSend');
    expect(send).toMatchObject({ fired: true, allowed: true, timedOut: false, prompted: false });
    expect(send.ms).toBeGreaterThanOrEqual(SEND_TIMEOUT_MS);
    expect(send.ms).toBeLessThan(SEND_TIMEOUT_MS + 1_500);
    expect((await sentMessages(page)).map((m) => m.headers['X-Casepane-Case'])).toEqual([
      `${caseNumber}; id=${caseId}`,
    ]);
    // The queue is in the add-in's roaming settings, the mailbox store the pane and the runtime share.
    const queued = (await roamingSettings(page))[PENDING_KEY];
    expect(JSON.parse(queued ?? '[]')).toEqual([expect.objectContaining({ caseId, attempts: 0 })]);
    expect((await sentOnCase()).filter((e) => (e.body_text ?? '').includes('(reply-slow)'))).toEqual([]);

    // The pane opens again with the API answering: it sends what is pending, once.
    await context.unroute(signIn);
    await page.evaluate(() =>
      (window as unknown as { hostEmulator: { reloadPane(): void } }).hostEmulator.reloadPane(),
    );
    await waitUntil(
      async () => (await sentOnCase()).some((e) => (e.body_text ?? '').includes('(reply-slow)')),
      30_000,
      'the pending record to reach the case',
    );
    await waitUntil(
      async () => (await roamingSettings(page))[PENDING_KEY] === '[]',
      10_000,
      'the pending queue to empty',
    );
    expect((await sentOnCase()).filter((e) => (e.body_text ?? '').includes('(reply-slow)'))).toHaveLength(1);
    await context.close();
  });

  it('the server stopped: the runtime cannot load, and Outlook sends the tagged reply anyway (PromptUser)', async () => {
    const { context, page } = await openCompose('reply-down');
    expect(await fire(page, 'OnNewMessageCompose')).toMatchObject({ fired: true });
    await backend.stop();
    try {
      const send = await fire(page, 'OnMessageSend', { loadTimeoutMs: 5_000 });
      expect(send).toMatchObject({ fired: true, unavailable: true, allowed: true });
      const [message] = await sentMessages(page);
      expect(message.subject).toBe(`RE: Drukarka nie drukuje [Case #${caseNumber}]`);
      expect(message.headers['X-Casepane-Case']).toBe(`${caseNumber}; id=${caseId}`);
    } finally {
      await backend.start();
    }
    await context.close();
  });

  it('a host at Mailbox 1.11 fires no launch event: no runtime, no reference, nothing recorded', async () => {
    const { context, page } = await openCompose('reply-old', { host: 'new-windows', mailboxVersion: '1.11' });
    expect(await fire(page, 'OnNewMessageCompose')).toMatchObject({ fired: false });
    expect(await fire(page, 'OnMessageSend')).toMatchObject({ fired: false });
    expect(await page.locator('#launch-runtime').count()).toBe(0);
    expect(await composeSubject(page, 'reply-old')).toBe('RE: Drukarka nie drukuje');
    const associated = await page.evaluate(() =>
      (
        window as unknown as { hostEmulator: { log: { type: string; from?: string }[] } }
      ).hostEmulator.log.filter((l) => l.from === 'launch-runtime'),
    );
    expect(associated).toEqual([]);
    expect((await sentOnCase()).filter((e) => (e.body_text ?? '').includes('(reply-old)'))).toEqual([]);
    await context.close();
  });
});
