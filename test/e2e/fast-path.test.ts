/**
 * Issue 16, items 1, 2 and 6 in Chromium against the real backend: the quick form with its sticky Save at 320, 360
 * and 500 px (light and dark; en, pl and zh-CN), saving in one click or one chord from Subject, the linked email as
 * a status view, and the case status carried by the message's Outlook category.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, FrameLocator, Page } from 'playwright-core';
import {
  ROOT,
  createBackend,
  emulatorSuite,
  hostCall,
  screenshot,
  openHost,
  runAxe,
  screenshotPane,
  type Backend,
  type HostOptions,
} from './harness';
import type { HostMessage } from './host/messages';
import { ENGINES, createPostgresDatabase } from '../postgres';

jest.setTimeout(180_000);

const e2e = emulatorSuite();

/** A fresh copy of the plain-text fixture: its own message id, so every test starts on a new email. */
let serial = 0;
function freshMessage(from = '01-plain-text'): HostMessage {
  const m = structuredClone(e2e.fixtures.find((f) => f.key === from) ?? e2e.fixtures[0]);
  const key = `fast-${process.pid}-${++serial}-${Date.now()}`;
  return {
    ...m,
    key,
    internetMessageId: `<${key}@e2e.casepane.example>`,
    itemId: `AAMkAGI2-${key}-AAA=`,
    conversationId: `AAQkAGI2-${key}=`,
    attachments: m.attachments.map((a, i) => ({ ...a, id: `AAMkAGI2-${key}-att${i}=` })),
  };
}

interface Session {
  page: Page;
  pane: FrameLocator;
  frame: () => Frame;
}

/** The emulator with the pane `width` px wide and 640 px tall (a narrow reading-pane column). */
async function open(
  backend: Backend,
  messages: HostMessage[],
  options: { width?: number; theme?: 'light' | 'dark'; language?: string } & Partial<HostOptions> = {},
): Promise<Session> {
  const { width = 360, theme = 'light', language = 'en-US', ...rest } = options;
  const { page } = await e2e.context({ locale: language });
  // 40 px host header + the pane's title row (about 30 px) above a 640 px pane.
  await page.setViewportSize({ width: 280 + 420 + width, height: 40 + 30 + 640 });
  const { pane, frame } = await openHost(page, e2e.host.url, {
    messages,
    paneUrl: `${backend.url}/taskpane.html`,
    selected: messages[0].key,
    theme,
    displayLanguage: language,
    ...rest,
  });
  await page.evaluate((w) => {
    const main = document.querySelector('main');
    if (main) main.style.gridTemplateColumns = `280px 1fr ${w}px`;
  }, width);
  return { page, pane, frame };
}

/** Where Save is in the pane's own viewport, and how far the pane is scrolled. */
const saveBox = (frame: Frame) =>
  frame.evaluate(() => {
    const save = document.querySelector('[data-testid="save-case"]');
    if (!save) throw new Error('no Save button');
    const r = save.getBoundingClientRect();
    return {
      top: r.top,
      bottom: r.bottom,
      height: window.innerHeight,
      width: window.innerWidth,
      scrolled: document.scrollingElement?.scrollTop ?? 0,
    };
  });

/** The stored case with this number, as the API gives it (Zoho's search by criteria). */
async function caseByNumber(backend: Backend, number: string): Promise<{ id: string; Status: string }> {
  const found = await backend.api<{ data: { id: string; Status: string }[] }>(
    'GET',
    `/crm/v6/Cases/search?criteria=${encodeURIComponent(`(Case_Number:equals:${number})`)}`,
  );
  return found.body.data[0];
}

