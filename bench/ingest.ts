/**
 * Mailbox ingestion (issue 11, "Measured"): a backlog of 10,000 messages (new requests, replies threaded by
 * headers, re-deliveries; bench/lib/mail-corpus.ts) APPENDed to a local Dovecot, then the real server as its own
 * process is given the mailbox through the admin API; timed from that call until every message is recorded. Set
 * against a plain imapflow fetch of the same messages' full source in the same run (the floor any IMAP reader
 * pays), with the server's RSS sampled throughout: flat memory shows as a max close to start and end.
 */
import { ImapFlow } from 'imapflow';
import { mintLocalToken } from '../src/server/auth/local-issuer';
import { openStorage } from '../src/server/db/database';
import { startDovecot, type Dovecot } from '../test/server/imap/dovecot';
import { freshDatabase, type Engine } from './lib/db';
import { ingestCorpus } from './lib/mail-corpus';
import { rssOf, sampleRss, sleep, spawnServer } from './lib/proc';

export interface IngestResult {
  engine: Engine;
  messages: number;
  /** From the mailbox's POST to the last message recorded. */
  seconds: number;
  messagesPerSecond: number;
  /** The plain imapflow fetch of every message's source, just before. */
  plainSeconds: number;
  plainMessagesPerSecond: number;
  ratio: number;
  rssStartBytes: number;
  rssMaxBytes: number;
  rssEndBytes: number;
  cases: number;
  links: number;
}

/** FETCH 1:* (UID, full source) on one connection: the fastest a reader can get the bytes. */
async function plainFetch(d: Dovecot): Promise<{ seconds: number; count: number; bytes: number }> {
  const client = new ImapFlow({
    host: d.host,
    port: d.port,
    secure: false,
    doSTARTTLS: false,
    auth: { user: d.user, pass: d.password },
    logger: false,
  });
  const started = Date.now();
  await client.connect();
  const lock = await client.getMailboxLock('INBOX', { readOnly: true });
  let count = 0;
  let bytes = 0;
  try {
    for await (const m of client.fetch('1:*', { uid: true, source: true })) {
      count++;
      bytes += m.source?.length ?? 0;
    }
  } finally {
    lock.release();
    await client.logout();
  }
  return { seconds: (Date.now() - started) / 1000, count, bytes };
}

async function ingestOnce(
  engine: Engine,
  d: Dovecot,
  total: number,
  log: (s: string) => void,
): Promise<Omit<IngestResult, 'plainSeconds' | 'plainMessagesPerSecond' | 'ratio'>> {
  const db = await freshDatabase(engine, 'ingest');
  const server = await spawnServer({
    dataDir: db.dataDir,
    databaseUrl: db.url,
    env: { MAILBOX_POLL_SECONDS: '1' },
  });
  const storage = await openStorage({ dataDir: db.dataDir, databaseUrl: db.url, poolSize: 1 });
  try {
    const token = await mintLocalToken(
      { dataDir: db.dataDir, databaseUrl: db.url },
      { email: 'admin@example.com', role: 'admin' },
    );
    await sleep(500);
    const rssStartBytes = rssOf(server.pid) ?? NaN;
    const sampler = sampleRss(server.pid, 200);
    const started = Date.now();
    const r = await fetch(`${server.url}/crm/v6/settings/mailboxes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        mailboxes: [
          {
            name: 'Bench',
            host: d.host,
            port: d.port,
            secure: false,
            starttls: false,
            user: d.user,
            password: d.password,
          },
        ],
      }),
    });
    if (r.status !== 201) throw new Error(`mailbox not created: ${r.status} ${await r.text()}`);
    const count = async (table: 'mailbox_messages' | 'cases' | 'email_links') =>
      Number(
        (
          await storage.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    let lastLog = Date.now();
    for (;;) {
      const n = await count('mailbox_messages');
      if (n >= total) break;
      if (Date.now() - lastLog > 10_000) {
        log(`  ${engine}: ${n.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} recorded`);
        lastLog = Date.now();
      }
      if (Date.now() - started > 30 * 60_000) throw new Error(`ingestion stalled at ${n} of ${total}`);
      await sleep(100);
    }
    const seconds = (Date.now() - started) / 1000;
    await sleep(300);
    const { maxBytes, lastBytes } = sampler.stop();
    return {
      engine,
      messages: total,
      seconds,
      messagesPerSecond: total / seconds,
      rssStartBytes,
      rssMaxBytes: maxBytes,
      rssEndBytes: lastBytes,
      cases: await count('cases'),
      links: await count('email_links'),
    };
  } finally {
    await storage.close();
    await server.stop();
    await db.drop();
  }
}

/** Per engine: a plain fetch, then the server's ingestion of the same mailbox into a fresh database. */
export async function ingestBench(
  engines: Engine[],
  options: { messages: number; log: (s: string) => void },
): Promise<IngestResult[]> {
  const { log } = options;
  const corpus = await ingestCorpus(options.messages, 'bench');
  const d = await startDovecot();
  try {
    const appendStarted = Date.now();
    await d.append(corpus.messages);
    log(
      `  ${options.messages.toLocaleString('en-US')} messages APPENDed in ${((Date.now() - appendStarted) / 1000).toFixed(1)} s (${corpus.requests.length} requests, ${corpus.replies.length} replies, ${corpus.duplicates} re-deliveries)`,
    );
    const results: IngestResult[] = [];
    for (const engine of engines) {
      const plain = await plainFetch(d);
      if (plain.count !== options.messages) throw new Error(`plain fetch saw ${plain.count} messages`);
      log(`  plain imapflow fetch: ${plain.seconds.toFixed(2)} s, ${(plain.bytes / 2 ** 20).toFixed(1)} MiB`);
      const run = await ingestOnce(engine, d, options.messages, log);
      if (
        run.cases !== corpus.requests.length ||
        run.links !== corpus.requests.length + corpus.replies.length
      )
        throw new Error(`${engine}: ${run.cases} cases, ${run.links} links: not the corpus's`);
      const plainMessagesPerSecond = plain.count / plain.seconds;
      results.push({
        ...run,
        plainSeconds: plain.seconds,
        plainMessagesPerSecond,
        ratio: run.messagesPerSecond / plainMessagesPerSecond,
      });
      log(`  ${engine}: ${run.seconds.toFixed(1)} s, ${run.messagesPerSecond.toFixed(0)} messages/s`);
    }
    return results;
  } finally {
    await d.stop();
  }
}
