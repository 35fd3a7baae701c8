/**
 * Browser test of the Reports view (issue 12) in the Outlook host emulator against the real backend, on SQLite and
 * (with TEST_DATABASE_URL) PostgreSQL. The scripted history of test/server/reports/history.ts is written into the
 * backend's database from here (known times); a manager opens every report, changes the date range and the owner,
 * exports CSV, and the numbers on screen and in the file are checked against a recount of the raw rows.
 * Screenshots: test-results/screenshots/reports-*.png (light and dark).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Frame, FrameLocator, Page } from 'playwright-core';
import { mintLocalToken } from '../../src/server/auth/local-issuer';
import { openStorage, type Storage } from '../../src/server/db/database';
import { REPORT_NAMES } from '../../src/shared/report-types';
import {
  CHROMIUM,
  createBackend,
  emulatorSuite,
  openHost,
  runAxe,
  screenshotPane,
  type Backend,
} from './harness';
import { ENGINES, createPostgresDatabase } from '../postgres';
import { type History, type HistoryTarget, scriptedHistory, tokenOf } from '../server/reports/history';

jest.setTimeout(300_000);
if (!existsSync(CHROMIUM)) process.stderr.write(`e2e: ${CHROMIUM} is missing; browser tests fail\n`);

const T = 30_000;

/** Waits until `get` yields what is expected (the view reloads after each filter change), then asserts it. */
async function eventually<V>(get: () => Promise<V>, expected: V): Promise<void> {
  const deadline = Date.now() + T;
  let last = await get();
  while (JSON.stringify(last) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    last = await get();
  }
  expect(last).toEqual(expected);
}
const e2e = emulatorSuite();

