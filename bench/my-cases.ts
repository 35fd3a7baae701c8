/**
 * My cases in the pane (issue 12): cold opens in Debian's Chromium through the Outlook host emulator against the
 * real backend — SQLite, and PostgreSQL too when TEST_DATABASE_URL names a server. Each load is a fresh browser
 * context (empty cache, so the lazily loaded My cases chunk is downloaded each time). Measured in the pane:
 * from the click on "My cases" until its rows show (target ≤ 400 ms, median of `runs`), and from the pane
 * document's start until then. The agent owns 50 open cases, 30 of them with a customer email, and an escalation
 * rule is active, so every row has its last message and due time to show.
 * Alone: `npx tsx bench/my-cases.ts`; in `npm run bench`: BENCH_ONLY=my-cases.
 */
import { existsSync } from 'node:fs';
import {
  CHROMIUM,
  createBackend,
  ensureAddinBuilt,
  launchBrowser,
  newHostContext,
  openHost,
  startHostServer,
  type Backend,
} from '../test/e2e/harness';
import { loadFixtures } from '../test/e2e/host/messages';
import { ENGINES, createPostgresDatabase } from '../test/postgres';
import { median, table } from './lib/stats';

const AGENT = { displayName: 'Alex Agent', emailAddress: 'alex.agent@casepane.example' };

export interface MyCasesTiming {
  engine: string;
  runs: number;
  clickToRowsMs: number;
  paneStartToRowsMs: number;
  clickSamples: number[];
  startSamples: number[];
}

async function seed(backend: Backend): Promise<void> {
  const token = await backend.token(AGENT.emailAddress, AGENT.displayName);
  const me = await backend.apiAs<{ users: { id: string }[] }>(token, 'GET', '/crm/v6/users?type=CurrentUser');
  const owner = me.body.users[0].id;
  const priorities = ['High', 'Medium', 'Low', null];
  const emails = Array.from({ length: 30 }, (_, i) => ({
    case: {
      Subject: `Customer issue ${i}`,
      Case_Origin: 'Email',
      Email: `customer${i}@example.com`,
      Priority: priorities[i % 4],
      Owner: owner,
    },
    message: {
      internet_message_id: `<bench-my-cases-${i}@bench.casepane.example>`,
      item_id: `AAMkBench${i}AAA=`,
      mailbox: AGENT.emailAddress,
      from: { name: 'Customer', email: `customer${i}@example.com` },
      subject: `Customer issue ${i}`,
      body_text: 'The device stopped working after the update.',
    },
  }));
  const r = await backend.apiAs(token, 'POST', '/crm/v6/Cases/actions/from_email', { data: emails });
  if (r.status !== 201) throw new Error(`seeding cases from email: ${r.status}`);
  const plain = Array.from({ length: 20 }, (_, i) => ({
    Subject: `Phone call ${i}`,
    Case_Origin: 'Phone',
    Priority: priorities[i % 4],
    Owner: owner,
  }));
  if ((await backend.apiAs(token, 'POST', '/crm/v6/Cases', { data: plain })).status !== 201)
    throw new Error('seeding cases');
  const admin = backend.mint('bench.admin@casepane.example', 'admin');
  const rule = await backend.apiAs(admin, 'POST', '/crm/v6/settings/escalation_rules', {
    data: [{ name: 'Any in 24 h', hours: 24, to_owners_manager: true, active: true }],
  });
  if (rule.status !== 201) throw new Error(`seeding the escalation rule: ${rule.status}`);
}

async function timeEngine(engine: string, runs: number, log: (s: string) => void): Promise<MyCasesTiming> {
  const database = engine === 'postgres' ? await createPostgresDatabase() : undefined;
  const backend = await createBackend({
    env: {
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000',
      ...(database ? { DATABASE_URL: database.url } : {}),
    },
  });
  const host = await startHostServer();
  const browser = await launchBrowser();
  try {
    await seed(backend);
    const messages = await loadFixtures();
    const clickSamples: number[] = [];
    const startSamples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const { context, page } = await newHostContext(browser);
      try {
        const { frame } = await openHost(page, host.url, {
          messages,
          paneUrl: `${backend.url}/taskpane.html`,
          selected: null,
          userProfile: AGENT,
        });
        await frame().waitForSelector('[data-testid="open-my-cases"]', { timeout: 30_000 });
        // Functions, not strings: the pane's CSP forbids eval. The click and its clock start in the pane itself.
        const clickedAt = (await frame().evaluate(() => {
          const t0 = performance.now();
          document.querySelector<HTMLButtonElement>('[data-testid="open-my-cases"]')?.click();
          return t0;
        })) as number;
        const rowsAt = await frame().waitForFunction(
          () =>
            document.querySelectorAll('[data-testid="queue-row"]').length >= 50 ? performance.now() : false,
          undefined,
          { polling: 'raf', timeout: 30_000 },
        );
        const at = (await rowsAt.jsonValue()) as number;
        clickSamples.push(Math.round(at - clickedAt));
        startSamples.push(Math.round(at));
      } finally {
        await context.close();
      }
    }
    const result = {
      engine,
      runs,
      clickToRowsMs: median(clickSamples),
      paneStartToRowsMs: median(startSamples),
      clickSamples,
      startSamples,
    };
    log(
      `  my cases (${engine}): median of ${runs} cold loads — click to rows ${result.clickToRowsMs} ms, pane start to rows ${result.paneStartToRowsMs} ms`,
    );
    return result;
  } finally {
    await browser.close();
    await host.close();
    await backend.stop();
    await database?.drop();
  }
}

export async function myCasesTimings(
  runs: number,
  log: (s: string) => void,
): Promise<MyCasesTiming[] | { note: string }> {
  if (!existsSync(CHROMIUM)) return { note: `${CHROMIUM} is missing (apt-get install chromium)` };
  await ensureAddinBuilt();
  const results: MyCasesTiming[] = [];
  for (const engine of ENGINES) results.push(await timeEngine(engine, runs, log));
  return results;
}

if (require.main === module) {
  myCasesTimings(Number(process.env.BENCH_PANE_RUNS ?? 20), (s) => process.stdout.write(`${s}\n`)).then(
    (r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`),
    (e: unknown) => {
      process.stderr.write(`${String(e)}\n`);
      process.exit(1);
    },
  );
}

/** The bench table: one row per engine. */
export function myCasesTable(timings: MyCasesTiming[]): { text: string; markdown: string } {
  return table(
    `My cases in Chromium: median of ${timings[0]?.runs ?? 0} cold opens (fresh browser context each), 50 open cases`,
    ['engine', 'click to rows, median ms', 'min ms', 'max ms', 'pane start to rows, median ms', 'target'],
    timings.map((t) => [
      t.engine,
      t.clickToRowsMs,
      Math.min(...t.clickSamples),
      Math.max(...t.clickSamples),
      t.paneStartToRowsMs,
      t.clickToRowsMs <= 400 ? '≤ 400 ms met' : '≤ 400 ms MISSED',
    ]),
  );
}
