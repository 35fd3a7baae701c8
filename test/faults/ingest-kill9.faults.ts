import { ingestCorpus, type IngestCorpus } from '../../bench/lib/mail-corpus';
import { spawnServer, type ServerProcess } from '../../bench/lib/proc';
import { mintLocalToken } from '../../src/server/auth/local-issuer';
import type { Storage } from '../../src/server/db/database';
import { IMAP_TESTS_RUN, startDovecot, type Dovecot } from '../server/imap/dovecot';
import { ENGINES, freshStore, openStore, sleep } from './helpers';
import { expectedOutcome, folderState, handledCount, ingestOutcome, untilHandled } from './ingest-helpers';

/**
 * Mailbox ingestion under faults, against a real Dovecot filled through IMAP APPEND with a backlog of new requests,
 * replies threaded by In-Reply-To / References and re-deliveries (ingestCorpus). 1. kill -9 of the server three
 * times while it captures, then a restart: exactly the expected cases and links (by Message-ID, nothing lost,
 * nothing twice) and the checkpoint on the folder's last UID. 2. Dovecot stopped and started while the server
 * captures: the same server process recovers, the mailbox status shows the error while Dovecot is down and clears
 * it after. Both engines; one Dovecot filled once for all (the server only reads the folder).
 */
const MESSAGES = 1200;
// Short poll interval: the new process looks for the dead one's mailbox every second (its lease runs 15 s).
const env = { MAILBOX_POLL_SECONDS: '1' };
const describeImap = IMAP_TESTS_RUN ? describe : describe.skip;

interface Status {
  last_poll_time: string | null;
  messages_captured: number;
  last_error: string | null;
}

