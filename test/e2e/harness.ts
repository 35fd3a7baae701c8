/**
 * Browser end-to-end harness: builds the add-in once, runs the real backend as a child process
 * (npx tsx src/server/main.ts, serving dist/addin on its own origin), serves the Outlook host
 * emulator from a second origin, and drives Debian's Chromium with playwright-core. Office.js is
 * routed to test/e2e/host/office-shim.js; every other request off this machine is aborted.
 */
import './dispose-symbols';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  openSync,
  closeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Frame,
  type FrameLocator,
  type Page,
} from 'playwright-core';
import { loadFixtures, type HostMessage } from './host/messages';

export const ROOT = resolve(__dirname, '..', '..');
export const DIST = join(ROOT, 'dist', 'addin');
export const HOST_DIR = join(__dirname, 'host');
export const RESULTS = join(ROOT, 'test-results');
export const SCREENSHOTS = join(RESULTS, 'screenshots');
/** Where the backend runs from: the repo, or (CASEPANE_E2E_SERVER_ROOT) e.g. a `git archive` of a commit. */
export const SERVER_ROOT = process.env.CASEPANE_E2E_SERVER_ROOT
  ? resolve(process.env.CASEPANE_E2E_SERVER_ROOT)
  : ROOT;
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const OFFICE_JS = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((max, f) => Math.max(max, newestMtime(join(path, f))), st.mtimeMs);
}

/**
 * Runs `npx webpack --mode production` unless dist/addin is newer than its sources. A lock directory
 * keeps parallel jest workers from building at the same time. CASEPANE_E2E_SKIP_BUILD=1 trusts dist.
 */
export async function ensureAddinBuilt(): Promise<void> {
  const built = () =>
    existsSync(join(DIST, 'taskpane.html')) ? statSync(join(DIST, 'taskpane.html')).mtimeMs : 0;
  const sources = () =>
    Math.max(
      ...['src/addin', 'src/shared', 'assets', 'webpack.config.js', 'package.json'].map((p) =>
        newestMtime(join(ROOT, p)),
      ),
    );
  if (process.env.CASEPANE_E2E_SKIP_BUILD === '1' && built() > 0) return;
  if (built() > sources()) return;
  const lock = join(tmpdir(), 'casepane-e2e-build.lock');
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - started > 300_000) rmSync(lock, { recursive: true, force: true });
      await sleep(500);
    }
  }
  try {
    if (built() > sources()) return; // another worker built it meanwhile
    execFileSync(join(ROOT, 'node_modules', '.bin', 'webpack'), ['--mode', 'production'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 300_000,
    });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createNetServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
  });
}