describe.each(ENGINES)('reports in the pane, backend on %s', (engine) => {
  let backend: Backend;
  let database: { url: string; drop(): Promise<void> } | undefined;
  let storage: Storage;
  let target: HistoryTarget;
  let h: History;
  beforeAll(async () => {
    database = engine === 'postgres' ? await createPostgresDatabase() : undefined;
    backend = await createBackend({ env: database ? { DATABASE_URL: database.url } : {} });
    storage = await openStorage({ databaseUrl: database?.url, dataDir: backend.dataDir });
    const tokens = new Map<string, string>();
    target = {
      engine,
      db: storage.db,
      async token(role, email, name) {
        // Minted here with the backend's keys (the CLI cannot take a name that starts with a dash).
        if (!tokens.has(email))
          tokens.set(
            email,
            await mintLocalToken(
              { dataDir: backend.dataDir, databaseUrl: database?.url },
              { email, role, name },
            ),
          );
        return tokens.get(email) as string;
      },
      async call(method, route, { token, json }) {
        const r = await backend.apiAs(token, method, route, json);
        return { ...r, text: JSON.stringify(r.body) };
      },
    };
    h = await scriptedHistory(target);
  }, 600_000);
  afterAll(async () => {
    await storage?.close();
    await backend?.stop();
    await database?.drop();
  });

  async function openReports(
    theme: 'light' | 'dark' = 'light',
  ): Promise<{ page: Page; pane: FrameLocator; frame: () => Frame }> {
    const { context, page } = await e2e.context();
    const token = await tokenOf(target, 'boss');
    // The pane's local sign-in only makes agents: hand it the manager's token.
    await context.route('**/auth/local/token', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 }),
      }),
    );
    const m = e2e.fixtures[0];
    const { pane, frame } = await openHost(page, e2e.host.url, {
      messages: [m],
      paneUrl: `${backend.url}/taskpane.html`,
      selected: m.key,
      theme,
      userProfile: { displayName: 'Beata Szefowa', emailAddress: 'boss@example.com' },
    });
    await pane.getByTestId('open-reports').click({ timeout: T });
    await pane.getByTestId('report-table').waitFor({ timeout: T });
    return { page, pane, frame };
  }

  /** The table's body rows, cell texts. */
  async function tableRows(pane: FrameLocator): Promise<string[][]> {
    await pane.locator('[data-testid="reports-view"] [aria-busy="false"]').waitFor({ timeout: T });
    return pane
      .getByTestId('report-table')
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())),
      );
  }

  async function show(pane: FrameLocator, report: string): Promise<void> {
    await pane.getByTestId('report-pick').selectOption(report);
    await pane.getByTestId('report-table').waitFor({ timeout: T });
  }

  const raw = async () =>
    (await storage.db.selectFrom('cases').select(['status', 'owner_id', 'created_time']).execute()).map(
      (c) => ({
        status: c.status,
        owner: c.owner_id === null ? null : String(c.owner_id),
        created: Date.parse(c.created_time),
      }),
    );

  test('a manager opens every report: the table shows what the API answers, the chart beside it; axe is clean', async () => {
    const { pane, frame } = await openReports();
    const token = await tokenOf(target, 'boss');
    const findings: Record<string, string[]> = {};
    for (const name of REPORT_NAMES) {
      await show(pane, name);
      const api = await backend.apiAs<{ data: unknown[] }>(token, 'GET', `/crm/v6/reports/${name}`);
      await eventually(async () => (await tableRows(pane)).length, api.body.data.length);
      expect(await pane.getByTestId('report-chart').getAttribute('aria-hidden')).toBe('true');
      // Issue 16: one h1 on the screen and nothing moderate or worse for axe, on every report.
      expect(await pane.locator('h1:visible').count()).toBe(1);
      findings[name] = (await runAxe(frame()))
        .filter((v) => v.impact === 'moderate' || v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
    expect(findings).toEqual(Object.fromEntries(REPORT_NAMES.map((name) => [name, []])));
  });

  test('open cases by status and owner, then one owner, match a recount; the CSV too', async () => {
    const { page, pane } = await openReports();
    await show(pane, 'open_by_status_owner');
    const team = new Set([h.people.boss, h.people.anna, h.people.bob]);
    const open = (await raw()).filter((c) => c.status !== 'Closed' && c.owner !== null && team.has(c.owner));
    const sum = (rows: string[][]) => rows.reduce((s, r) => s + Number(r[r.length - 1]), 0);
    await eventually(async () => sum(await tableRows(pane)), open.length);
    await pane.getByTestId('report-owner').selectOption(h.people.bob);
    const bobs = open.filter((c) => c.owner === h.people.bob).length;
    await eventually(async () => sum(await tableRows(pane)), bobs);
    expect((await tableRows(pane)).every((r) => r[1] === 'Bob Wiśniewski')).toBe(true);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      pane.getByTestId('report-export').click(),
    ]);
    expect(download.suggestedFilename()).toBe('open_by_status_owner.csv');
    const bytes = readFileSync(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe('scope,status,owner_id,owner_name,count');
    expect(lines.slice(1).reduce((s, l) => s + Number(l.split(',').pop()), 0)).toBe(bobs);
    expect(lines.slice(1).every((l) => l.includes('Bob Wiśniewski'))).toBe(true);
  });

  test('first response over the scripted weeks, for one owner: the exact median and p90; light and dark', async () => {
    for (const theme of ['light', 'dark'] as const) {
      const { page, pane } = await openReports(theme);
      await show(pane, 'first_response');
      await pane.getByTestId('report-from').fill(h.from);
      await pane.getByTestId('report-to').fill(h.to);
      // anna: 2 h, 4 h and 2 h; bob: 8 h and 30 min (see history.ts).
      await eventually(
        async () => (await tableRows(pane)).map((r) => r.slice(1)),
        [
          ['3', '2', '4'],
          ['2', '4.3', '8'],
        ],
      );
      await screenshotPane(page, `reports-first-response-${theme}`);
      await pane.getByTestId('report-owner').selectOption(h.people.anna);
      await eventually(async () => (await tableRows(pane)).map((r) => r.slice(1)), [['3', '2', '4']]);
      await show(pane, 'created_vs_closed');
      await pane.getByTestId('report-owner').selectOption('');
      await pane.getByTestId('report-interval').selectOption('week');
      const inRange = (await raw()).filter(
        (c) =>
          c.owner !== null &&
          [h.people.anna, h.people.bob, h.people.boss].includes(c.owner) &&
          c.created >= h.base.getTime() &&
          c.created < h.base.getTime() + 14 * 86_400_000,
      );
      await eventually(
        async () => (await tableRows(pane)).reduce((s, r) => s + Number(r[1]), 0),
        inRange.length,
      );
      await screenshotPane(page, `reports-created-closed-${theme}`);
    }
  });
});
