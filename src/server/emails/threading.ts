import { referencedCaseNumbers } from '../../shared/case-reference';
import type { Executor } from '../db/executor';
import * as repo from './email.repository';

/** What the threading rule looks at in a message: its thread headers, subject and sender. */
export interface ThreadClues {
  /** In-Reply-To and References, normalised (no angle brackets). */
  references: readonly string[];
  subject: string | null;
  senderEmail: string;
}

/** Whether the rule has anything to look up: thread headers, or a `[Case #n]` in the subject. */
export function hasThreadClues(clues: ThreadClues): boolean {
  return clues.references.length > 0 || referencedCaseNumbers(clues.subject ?? '').length > 0;
}

/**
 * The one threading rule of the mailbox capture and the pane's conversion (issue 11, sections 1–2): a message whose
 * In-Reply-To / References name a message linked to a case belongs to that case (the newest link wins); then a
 * `[Case #n]` in the subject, but only from that case's contact or a contact of its account's domain — a stranger
 * cannot attach mail to someone else's case by typing its number. Undefined: the message starts a new case.
 */
export async function threadCase(trx: Executor, clues: ThreadClues): Promise<string | undefined> {
  const [byHeaders] = await repo.casesLinkedToMessages(trx, clues.references);
  if (byHeaders) return byHeaders;
  const sender = clues.senderEmail.toLowerCase();
  const domain = sender.split('@')[1];
  for (const number of referencedCaseNumbers(clues.subject ?? '').slice(0, 5)) {
    const found = await repo.caseForReference(trx, Number(number));
    if (found && (found.emails.includes(sender) || found.accountDomains.includes(domain))) return found.id;
  }
  return undefined;
}