async function connectMailbox(url: string, headers: Record<string, string>, d: Dovecot): Promise<string> {
  const r = await fetch(`${url}/crm/v6/settings/mailboxes`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      mailboxes: [
        {
          name: 'Support',
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
  expect(r.status).toBe(201);
  return ((await r.json()) as { mailboxes: { details: { id: string } }[] }).mailboxes[0].details.id;
}

async function statusOf(url: string, headers: Record<string, string>, id: string): Promise<Status> {
  const r = await fetch(`${url}/crm/v6/settings/mailboxes/${id}`, { headers });
  expect(r.status).toBe(200);
  return ((await r.json()) as { mailboxes: { status: Status }[] }).mailboxes[0].status;
}

async function untilStatus(
  read: () => Promise<Status>,
  check: (s: Status) => boolean,
  ms: number,
  what: string,
): Promise<Status> {
  const deadline = Date.now() + ms;
  for (;;) {
    const s = await read();
    if (check(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(s)}`);
    await sleep(100);
  }
}

async function adminHeaders(store: { dataDir: string; url?: string }) {
  const token = await mintLocalToken(
    { dataDir: store.dataDir, databaseUrl: store.url },
    { email: 'admin@example.com', role: 'admin' },
  );
  return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
}

describeImap('mailbox ingestion under faults (real Dovecot)', () => {
  let dovecot: Dovecot;
  let corpus: IngestCorpus;
  let folder: { uidValidity: string; lastUid: number };

  beforeAll(async () => {
    corpus = await ingestCorpus(MESSAGES, 'fault');
    dovecot = await startDovecot();
    await dovecot.append(corpus.messages);
    folder = await folderState(dovecot);
  }, 180_000);
  afterAll(() => dovecot?.stop());

  describe.each(ENGINES)('kill -9 of the server during ingestion (%s)', (engine) => {
    jest.setTimeout(240_000);

    it('ends with exactly the expected cases and links, and the checkpoint on the last UID', async () => {
      const store = await freshStore(engine);
      let server: ServerProcess | undefined;
      let storage: Storage | undefined;
      const started = Date.now();
      try {
        const headers = await adminHeaders(store);
        server = await spawnServer({ dataDir: store.dataDir, databaseUrl: store.url, env });
        const id = await connectMailbox(server.url, headers, dovecot);
        storage = await openStore(store);
        const committedAtKill: number[] = [];
        const takeover: number[] = [];
        for (let kill = 0; kill < 3; kill++) {
          const before = await handledCount(storage.db);
          if (kill > 0) {
            server = await spawnServer({ dataDir: store.dataDir, databaseUrl: store.url, env });
            // The dead process's lease must run out before this one reads: how long the mailbox stood still.
            const up = Date.now();
            await untilHandled(storage.db, before + 1, 60_000);
            takeover.push((Date.now() - up) / 1000);
          }
          // A random point within the next few hundred messages: mid-batch, mid-group-commit, mid-fetch.
          await untilHandled(storage.db, before + 100 + Math.floor(Math.random() * 200), 60_000);
          await server.kill9();
          committedAtKill.push(await handledCount(storage.db));
        }
        server = await spawnServer({ dataDir: store.dataDir, databaseUrl: store.url, env });
        const lastRound = { at: Date.now(), from: await handledCount(storage.db) };
        await untilHandled(storage.db, lastRound.from + 1, 60_000);
        takeover.push((Date.now() - lastRound.at) / 1000);
        const resumed = { at: Date.now(), from: await handledCount(storage.db) };
        await untilHandled(storage.db, corpus.messages.length, 120_000);
        const rate = (corpus.messages.length - resumed.from) / ((Date.now() - resumed.at) / 1000);
        const status = await untilStatus(
          () => statusOf(server!.url, headers, id),
          (s) =>
            s.last_poll_time !== null &&
            s.messages_captured === corpus.requests.length + corpus.replies.length,
          20_000,
          'the status to count every captured message',
        );
        await server.stop();
        const outcome = await ingestOutcome(storage.db, corpus, folder);
        process.stdout.write(
          `ingest kill -9 (${engine}): ${corpus.messages.length} messages (${corpus.requests.length} requests, ${corpus.replies.length} replies, ${corpus.duplicates} re-deliveries), ` +
            `3 kills with ${committedAtKill.join('/')} recorded, taken over after ${takeover.map((s) => s.toFixed(1)).join('/')} s, the rest at ${rate.toFixed(0)} messages/s; ` +
            `after restart: cases ${outcome.cases}, links ${outcome.links}, lost ${outcome.lost}, twice ${outcome.twice}, wrong thread ${outcome.wrongThread}, ` +
            `checkpoint ${outcome.checkpoint.map((c) => `${c.uidValidity}/${c.lastUid}`).join(',')} of ${folder.uidValidity}/${folder.lastUid}, ` +
            `status error ${status.last_error ?? 'none'}; ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
        );
        expect(outcome).toEqual(expectedOutcome(corpus, folder));
        expect(status.last_error).toBeNull();
        // Every kill came before the backlog was done: each restart really resumed mid-way.
        expect(committedAtKill[2]).toBeLessThan(corpus.messages.length);
      } finally {
        await server?.kill9();
        await storage?.close();
        await store.drop();
      }
    });
  });

  describe.each(ENGINES)('Dovecot restarted during ingestion (%s)', (engine) => {
    jest.setTimeout(240_000);

    it('recovers in the same server process, nothing lost or doubled, the error shown and then cleared', async () => {
      const store = await freshStore(engine);
      let server: ServerProcess | undefined;
      let storage: Storage | undefined;
      const started = Date.now();
      try {
        const headers = await adminHeaders(store);
        server = await spawnServer({ dataDir: store.dataDir, databaseUrl: store.url, env });
        const id = await connectMailbox(server.url, headers, dovecot);
        storage = await openStore(store);
        const status = () => statusOf(server!.url, headers, id);
        await untilHandled(storage.db, 200 + Math.floor(Math.random() * 300), 60_000);

        await dovecot.halt();
        const downAt = Date.now();
        let down: Status | undefined;
        try {
          down = await untilStatus(status, (s) => s.last_error !== null, 20_000, 'the outage in the status');
          // Down over several reconnection attempts (one a second).
          await sleep(2500);
        } finally {
          await dovecot.start();
        }
        const upAt = Date.now();
        const handledWhileDown = await handledCount(storage.db);
        await untilHandled(storage.db, corpus.messages.length, 120_000);
        const cleared = await untilStatus(
          status,
          (s) =>
            s.last_error === null && s.last_poll_time !== null && Date.parse(s.last_poll_time) >= upAt - 1000,
          20_000,
          'the error to clear after Dovecot is back',
        );
        const sameProcess = server.child.exitCode === null && server.child.signalCode === null;
        await server.stop();
        const outcome = await ingestOutcome(storage.db, corpus, folder);
        process.stdout.write(
          `ingest Dovecot restart (${engine}): ${corpus.messages.length} messages; down ${((upAt - downAt) / 1000).toFixed(1)} s after ${handledWhileDown} recorded, ` +
            `status said "${down?.last_error}" then ${cleared.last_error ?? 'no error'} (${cleared.messages_captured} captured); same server process ${sameProcess}; ` +
            `cases ${outcome.cases}, links ${outcome.links}, lost ${outcome.lost}, twice ${outcome.twice}, outcomes ${JSON.stringify(outcome.outcomes)}; ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
        );
        expect(sameProcess).toBe(true);
        expect(outcome).toEqual(expectedOutcome(corpus, folder));
        expect(cleared.messages_captured).toBe(corpus.requests.length + corpus.replies.length);
        expect(handledWhileDown).toBeLessThan(corpus.messages.length);
      } finally {
        await server?.kill9();
        await storage?.close();
        await store.drop();
      }
    });
  });
});