export interface Backend {
  url: string;
  port: number;
  dataDir: string;
  process: ChildProcess | null;
  start(): Promise<void>;
  /** SIGTERM to the server's process group (tsx + node), SIGKILL after 5 s. */
  stop(): Promise<void>;
  /** An agent token from the embedded local sign-in. */
  token(email?: string, name?: string): Promise<string>;
  /** GET/POST on the Cases API as an agent. */
  api<T = unknown>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** The same with another token (e.g. one from mint()). */
  apiAs<T = unknown>(
    token: string,
    method: string,
    route: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  /**
   * A token of any role from the local issuer, minted by the CLI (`src/server/cli/mint-token.ts`) with this backend's
   * DATA_DIR: the HTTP sign-in (/auth/local/token) only ever makes agents.
   */
  mint(email: string, role: 'viewer' | 'agent' | 'manager' | 'admin', name?: string): string;
}

/** The real server as a child process on a fixed port and data dir, so it can be stopped and restarted. */
export async function createBackend(
  options: { port?: number; dataDir?: string; env?: Record<string, string> } = {},
): Promise<Backend> {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'casepane-e2e-data-'));
  mkdirSync(RESULTS, { recursive: true });
  const url = `http://127.0.0.1:${port}`;
  let token: string | null = null;
  const backend: Backend = {
    url,
    port,
    dataDir,
    process: null,
    async start() {
      const logFd = openSync(join(RESULTS, `backend-${port}.log`), 'a');
      const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['src/server/main.ts'], {
        cwd: SERVER_ROOT,
        env: {
          ...process.env,
          PORT: String(port),
          HOST: '127.0.0.1',
          DATA_DIR: dataDir,
          ADDIN_DIR: DIST,
          AUTH_MODE: 'local',
          LOG_LEVEL: 'warn',
          DATABASE_URL: '',
          ...options.env,
        },
        stdio: ['ignore', logFd, logFd],
        detached: true,
      });
      closeSync(logFd);
      backend.process = child;
      let exited = false;
      child.once('exit', () => (exited = true));
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (exited) throw new Error(`backend exited during start; see test-results/backend-${port}.log`);
        try {
          const r = await fetch(`${url}/health`);
          if (r.ok) return;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline) throw new Error(`backend not healthy on ${url} after 60 s`);
        await sleep(200);
      }
    },
    async stop() {
      const child = backend.process;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 5_000);
      await gone;
      clearTimeout(timer);
      // The port must be free before a restart binds it again.
      for (let i = 0; i < 50; i++) {
        try {
          await fetch(`${url}/health`);
          await sleep(100);
        } catch {
          break;
        }
      }
      backend.process = null;
    },
    async token(email = 'e2e.checker@casepane.example', name = 'E2E Checker') {
      const r = await fetch(`${url}/auth/local/token`, {
        method: 'POST',
        // As the pane served from this backend (ADDIN_DIR) sends it: the local sign-in answers only the pane's origin.
        headers: { 'content-type': 'application/json', origin: url },
        body: JSON.stringify({ email, name }),
      });
      if (!r.ok) throw new Error(`local sign-in failed: ${r.status} ${await r.text()}`);
      return ((await r.json()) as { access_token: string }).access_token;
    },
    async api<T>(method: string, route: string, body?: unknown) {
      token ??= await backend.token();
      return backend.apiAs<T>(token, method, route, body);
    },
    mint(email, role, name) {
      return execFileSync(
        join(ROOT, 'node_modules', '.bin', 'tsx'),
        [
          'src/server/cli/mint-token.ts',
          '--email',
          email,
          '--role',
          role,
          ...(name ? ['--name', name] : []),
          '--hours',
          '2',
        ],
        {
          cwd: SERVER_ROOT,
          // The backend's own database: local signing keys live there (on PostgreSQL too).
          env: {
            ...process.env,
            DATA_DIR: dataDir,
            AUTH_MODE: 'local',
            DATABASE_URL: '',
            LOG_LEVEL: 'warn',
            ...options.env,
          },
          encoding: 'utf8',
          timeout: 60_000,
        },
      ).trim();
    },
    async apiAs<T>(bearer: string, method: string, route: string, body?: unknown) {
      const r = await fetch(`${url}${route}`, {
        method,
        headers: {
          authorization: `Bearer ${bearer}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      return { status: r.status, body: (text ? JSON.parse(text) : null) as T };
    },
  };
  await backend.start();
  return backend;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
};

/** Serves test/e2e/host/ on its own origin (http://localhost:<port>), like outlook.office.com would. */
export async function startHostServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const name = (req.url ?? '/').split('?')[0].replace(/^\/+/, '') || 'host.html';
    const file = join(HOST_DIR, name);
    if (!/^[\w.-]+\.(html|js)$/.test(name) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    res.end(readFileSync(file));
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { url: `http://localhost:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export interface Watch {
  dialogs: string[];
  pageErrors: string[];
  consoleErrors: string[];
  shimWarnings: string[];
  blockedRequests: string[];
}

/** A browser context whose Office.js is the emulator shim and which cannot reach beyond this machine. */
export async function newHostContext(
  browser: Browser,
  options: { locale?: string } = {},
): Promise<{ context: BrowserContext; page: Page; watch: Watch }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: options.locale ?? 'en-US',
  });
  const watch: Watch = {
    dialogs: [],
    pageErrors: [],
    consoleErrors: [],
    shimWarnings: [],
    blockedRequests: [],
  };
  const shim = readFileSync(join(HOST_DIR, 'office-shim.js'), 'utf8');
  await context.route(OFFICE_JS, (route) =>
    route.fulfill({ status: 200, contentType: 'text/javascript; charset=utf-8', body: shim }),
  );
  await context.route(
    (url) =>
      !['127.0.0.1', 'localhost'].includes(url.hostname) &&
      url.href !== OFFICE_JS &&
      !url.protocol.startsWith('data') &&
      !url.protocol.startsWith('blob') &&
      url.protocol !== 'about:',
    (route) => {
      watch.blockedRequests.push(route.request().url());
      return route.abort('blockedbyclient');
    },
  );
  const page = await context.newPage();
  page.on('dialog', (d) => {
    watch.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => watch.pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.text().startsWith('[office-shim] unsupported')) watch.shimWarnings.push(m.text());
    else if (m.type() === 'error') watch.consoleErrors.push(`${m.location().url || '?'}: ${m.text()}`);
  });
  return { context, page, watch };
}

