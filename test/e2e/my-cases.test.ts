/**
 * My cases in the Outlook host emulator against the real backend (SQLite, and PostgreSQL when TEST_DATABASE_URL is
 * set): the agent's open cases in priority-then-age order with last customer message and escalation time, a case
 * opened from the list, a saved custom view, a new view saved from the pane, and "Open email" through
 * displayMessageForm. Screenshots: test-results/screenshots/my-cases-{light,dark}.png.
 */
import type { FrameLocator, Page } from 'playwright-core';
import { createBackend, emulatorSuite, openHost, runAxe, screenshotPane, type Backend } from './harness';
import type { HostMessage } from './host/messages';
import { ENGINES, createPostgresDatabase } from '../postgres';

jest.setTimeout(240_000);

const T = 30_000;
const AGENT = { displayName: 'Alex Agent', emailAddress: 'alex.agent@casepane.example' };

const e2e = emulatorSuite();

/** A copy of the first fixture as its own message (own Message-ID, item id and conversation). */
function variant(key: string, subject: string): HostMessage {
  const m = structuredClone(e2e.fixtures[0]);
  return {
    ...m,
    key,
    subject,
    internetMessageId: `<${key}@e2e.casepane.example>`,
    itemId: `AAMkAGI2-${key}-AAA=`,
    conversationId: `AAQkAGI2-${key}=`,
    attachments: [],
  };
}

interface Rec {
  id: string;
  Case_Number: string;
  Status: string;
  Priority: string | null;
  Owner: { id: string } | null;
  Created_Time: string;
}

async function rowIds(pane: FrameLocator): Promise<string[]> {
  await pane.getByTestId('queue-rows').waitFor({ timeout: T });
  return pane
    .getByTestId('queue-row')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-id') ?? ''));
}

