import type { CasesApi } from '../api/client';
import type { BoundOutcome, MailHost } from '../office/types';
import { openableItemId } from './features/my-cases/queue-text';

/**
 * A status change reaches the case's other messages in the agent's mailbox too (issue 16, item 6): each is loaded
 * with loadItemByIdAsync (Mailbox 1.15, read/write mailbox) and its status category set like the open one's.
 * Hosts that cannot load another item leave those messages as they were until each is opened in the pane again
 * (the README says when the category can be stale). Never rejects: the status is saved, the category is a nicety.
 */
export async function tagThreadStatus(
  host: Pick<MailHost, 'canLoadOtherItems' | 'setCaseStatusCategory'>,
  api: Pick<CasesApi, 'caseEmails'>,
  change: { caseId: string; status: string; mailbox: string | null; openItemId: string },
): Promise<BoundOutcome[]> {
  if (!host.canLoadOtherItems() || !change.mailbox) return [];
  let emails: Awaited<ReturnType<CasesApi['caseEmails']>>;
  try {
    emails = await api.caseEmails(change.caseId);
  } catch {
    return [];
  }
  const others = new Map<string, string>();
  for (const email of emails) {
    const itemId = openableItemId(email, change.mailbox);
    if (itemId && itemId !== change.openItemId) others.set(itemId, email.internet_message_id);
  }
  const outcomes: BoundOutcome[] = [];
  // One after another: Outlook holds one loaded item at a time (the adapter queues them as well).
  for (const [itemId, internetMessageId] of others)
    outcomes.push(await host.setCaseStatusCategory({ itemId, internetMessageId }, change.status));
  return outcomes;
}