/** What a browser suite shares: the emulator's host page, one Chromium, the message fixtures, and its contexts. */
export interface EmulatorSuite {
  readonly host: { url: string; close(): Promise<void> };
  readonly browser: Browser;
  readonly fixtures: HostMessage[];
  /** A fresh browser context with the emulator; closed after the test that opened it. */
  context(options?: { locale?: string }): ReturnType<typeof newHostContext>;
}

/**
 * Registers the suite's hooks (build the add-in once, load the fixtures, start Chromium and the host page; close
 * each test's contexts after it, and everything after the suite) and hands out what they started.
 */
export function emulatorSuite(): EmulatorSuite {
  let started: { host: EmulatorSuite['host']; browser: Browser; fixtures: HostMessage[] } | undefined;
  const opened: BrowserContext[] = [];
  const get = () => {
    if (!started) throw new Error('emulatorSuite: used before its beforeAll ran');
    return started;
  };
  beforeAll(async () => {
    await ensureAddinBuilt();
    const fixtures = await loadFixtures();
    const browser = await launchBrowser();
    started = { host: await startHostServer(), browser, fixtures };
  }, 600_000);
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close().catch(() => undefined)));
  });
  afterAll(async () => {
    await started?.browser.close();
    await started?.host.close();
  });
  return {
    get host() {
      return get().host;
    },
    get browser() {
      return get().browser;
    },
    get fixtures() {
      return get().fixtures;
    },
    async context(options) {
      const made = await newHostContext(get().browser, options);
      opened.push(made.context);
      return made;
    },
  };
}

export interface HostOptions {
  messages: HostMessage[];
  paneUrl: string;
  displayLanguage?: string;
  theme?: 'light' | 'dark';
  userProfile?: { displayName: string; emailAddress: string };
  pinned?: boolean;
  bodyDelayMs?: number;
  selected?: string | null;
  /**
   * The host configuration (a platform and a Mailbox requirement set, host.js HOSTS): 'web' (Outlook on the web,
   * 1.15) by default; 'new-windows' 1.14, 'classic-windows' 1.8, 'mac' 1.13, 'mobile' 1.5.
   */
  host?: HostName;
  /** Overrides the host's Mailbox requirement set. */
  mailboxVersion?: string;
  /** The agent's mailbox's master category list; a shared mailbox's own list by owner. */
  masterCategories?: { displayName: string; color: string }[];
  sharedMasterCategories?: Record<string, { displayName: string; color: string }[]>;
  /** The permission the add-in was granted: 'ReadWriteMailbox' (the manifest's) by default. */
  permissions?: 'ReadItem' | 'ReadWriteItem' | 'ReadWriteMailbox';
  /** Whether an Office dialog may open: the user may ignore it (12009), the browser block it (12011). */
  dialogPolicy?: 'allow' | 'ignore' | 'block';
}

export type HostName = 'web' | 'new-windows' | 'classic-windows' | 'mac' | 'mobile';
/** The three configurations the browser suite covers (the full suite on web, a focused set on the others). */
export const HOST_MATRIX: HostName[] = ['web', 'classic-windows', 'mobile'];

/** Opens the host emulator with these messages and waits until the pane's shim has said hello. */
export async function openHost(
  page: Page,
  hostUrl: string,
  options: HostOptions,
): Promise<{ pane: FrameLocator; frame: () => Frame }> {
  await page.goto(`${hostUrl}/host.html`);
  await page.evaluate(
    (o) => (window as unknown as { hostEmulator: { load(o: unknown): void } }).hostEmulator.load(o),
    options as unknown as Record<string, unknown>,
  );
  await page.waitForFunction(
    () => document.getElementById('host-status')?.textContent === 'pane ready',
    undefined,
    { timeout: 30_000 },
  );
  return {
    pane: page.frameLocator('#taskpane'),
    frame: () => {
      const f = page.frame({ name: 'taskpane' });
      if (!f) throw new Error('no task pane frame');
      return f;
    },
  };
}

/** Selects one message; dropEvent: the selection moves but ItemChanged never reaches the pane (office-js#5965). */
export async function selectMessage(
  page: Page,
  key: string | null,
  options: { dropEvent?: boolean } = {},
): Promise<void> {
  await page.evaluate(
    ([k, o]) =>
      (
        window as unknown as { hostEmulator: { select(k: string | null, o: unknown): void } }
      ).hostEmulator.select(k, o),
    [key, options] as const,
  );
}

/** Selects several messages (item multi-select): the pane then has no open item, as in Outlook. */
export async function selectMessages(page: Page, keys: string[]): Promise<void> {
  await page.evaluate(
    (k) =>
      (window as unknown as { hostEmulator: { selectMany(k: string[]): void } }).hostEmulator.selectMany(k),
    keys,
  );
}

