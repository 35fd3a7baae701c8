import { ImapFlow } from 'imapflow';
import type { MailboxRow } from './mailbox.repository';
import * as repo from './mailbox.repository';
import { parseList } from './mailbox-settings.service';
import { captureMessage, recordBadMessage, type CaptureDeps } from './capture.service';

/** Sources fetched per round trip; bounded in bytes too, so memory stays flat whatever the backlog. */
const BATCH_MESSAGES = 100;
const BATCH_BYTES = 16 * 1024 * 1024;

export function connectImap(mailbox: MailboxRow): ImapFlow {
  const secure = Number(mailbox.secure) === 1;
  return new ImapFlow({
    host: mailbox.host,
    port: Number(mailbox.port),
    secure,
    // Without TLS from the start: STARTTLS required when asked for, else plain (loopback, tests).
    doSTARTTLS: secure ? undefined : Number(mailbox.starttls) === 1,
    auth: mailbox.access_token
      ? { user: mailbox.username, accessToken: mailbox.access_token }
      : { user: mailbox.username, pass: mailbox.password ?? '' },
    // Polled with NOOP when the server has no IDLE.
    missingIdleCommand: 'NOOP',
    logger: false,
    connectionTimeout: 30_000,
  });
}

export interface SyncOptions {
  maxMessageBytes: number;
  /** Stop after this many messages (a test stands for a process stopped mid-way). */
  limit?: number;
  /** Called before each batch and message: renews the lease when due; false stops reading (it was lost). */
  heartbeat?: () => Promise<boolean>;
}

interface Pending {
  uid: number;
  size: number;
}

/** UIDs after the checkpoint with their RFC822.SIZE, learnt before any message is downloaded. */
async function pendingMessages(client: ImapFlow, from: number): Promise<Pending[]> {
  const list: Pending[] = [];
  // `n:*` always names the newest message, even when its UID is below n: filtered here.
  for await (const m of client.fetch(`${from}:*`, { uid: true, size: true }, { uid: true }))
    if (m.uid >= from) list.push({ uid: m.uid, size: m.size ?? 0 });
  return list.sort((a, b) => a.uid - b.uid);
}

function batches(list: Pending[], maxBytes: number): Pending[][] {
  const out: Pending[][] = [];
  let current: Pending[] = [];
  let bytes = 0;
  for (const m of list) {
    if (current.length && (current.length >= BATCH_MESSAGES || bytes + m.size > BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += m.size <= maxBytes ? m.size : 0;
  }
  if (current.length) out.push(current);
  return out;
}

async function sources(client: ImapFlow, uids: number[]): Promise<Map<number, Buffer>> {
  const found = new Map<number, Buffer>();
  if (uids.length === 0) return found;
  for await (const m of client.fetch(uids.join(','), { uid: true, source: true }, { uid: true }))
    if (m.source) found.set(m.uid, m.source);
  return found;
}

/**
 * Read the mailbox's folder from its checkpoint on: every new message captured in UID order, each in its own
 * transaction with the checkpoint. A changed UIDVALIDITY starts the folder over; Message-IDs keep it free of
 * duplicates. Returns how many messages were handled.
 */
export async function syncFolder(
  deps: CaptureDeps,
  client: ImapFlow,
  mailbox: MailboxRow,
  options: SyncOptions,
): Promise<number> {
  const mailboxId = String(mailbox.id);
  const lock = await client.getMailboxLock(mailbox.folder, { readOnly: true });
  try {
    // An already selected folder is not selected again: NOOP brings its counts up to date (new EXISTS).
    await client.noop();
    const opened = client.mailbox;
    if (!opened) return 0;
    const uidValidity = String(opened.uidValidity);
    const checkpoint = await repo.findCheckpoint(deps.storage.db, mailboxId, mailbox.folder);
    const from = checkpoint && checkpoint.uidValidity === uidValidity ? checkpoint.lastUid + 1 : 1;
    // uidNext is only as fresh as the SELECT, so it cannot tell whether anything is new: the FETCH does.
    if (opened.exists === 0) return 0;
    const rules = {
      neverCapture: parseList(mailbox.never_capture),
      address: mailbox.username,
      ...(Number(mailbox.ack_enabled) === 1 && mailbox.ack_template_id !== null
        ? { acknowledgeWith: String(mailbox.ack_template_id) }
        : {}),
    };
    let handled = 0;
    for (const batch of batches(await pendingMessages(client, from), options.maxMessageBytes)) {
      if (options.heartbeat && !(await options.heartbeat())) break;
      const wanted = batch.filter((m) => m.size <= options.maxMessageBytes).map((m) => m.uid);
      const raw = await sources(client, wanted);
      for (const m of batch) {
        if (options.limit !== undefined && handled >= options.limit) return handled;
        if (options.heartbeat && !(await options.heartbeat())) return handled;
        const place = { mailboxId, folder: mailbox.folder, uidValidity, uid: m.uid };
        const source = raw.get(m.uid);
        if (m.size > options.maxMessageBytes)
          await recordBadMessage(
            deps,
            place,
            `${m.size} bytes: over the ${options.maxMessageBytes}-byte limit`,
          );
        else if (!source) await recordBadMessage(deps, place, 'the server returned no content');
        else await captureMessage(deps, place, source, rules);
        handled++;
      }
    }
    return handled;
  } finally {
    lock.release();
  }
}

/** Resolves when the server reports new mail (IDLE, or NOOP polling), after `ms`, or when stopped. */
export function waitForNews(client: ImapFlow, ms: number, stopped: Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('exists', done);
      client.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    client.on('exists', done);
    client.on('close', done);
    void stopped.then(done);
  });
}
