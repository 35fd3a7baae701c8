import type { Kysely } from 'kysely';
import type { IngestCorpus } from '../../bench/lib/mail-corpus';
import type { Dovecot } from '../server/imap/dovecot';
import { sleep } from './helpers';

/** The folder as Dovecot has it: what the checkpoint must end on. */
export async function folderState(dovecot: Dovecot): Promise<{ uidValidity: string; lastUid: number }> {
  const client = await dovecot.client();
  try {
    const s = await client.status('INBOX', { uidValidity: true, uidNext: true });
    if (!s) throw new Error('STATUS INBOX failed');
    return { uidValidity: String(s.uidValidity), lastUid: Number(s.uidNext) - 1 };
  } finally {
    await client.logout();
  }
}

/** Messages the server has recorded an outcome for (each UID once: the record and its effects commit together). */
export async function handledCount(db: Kysely<any>): Promise<number> {
  const row = await db
    .selectFrom('mailbox_messages')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function untilHandled(db: Kysely<any>, atLeast: number, ms: number): Promise<number> {
  const deadline = Date.now() + ms;
  for (;;) {
    const n = await handledCount(db);
    if (n >= atLeast) return n;
    if (Date.now() > deadline) throw new Error(`timed out: ${n} of ${atLeast} messages handled`);
    await sleep(50);
  }
}

/**
 * What ingestion left in the database, set against the corpus: zero everywhere except the `expected` counts means
 * exactly the expected cases and links (by Message-ID), each message recorded once, and the checkpoint on the
 * folder's last UID.
 */
export async function ingestOutcome(
  db: Kysely<any>,
  corpus: IngestCorpus,
  folder: { uidValidity: string; lastUid: number },
) {
  const cases = await db.selectFrom('cases').select(['id', 'subject']).execute();
  const links = await db.selectFrom('email_links').select(['case_id', 'internet_message_id']).execute();
  const records = await db.selectFrom('mailbox_messages').select(['uid', 'outcome']).execute();
  const checkpoints = await db
    .selectFrom('mailbox_checkpoints')
    .select(['uid_validity', 'last_uid'])
    .execute();
  const captured = await db.selectFrom('mailboxes').select('messages_captured').execute();

  const caseOf = new Map<string, string[]>();
  for (const l of links)
    caseOf.set(l.internet_message_id, [...(caseOf.get(l.internet_message_id) ?? []), String(l.case_id)]);
  const subjectOf = new Map(cases.map((c) => [String(c.id), c.subject as string]));
  const expectedIds = new Set([...corpus.requests.map((r) => r.id), ...corpus.replies.map((r) => r.id)]);
  const uids = records.map((r) => Number(r.uid));
  const outcomes: Record<string, number> = {};
  for (const r of records) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  return {
    cases: cases.length,
    links: links.length,
    /** Expected Message-IDs without a link, and links of Message-IDs not in the corpus. */
    lost: [...expectedIds].filter((id) => !caseOf.has(id)).length,
    unexpected: [...caseOf.keys()].filter((id) => !expectedIds.has(id)).length,
    /** Message-IDs linked more than once. */
    twice: [...caseOf.values()].filter((list) => list.length > 1).length,
    /** Requests whose case does not carry their subject; replies not on their request's case. */
    wrongCase: corpus.requests.filter((r) => subjectOf.get(caseOf.get(r.id)?.[0] ?? '') !== r.subject).length,
    wrongThread: corpus.replies.filter((r) => caseOf.get(r.id)?.[0] !== caseOf.get(r.parent)?.[0]).length,
    records: records.length,
    recordedTwice: uids.length - new Set(uids).size,
    outcomes,
    checkpoint: checkpoints.map((c) => ({ uidValidity: c.uid_validity, lastUid: Number(c.last_uid) })),
    messagesCaptured: captured.map((m) => Number(m.messages_captured)),
    folder,
  };
}

/** What ingestOutcome() must equal when nothing was lost and nothing doubled. */
export function expectedOutcome(corpus: IngestCorpus, folder: { uidValidity: string; lastUid: number }) {
  const R = corpus.requests.length;
  const P = corpus.replies.length;
  return {
    cases: R,
    links: R + P,
    lost: 0,
    unexpected: 0,
    twice: 0,
    wrongCase: 0,
    wrongThread: 0,
    records: corpus.messages.length,
    recordedTwice: 0,
    outcomes: Object.fromEntries(
      Object.entries({ case_created: R, linked: P, already_known: corpus.duplicates }).filter(
        ([, n]) => n > 0,
      ),
    ),
    checkpoint: [folder],
    messagesCaptured: [R + P],
    folder,
  };
}
