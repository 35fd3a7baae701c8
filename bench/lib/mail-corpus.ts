import { eml } from '../../test/server/mailboxes/corpus';
import { body, rng, senders, subject } from './data';

/**
 * A support mailbox's backlog for the ingestion fault tests and bench: new requests (English, Polish, Chinese),
 * replies to earlier requests threaded only by In-Reply-To / References (no case number in the subject), and
 * re-deliveries of an earlier request (the same Message-ID twice). Written by nodemailer's MailComposer through
 * the mailbox tests' `eml`, in UID order: a reply always comes after the message it answers, so whatever a kill
 * leaves undone, the expected result is fixed.
 */
export interface IngestCorpus {
  /** The .eml files, in the order they are to be APPENDed. */
  messages: Buffer[];
  /** Message-ID (normalised, no angle brackets) and subject of each new request: one case each. */
  requests: { id: string; subject: string }[];
  /** Each reply's Message-ID and the request it answers: linked to that request's case. */
  replies: { id: string; parent: string }[];
  /** How many messages repeat an earlier request's Message-ID: captured as already known, nothing added. */
  duplicates: number;
}

export async function ingestCorpus(count: number, tag: string, seed = 23): Promise<IngestCorpus> {
  const r = rng(seed);
  const pool = senders(Math.max(50, Math.round(count / 4)), seed);
  const corpus: IngestCorpus = { messages: [], requests: [], replies: [], duplicates: 0 };
  const sent: { id: string; subject: string; from: string; raw: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    const kind = i < 10 ? 0 : r();
    if (kind >= 0.97) {
      // A re-delivery: the very same bytes once more (a mail server retrying, a rule forwarding twice).
      corpus.messages.push(sent[Math.floor(r() * sent.length)].raw);
      corpus.duplicates++;
    } else if (kind >= 0.72) {
      const parent = sent[Math.floor(r() * sent.length)];
      const id = `reply-${i}.${tag}@klient.example`;
      corpus.messages.push(
        await eml({
          from: parent.from,
          messageId: `<${id}>`,
          inReplyTo: `<${parent.id}>`,
          references: [`<${parent.id}>`],
          subject: `Re: ${parent.subject}`,
          text: `Follow-up ${i} on ${parent.subject}`,
        }),
      );
      corpus.replies.push({ id, parent: parent.id });
    } else {
      const s = pool[Math.floor(r() * pool.length)];
      const id = `request-${i}.${tag}@klient.example`;
      // A unique tail: the expected set of cases is checked by subject too.
      const title = `${subject(r, s.lang, i)} (m${i})`;
      const raw = await eml({
        from: `${s.name} <${s.email}>`,
        messageId: `<${id}>`,
        subject: title,
        text: body(r, s.lang, s.name),
      });
      corpus.messages.push(raw);
      corpus.requests.push({ id, subject: title });
      sent.push({ id, subject: title, from: `${s.name} <${s.email}>`, raw });
    }
  }
  return corpus;
}