/**
 * What the emulated Outlook holds: `compose(key)` a compose item's {subject, bodyText}, `categories(key)` a message's
 * categories, `masterCategories()` the mailbox's master list, `replyForms()` the reply forms the pane opened.
 */
export async function hostCall<T>(
  page: Page,
  fn: 'compose' | 'categories' | 'masterCategories' | 'replyForms',
  key?: string,
): Promise<T> {
  return page.evaluate(
    ([f, k]) =>
      (window as unknown as { hostEmulator: Record<string, (k?: string) => unknown> }).hostEmulator[f](
        k,
      ) as T,
    [fn, key] as const,
  );
}

export async function setBodyDelay(page: Page, ms: number, perKey?: Record<string, number>): Promise<void> {
  await page.evaluate(
    ([d, p]) =>
      (
        window as unknown as { hostEmulator: { setBodyDelay(ms: number, p?: unknown): void } }
      ).hostEmulator.setBodyDelay(d as number, p),
    [ms, perKey ?? null] as const,
  );
}

export async function screenshot(
  page: Page,
  name: string,
  options: { clip?: { x: number; y: number; width: number; height: number } } = {},
): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, ...(options.clip ? { clip: options.clip } : {}) });
  return file;
}

/** Only the add-in pane (the #pane-host column), full height of the viewport. */
export async function screenshotPane(page: Page, name: string): Promise<string> {
  const box = await page.locator('#pane-host').boundingBox();
  return screenshot(page, name, box ? { clip: box } : {});
}

/**
 * Frames of the page where window.__pwned is set (the host, the pane, the reading pane's body).
 * A frame inside the host's sandboxed reading pane (sandbox="" : no scripts at all) may never get a script
 * context, so evaluating there can wait forever; such a frame gets 5 s and then counts as clean because
 * nothing can run in it. Any other frame that does not answer is reported.
 */
export async function pwnedFrames(page: Page): Promise<string[]> {
  const sandboxed = await page.evaluate(
    () => document.getElementById('reading-body')?.getAttribute('sandbox') ?? null,
  );
  const hits: string[] = [];
  for (const f of page.frames()) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'no answer'>((r) => (timer = setTimeout(() => r('no answer'), 5_000)));
    const value = await Promise.race([
      f
        .evaluate(() => typeof (window as unknown as { __pwned?: unknown }).__pwned)
        .catch((e: Error) => `error: ${e.message.split('\n')[0]}`),
      timeout,
    ]);
    clearTimeout(timer);
    if (value === 'undefined') continue;
    let inReadingPane = false;
    for (let a: Frame | null = f; a; a = a.parentFrame())
      if (a.url() === 'about:srcdoc' && a.parentFrame() === page.mainFrame()) inReadingPane = true;
    if (
      inReadingPane &&
      sandboxed === '' &&
      value !== 'number' &&
      value !== 'string' &&
      value !== 'boolean' &&
      value !== 'object'
    )
      continue;
    hits.push(`${f.url() || f.name() || '(frame)'}: ${value}`);
  }
  return hits;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/** Runs axe-core inside a frame (evaluated, so the pane's CSP stays on) and returns its violations. */
export async function runAxe(frame: Frame): Promise<AxeViolation[]> {
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await frame.evaluate(source);
  return frame.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    // Tabster (Fluent UI's focus manager) inserts aria-hidden <i tabindex=0 data-tabster-dummy> focus sentinels
    // on purpose, to wrap focus; axe's aria-hidden-focus flags them though no user ever lands on them.
    const result = await axe.run(
      { exclude: [['[data-tabster-dummy]']] },
      {
        resultTypes: ['violations'],
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      },
    );
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: n.html.slice(0, 200) })),
    }));
  });
}

/** Polls `check` until it holds; fails naming `what` after `timeoutMs`. */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The text of the open email's case once it has loaded. The case card appears at once with a spinner and
 * fills in when the case has been read (CaseStatusCard), so reading its text on first sight races the load.
 */
export async function loadedCaseText(
  pane: FrameLocator,
  caseNumber: string,
  expected: string,
): Promise<string> {
  const item = pane.getByTestId(`linked-case-${caseNumber}`);
  await item.waitFor({ timeout: 30_000 });
  let text = '';
  await waitUntil(
    async () => (text = (await item.textContent()) ?? '').includes(expected),
    30_000,
    `case ${caseNumber} to show "${expected}"`,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last text: "${text}"`);
  });
  return text;
}