/** Waits until the list shows exactly these cases in this order (a new view's rows replace the old ones). */
async function expectRows(pane: FrameLocator, want: string[]): Promise<void> {
  const deadline = Date.now() + T;
  let got: string[] = [];
  while (Date.now() < deadline) {
    got = await rowIds(pane).catch(() => []);
    if (JSON.stringify(got) === JSON.stringify(want)) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  expect(got).toEqual(want);
}

async function choose(pane: FrameLocator, option: string): Promise<void> {
  await pane.getByTestId('view-picker').click();
  await pane.getByRole('option', { name: option, exact: true }).click();
}

describe.each(ENGINES)('My cases in the Outlook host emulator, backend on %s', (engine) => {
  let backend: Backend;
  let database: { url: string; drop(): Promise<void> } | undefined;
  let agentToken: string;
  let agentId: string;
  const ids: Record<string, string> = {};
  let linked: HostMessage;
  let other: HostMessage;

  const asAgent = <T>(method: string, route: string, body?: unknown) =>
    backend.apiAs<T>(agentToken, method, route, body);

  beforeAll(async () => {
    database = engine === 'postgres' ? await createPostgresDatabase() : undefined;
    backend = await createBackend({ env: database ? { DATABASE_URL: database.url } : {} });
    agentToken = await backend.token(AGENT.emailAddress, AGENT.displayName);
    agentId = (await asAgent<{ users: { id: string }[] }>('GET', '/crm/v6/users?type=CurrentUser')).body
      .users[0].id;
    const admin = backend.mint('lead@casepane.example', 'admin', 'Lena Lead');
    const adminId = (
      await backend.apiAs<{ users: { id: string }[] }>(admin, 'GET', '/crm/v6/users?type=CurrentUser')
    ).body.users[0].id;
    linked = variant(`mycases-linked-${engine}`, 'Printer jams on every page');
    other = variant(`mycases-other-${engine}`, 'Unrelated newsletter');
    // The high-priority case comes from the customer's email, stored with its Outlook item id and this mailbox.
    const fromEmail = await asAgent<{ data: { details: { id: string } }[] }>(
      'POST',
      '/crm/v6/Cases/actions/from_email',
      {
        data: [
          {
            case: {
              Subject: linked.subject,
              Case_Origin: 'Email',
              Priority: 'High',
              Email: linked.from.emailAddress,
            },
            message: {
              internet_message_id: linked.internetMessageId,
              conversation_id: linked.conversationId,
              item_id: linked.itemId,
              mailbox: AGENT.emailAddress,
              from: { name: linked.from.displayName, email: linked.from.emailAddress },
              to: [{ name: 'Support', email: AGENT.emailAddress }],
              subject: linked.subject,
              sent_time: linked.dateTimeCreated,
              body_text: linked.bodyText.slice(0, 500),
            },
          },
        ],
      },
    );
    expect(fromEmail.status).toBe(201);
    ids.high = fromEmail.body.data[0].details.id;
    const make = async (key: string, fields: Record<string, unknown>, token = agentToken) => {
      const r = await backend.apiAs<{ data: { details: { id: string } }[] }>(token, 'POST', '/crm/v6/Cases', {
        data: [{ Subject: `Case ${key}`, Case_Origin: 'Phone', ...fields }],
      });
      expect(r.status).toBe(201);
      ids[key] = r.body.data[0].details.id;
    };
    await make('low', { Priority: 'Low', Owner: agentId });
    await make('medium', { Priority: 'Medium', Owner: agentId });
    await make('closed', { Priority: 'High', Status: 'Closed', Owner: agentId });
    await make('theirs', { Priority: 'High', Owner: adminId }, admin);
    const rule = await backend.apiAs(admin, 'POST', '/crm/v6/settings/escalation_rules', {
      data: [
        {
          name: 'High in 4 h',
          criteria: '(Priority:equals:High)',
          hours: 4,
          to_owners_manager: true,
          active: true,
        },
      ],
    });
    expect(rule.status).toBe(201);
    const view = await asAgent('POST', '/crm/v6/settings/custom_views?module=Cases', {
      custom_views: [{ name: 'Low ones', criteria: '(Priority:equals:Low)' }],
    });
    expect(view.status).toBe(201);
  }, 600_000);
  afterAll(async () => {
    await backend?.stop();
    await database?.drop();
  });

  async function openPane(
    theme: 'light' | 'dark' = 'light',
    asToken?: string,
  ): Promise<{ page: Page; pane: FrameLocator }> {
    const { context, page } = await e2e.context();
    if (asToken)
      // The pane signs in through /auth/local/token, which only makes agents: hand it another role's token.
      await context.route('**/auth/local/token', (route) =>
        route.fulfill({
          status: 200,
          contentType: 'application/json',
          body: JSON.stringify({ access_token: asToken, token_type: 'Bearer', expires_in: 3600 }),
        }),
      );
    const { pane } = await openHost(page, e2e.host.url, {
      messages: [other, linked],
      paneUrl: `${backend.url}/taskpane.html`,
      selected: other.key,
      userProfile: AGENT,
      theme,
    });
    await pane.getByTestId('open-my-cases').click({ timeout: T });
    return { page, pane };
  }

  it('shows my open cases in order, opens one, opens its email in Outlook, and works with saved views', async () => {
    // The recount: the agent's cases that are not Closed, High → Medium → Low → none, then oldest first.
    const all = (await asAgent<{ data: Rec[] }>('GET', '/crm/v6/Cases?per_page=200')).body.data;
    const rank = (p: string | null) => ({ High: 0, Medium: 1, Low: 2 })[p ?? ''] ?? 3;
    const want = all
      .filter((c) => c.Owner?.id === agentId && c.Status !== 'Closed')
      .sort((a, b) => rank(a.Priority) - rank(b.Priority) || a.Created_Time.localeCompare(b.Created_Time))
      .map((c) => c.id);
    expect(want).toEqual([ids.high, ids.medium, ids.low]);

    const { page, pane } = await openPane();
    await expectRows(pane, want);
    const high = pane.locator(`[data-testid="queue-row"][data-case-id="${ids.high}"]`);
    await expect(high.getByTestId('queue-last-message').textContent()).resolves.toContain(linked.subject);
    await expect(high.getByTestId('queue-escalation').textContent()).resolves.toMatch(
      /Escalates in .*High in 4 h/,
    );
    const low = pane.locator(`[data-testid="queue-row"][data-case-id="${ids.low}"]`);
    await expect(low.getByTestId('queue-escalation').count()).resolves.toBe(0);
    await expect(low.getByTestId('queue-open-email').count()).resolves.toBe(0); // no email on that case
    await screenshotPane(page, 'my-cases-light');

    // Open email: displayMessageForm with the stored item id; the emulated Outlook shows that message.
    await high.getByTestId('queue-open-email').click();
    await page.locator('#message-form').waitFor({ timeout: T });
    await expect(page.locator('#message-form-subject').textContent()).resolves.toBe(linked.subject);
    await expect(
      page.evaluate(() =>
        (window as unknown as { hostEmulator: { messageForms(): string[] } }).hostEmulator.messageForms(),
      ),
    ).resolves.toEqual([linked.itemId]);
    await page.locator('#message-form-close').click();
    // An id Outlook does not know opens nothing and reports nothing (the documented behaviour), in the emulator too.
    const frame = page.frame({ name: 'taskpane' })!;
    await frame.evaluate(() =>
      (
        window as unknown as { Office: { context: { mailbox: { displayMessageForm(id: string): void } } } }
      ).Office.context.mailbox.displayMessageForm('AAMk-no-such-item'),
    );
    await page.waitForTimeout(300);
    await expect(page.locator('#message-form').count()).resolves.toBe(0);
    await expect(
      page.evaluate(() =>
        (window as unknown as { hostEmulator: { messageForms(): string[] } }).hostEmulator.messageForms(),
      ),
    ).resolves.toEqual([linked.itemId]);

    // One click opens the case detail; Back returns to the list.
    await pane
      .locator(`[data-testid="queue-row"][data-case-id="${ids.medium}"]`)
      .getByTestId('queue-open-case')
      .click();
    const number = all.find((c) => c.id === ids.medium)!.Case_Number;
    await pane.locator(`[data-testid="case-detail"][data-case-number="${number}"]`).waitFor({ timeout: T });
    await pane.getByRole('button', { name: /Back/ }).first().click();
    await expectRows(pane, want);

    // A saved custom view, then a new one saved from the pane (private to the agent).
    await choose(pane, 'Low ones');
    await expectRows(pane, [ids.low]);
    await pane.getByTestId('save-view-toggle').click();
    await pane.getByTestId('save-view-name').fill('Medium only');
    await pane.getByTestId('save-view-criteria').fill('(Priority:equals:Medium)');
    // With one more column on its rows.
    await pane.getByTestId('save-view-columns').click();
    await pane.getByRole('menuitemcheckbox', { name: 'Case Origin', exact: true }).click();
    await pane.getByTestId('save-view-columns').press('Escape'); // a multiselect list stays open until then
    await pane.getByTestId('save-view-submit').click();
    await expectRows(pane, [ids.medium]);
    await expect(pane.getByTestId('view-picker').textContent()).resolves.toContain('Medium only');
    // The columns start from the view on screen ("Low ones", made through the API with Zoho's default columns,
    // which add Owner to the row), plus the one chosen; in the layout's order.
    await expect(pane.getByTestId('queue-columns').textContent()).resolves.toBe(
      'Case Owner: Alex Agent · Case Origin: Phone',
    );
    const views = (
      await asAgent<{
        custom_views: { name: string; access_type: string; fields: { api_name: string }[] }[];
      }>('GET', '/crm/v6/settings/custom_views?module=Cases')
    ).body.custom_views;
    const mediumOnly = views.find((v) => v.name === 'Medium only');
    expect(mediumOnly).toMatchObject({ access_type: 'only_to_me' });
    expect(mediumOnly?.fields.map((f) => f.api_name)).toEqual([
      'Case_Number',
      'Subject',
      'Status',
      'Priority',
      'Created_Time',
      'Owner',
      'Case_Origin',
    ]);
    // The built-in Escalated view through the same picker: nothing of the agent's is escalated yet.
    await choose(pane, 'Escalated');
    await pane.getByTestId('queue-empty').waitFor({ timeout: T });
  });

  it('an admin shares a view with the team from the pane; agents see it and cannot share', async () => {
    const { pane: agentPane } = await openPane();
    await agentPane.getByTestId('save-view-toggle').click();
    await agentPane.getByTestId('save-view').waitFor({ timeout: T });
    await expect(agentPane.getByTestId('save-view-share').count()).resolves.toBe(0);

    const { pane } = await openPane('light', backend.mint('lead@casepane.example', 'admin', 'Lena Lead'));
    await pane.getByTestId('save-view-toggle').click();
    await pane.getByTestId('save-view-name').fill('Team high');
    await pane.getByTestId('save-view-criteria').fill('(Priority:equals:High)and(Status:not_equal:Closed)');
    await pane.getByTestId('save-view-share').click();
    await pane.getByTestId('save-view-submit').click();
    const want = (await asAgent<{ data: Rec[] }>('GET', '/crm/v6/Cases?per_page=200')).body.data
      .filter((c) => c.Priority === 'High' && c.Status !== 'Closed')
      .sort((a, b) => a.Created_Time.localeCompare(b.Created_Time))
      .map((c) => c.id);
    await expectRows(pane, want);
    const seen = (
      await asAgent<{ custom_views: { name: string; access_type: string; editable: boolean }[] }>(
        'GET',
        '/crm/v6/settings/custom_views?module=Cases',
      )
    ).body.custom_views.find((v) => v.name === 'Team high');
    expect(seen).toMatchObject({ access_type: 'public', editable: false });
  });

  it('dark theme, and nothing serious for axe', async () => {
    const { page, pane } = await openPane('dark');
    await expectRows(pane, [ids.high, ids.medium, ids.low]);
    await screenshotPane(page, 'my-cases-dark');
    await pane.getByTestId('save-view-toggle').click();
    await pane.getByTestId('save-view').waitFor({ timeout: T });
    const violations = await runAxe(page.frame({ name: 'taskpane' })!);
    expect(
      violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.impact} ${v.id}: ${v.help} @ ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
  });
});
