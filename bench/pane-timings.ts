/**
 * Task pane cold loads in Debian's Chromium through the Outlook host emulator (test/e2e), against the real
 * backend on SQLite: ms from the pane document's start until the form holds the message body, and until the
 * linked case's status card shows. Each load is a fresh browser context (empty cache). Median of `runs`.
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
} from '../test/e2e/harness';
import { loadFixtures } from '../test/e2e/host/messages';
import { median } from './lib/stats';

export interface PaneTimings {
  runs: number;
  toFormMs: number;
  toStatusMs: number;
  formSamples: number[];
  statusSamples: number[];
}

export async function paneTimings(
  runs: number,
  log: (s: string) => void,
): Promise<PaneTimings | { note: string }> {
  if (!existsSync(CHROMIUM)) return { note: `${CHROMIUM} is missing (apt-get install chromium)` };
  await ensureAddinBuilt();
  const backend = await createBackend({ env: { LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '100000' } });
  await backend.start();
  const host = await startHostServer();
  const browser = await launchBrowser();
  try {
    const messages = await loadFixtures();
    const message = messages.find((m) => m.key === '01-plain-text') ?? messages[0];
    // The message is already a case, so the pane has a status card to show.
    const created = await backend.api<{ data: { details: { Case_Number: string } }[] }>(
      'POST',
      '/crm/v6/Cases/actions/from_email',
      {
        data: [
          {
            case: { Subject: message.subject, Case_Origin: 'Email', Email: message.from.emailAddress },
            message: {
              internet_message_id: message.internetMessageId,
              conversation_id: message.conversationId,
              from: { email: message.from.emailAddress },
            },
          },
        ],
      },
    );
    const caseNumber = created.body.data[0].details.Case_Number;
    const formSamples: number[] = [];
    const statusSamples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const { context, page } = await newHostContext(browser);
      try {
        const { frame } = await openHost(page, host.url, {
          messages,
          paneUrl: `${backend.url}/taskpane.html`,
          selected: message.key,
        });
        // Functions, not strings: the pane's CSP forbids eval, as it should.
        const formAt = await frame().waitForFunction(
          () => {
            const d = document.querySelector<HTMLTextAreaElement>('[data-testid="field-Description"]');
            return d && d.value.length > 0 ? performance.now() : false;
          },
          undefined,
          { polling: 'raf', timeout: 30_000 },
        );
        formSamples.push(Math.round((await formAt.jsonValue()) as number));
        const statusAt = await frame().waitForFunction(
          (n) => (document.querySelector(`[data-testid="linked-case-${n}"]`) ? performance.now() : false),
          caseNumber,
          { polling: 'raf', timeout: 30_000 },
        );
        statusSamples.push(Math.round((await statusAt.jsonValue()) as number));
      } finally {
        await context.close();
      }
    }
    const result = {
      runs,
      toFormMs: median(formSamples),
      toStatusMs: median(statusSamples),
      formSamples,
      statusSamples,
    };
    log(
      `  pane: median of ${runs} cold loads — form ${result.toFormMs} ms, status card ${result.toStatusMs} ms`,
    );
    return result;
  } finally {
    await browser.close();
    await host.close();
    await backend.stop();
  }
}