async function axeModerate(frame: Frame): Promise<string[]> {
  const violations = await runAxe(frame);
  return violations
    .filter((v) => v.impact === 'moderate' || v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

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

const focusedTestId = (frame: Frame) =>
  frame.evaluate(
    () => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName,
  );

const WIDTHS = [
  { width: 320, language: 'pl-PL' },
  { width: 360, language: 'en-US' },
  { width: 500, language: 'zh-CN' },
];

describe.each(ENGINES)('the agent fast path, backend on %s', (engine) => {
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

  describe.each(WIDTHS)('at $width px ($language)', ({ width, language }) => {
    test.each(['light', 'dark'] as const)(
      '%s: Save is on screen without scrolling; one click on it saves the prefilled case',
      async (theme) => {
        const m = freshMessage();
        const s = await open(backend, [m], { width, theme, language });
        await s.pane.getByTestId('new-case-form').waitFor();
        const box = await saveBox(s.frame());
        expect(box.width).toBe(width);
        expect(box.scrolled).toBe(0);
        expect(box.top).toBeGreaterThanOrEqual(0);
        expect(box.bottom).toBeLessThanOrEqual(box.height);
        // The quick form: More fields closed, the fields agents rarely set not shown.
        expect(await s.pane.getByTestId('more-fields').getAttribute('aria-expanded')).toBe('false');
        expect(await s.pane.getByTestId('field-Internal_Comments').isVisible()).toBe(false);
        expect(await s.pane.getByTestId('field-Subject').isVisible()).toBe(true);
        expect(await axeModerate(s.frame())).toEqual([]);
        if (width === 360 && theme === 'light' && engine === 'sqlite') {
          const shot = await screenshotPane(s.page, 'fast-quick-form');
          mkdirSync(join(ROOT, 'docs', 'screenshots'), { recursive: true });
          copyFileSync(shot, join(ROOT, 'docs', 'screenshots', 'new-case-prefilled.png'));
        }
        await s.pane.getByTestId('save-case').click();
        const created = s.pane.getByTestId('created-case');
        await created.waitFor();
        expect(await created.getAttribute('data-case-number')).toMatch(/^\d+$/);
      },
    );
  });

  test('from Subject: plain Enter does not save, Ctrl+Enter does (one chord); read-only lookups are no Tab stops', async () => {
    const m = freshMessage();
    const s = await open(backend, [m]);
    await s.pane.getByTestId('new-case-form').waitFor();
    const subject = s.pane.getByTestId('field-Subject');
    await subject.focus();
    await subject.press('Enter');
    await new Promise((r) => setTimeout(r, 500));
    expect(await s.pane.getByTestId('created-case').count()).toBe(0);
    expect(await s.pane.getByTestId('new-case-form').isVisible()).toBe(true);

    // Tab from Subject reaches Save through the quick fields only, past no read-only lookup.
    await s.pane.getByTestId('more-fields').click();
    expect(await s.pane.getByTestId('field-Related_To').isVisible()).toBe(true);
    expect(await s.pane.getByTestId('field-Related_To').getAttribute('tabindex')).toBe('-1');
    expect(await s.pane.getByTestId('field-Account_Name').getAttribute('tabindex')).toBe('-1');
    await s.pane.getByTestId('more-fields').click();
    await subject.focus();
    const stops: string[] = [];
    for (let i = 0; i < 12; i++) {
      await s.page.keyboard.press('Tab');
      const id = (await focusedTestId(s.frame())) ?? '';
      stops.push(id);
      if (id === 'save-case') break;
    }
    expect(stops[stops.length - 1]).toBe('save-case');
    // 22 Tab stops before the quick form; now the quick fields, More fields and Save. The keyboard save itself is
    // one chord (below), well within the issue's 8 key presses from Subject.
    expect(stops).toEqual([
      'field-Email',
      'field-Reported_By',
      'field-Owner',
      'field-Status',
      'field-Priority',
      'field-Description',
      'more-fields',
      'save-case',
    ]);

    await subject.focus();
    await subject.press('Control+Enter');
    await s.pane.getByTestId('created-case').waitFor();
  });

  test('counters only near a limit; an error in a field under More fields opens it and focuses the field', async () => {
    const m = freshMessage();
    const s = await open(backend, [m]);
    await s.pane.getByTestId('new-case-form').waitFor();
    const subjectField = s.pane.locator('.fui-Field').filter({ has: s.pane.getByTestId('field-Subject') });
    expect(await subjectField.textContent()).not.toMatch(/of 255 characters/);
    await s.pane.getByTestId('field-Subject').fill('x'.repeat(204)); // 80 % of 255
    expect(await subjectField.textContent()).toMatch(/204 of 255 characters/);
    await s.pane.getByTestId('field-Subject').fill('Printer offline');

    await s.pane.getByTestId('more-fields').click();
    await s.pane.getByTestId('field-Internal_Comments').fill('y'.repeat(3_001));
    await s.pane.getByTestId('more-fields').click();
    expect(await s.pane.getByTestId('field-Internal_Comments').isVisible()).toBe(false);
    await s.pane.getByTestId('save-case').click();
    await eventually(
      () => focusedTestId(s.frame()),
      (v) => expect(v).toBe('field-Internal_Comments'),
    );
    expect(await s.pane.getByTestId('more-fields').getAttribute('aria-expanded')).toBe('true');
    // What was typed in the hidden field was kept.
    expect((await s.pane.getByTestId('field-Internal_Comments').inputValue()).length).toBe(3_001);
  });

  test('a linked email is a status view: the card after a save, no form until asked, files shown as copied', async () => {
    const m = freshMessage('05-attachment');
    const s = await open(backend, [m]);
    await s.pane.getByTestId('new-case-form').waitFor();
    expect(await s.pane.getByTestId('attachment-picker').count()).toBe(1);
    await s.pane.getByTestId('save-case').click();
    const created = s.pane.getByTestId('created-case');
    await created.waitFor();
    const number = (await created.getAttribute('data-case-number')) ?? '';
    await eventually(
      () => focusedTestId(s.frame()),
      (v) => expect(v).toBe('created-case'),
    );
    // The card is the result: inside it, no "already linked" bar, no form, the files as copied (no checkboxes).
    expect(
      await s.pane.getByTestId(`linked-case-${number}`).locator('[data-testid="created-case"]').count(),
    ).toBe(1);
    expect(await s.pane.getByTestId('already-linked').count()).toBe(0);
    expect(await s.pane.getByTestId('new-case-form').isVisible()).toBe(false);
    expect(await s.pane.getByTestId('attachment-picker').count()).toBe(0);
    await s.pane.getByTestId('attachment-uploads').waitFor();

    // The same email opened again: the status view, no create form until asked.
    const again = await open(backend, [m]);
    const card = again.pane.getByTestId(`linked-case-${number}`);
    await card.waitFor();
    await again.pane.getByTestId('status-select').waitFor();
    // Mounted (a draft there survives) but not shown.
    expect(await again.pane.getByTestId('new-case-form').isVisible()).toBe(false);
    expect(await again.pane.getByTestId('tab-new-case').isVisible()).toBe(false);
    expect(await again.pane.getByTestId('attachment-picker').count()).toBe(0);
    expect(await axeModerate(again.frame())).toEqual([]);

    // Quick actions: a note, then Create another case shows the form (and says this email has a case).
    await again.pane.getByTestId('status-add-note').click();
    await again.pane.getByTestId('status-note-text').fill('Called the customer back');
    await again.pane.getByTestId('status-note-save').click();
    await again.pane.getByTestId('status-add-note').waitFor();
    const c = await caseByNumber(backend, number);
    const notes = await backend.api<{ data?: { Note_Content: string }[] }>(
      'GET',
      `/crm/v6/Cases/${c.id}/Notes`,
    );
    expect((notes.body.data ?? []).map((n) => n.Note_Content)).toContain('Called the customer back');
    await again.pane.getByTestId('create-another').click();
    await again.pane.getByTestId('new-case-form').waitFor();
    expect(await again.pane.getByTestId('already-linked').isVisible()).toBe(true);
  });

  test('a status change from the pane saves with $version and sets the status category, in its colour', async () => {
    const m = freshMessage();
    const s = await open(backend, [m]);
    await s.pane.getByTestId('new-case-form').waitFor();
    await s.pane.getByTestId('save-case').click();
    const number = (await s.pane.getByTestId('created-case').getAttribute('data-case-number')) ?? '';
    await eventually(
      () => hostCall<string[]>(s.page, 'categories', m.key),
      (v) => expect(v).toEqual(expect.arrayContaining([`Case ${number}`, 'Case: New'])),
    );
    await s.pane.getByTestId('status-select').selectOption('Escalated');
    await eventually(
      () => hostCall<string[]>(s.page, 'categories', m.key),
      (v) => {
        expect(v).toContain('Case: Escalated');
        expect(v).not.toContain('Case: New');
      },
    );
    const master = await hostCall<{ displayName: string; color: string }[]>(s.page, 'masterCategories');
    expect(master).toEqual(
      expect.arrayContaining([
        { displayName: 'Case: New', color: 'Preset5' },
        { displayName: 'Case: Escalated', color: 'Preset0' },
      ]),
    );
    const c = await caseByNumber(backend, number);
    expect(c.Status).toBe('Escalated');
    // The emulator's message list draws each category in its master colour (Preset0 is red).
    const chip = s.page.getByTestId(`list-categories-${m.key}`).getByText('Case: Escalated');
    expect(await chip.evaluate((n) => getComputedStyle(n).color)).toBe('rgb(231, 72, 86)');
    if (engine === 'sqlite') {
      await s.page.setViewportSize({ width: 1280, height: 720 });
      const whole = await screenshot(s.page, 'fast-status-category');
      copyFileSync(whole, join(ROOT, 'docs', 'screenshots', 'status-category.png'));
      const shot = await screenshotPane(s.page, 'fast-linked-status');
      copyFileSync(shot, join(ROOT, 'docs', 'screenshots', 'linked-status.png'));
    }
  });
  test("Reply on the status view opens Outlook's reply to this email with the case reference (displayReplyForm)", async () => {
    const m = freshMessage();
    const s = await open(backend, [m]);
    await s.pane.getByTestId('new-case-form').waitFor();
    await s.pane.getByTestId('save-case').click();
    const number = (await s.pane.getByTestId('created-case').getAttribute('data-case-number')) ?? '';
    await s.pane.getByTestId('status-reply').click();
    const reference = `[Case #${number}]`;
    await eventually(
      () => hostCall<{ itemId: string; htmlBody: string; key: string }[]>(s.page, 'replyForms'),
      (forms) => {
        expect(forms).toHaveLength(1);
        expect(forms[0].itemId).toBe(m.itemId);
        expect(forms[0].htmlBody).toBe(
          `<p>Our reference: ${reference}. Please keep it in the subject when you write to us about this case.</p>`,
        );
      },
    );
    const [form] = await hostCall<{ key: string }[]>(s.page, 'replyForms');
    const draft = await hostCall<{ subject: string; bodyText: string }>(s.page, 'compose', form.key);
    expect(draft.subject).toBe(`RE: ${m.subject}`);
    expect(draft.bodyText).toContain(`Our reference: ${reference}.`);
    await eventually(
      () => s.frame().evaluate(() => document.querySelector('[data-testid="announcer"]')?.textContent ?? ''),
      (text) => expect(text).toBe(`A reply with the reference of case ${number} is open in Outlook.`),
    );
    // A message being written has no reply form (MessageCompose): no Reply there, and none offered on a host
    // without the member is covered by the adapter's tests.
  });

  test("a status change reaches the case's other messages in this mailbox (loadItemByIdAsync, Mailbox 1.15), not on 1.14", async () => {
    for (const host of ['web', 'new-windows'] as const) {
      const first = freshMessage();
      // Another message of the thread, already tagged with the case's old status.
      const second = {
        ...freshMessage(),
        subject: `RE: ${first.subject}`,
        conversationId: first.conversationId,
        categories: ['Case: New'],
      };
      const s = await open(backend, [first, second], { host });
      await s.pane.getByTestId('new-case-form').waitFor();
      await s.pane.getByTestId('save-case').click();
      const number = (await s.pane.getByTestId('created-case').getAttribute('data-case-number')) ?? '';
      const found = await caseByNumber(backend, number);
      // Linked from this mailbox, as the pane or the support-mailbox capture records it.
      const linked = await backend.api('POST', `/crm/v6/Cases/${found.id}/Emails`, {
        data: [
          {
            internet_message_id: second.internetMessageId,
            item_id: second.itemId,
            mailbox: 'alex.agent@casepane.example',
            from: { email: second.from.emailAddress },
            subject: second.subject,
          },
        ],
      });
      expect(linked.status).toBeLessThan(300);
      await s.pane.getByTestId('status-select').selectOption('On Hold');
      await eventually(
        () => hostCall<string[]>(s.page, 'categories', first.key),
        (v) => expect(v).toContain('Case: On Hold'),
      );
      if (host === 'web')
        await eventually(
          () => hostCall<string[]>(s.page, 'categories', second.key),
          (v) => {
            expect(v).toContain('Case: On Hold');
            expect(v).not.toContain('Case: New');
          },
        );
      else {
        // New Outlook on Windows is at 1.14: no loadItemByIdAsync, so the other message keeps its old status
        // category until it is opened in the pane again (the README says so).
        await new Promise((r) => setTimeout(r, 1_000));
        expect(await hostCall<string[]>(s.page, 'categories', second.key)).toContain('Case: New');
      }
    }
  });
});
