import crypto from 'node:crypto';
import os from 'node:os';
import type { ImapFlow } from 'imapflow';
import type { Outbox } from '../outbox/outbox';
import type { CaptureDeps } from './capture.service';
import { connectImap, syncFolder, waitForNews } from './imap-reader';
import { accessTokenFor, forgetToken } from './oauth-token';
import * as repo from './mailbox.repository';

export interface CaptureSettings {
  pollSeconds: number;
  maxMessageBytes: number;
  /** Who this process is in the lease table; unique per process (tests run several in one). */
  holder?: string;
  /** How long a lease lasts unless renewed; renewed at least three times within it. */
  leaseSeconds?: number;
}

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const sleep = (ms: number, stopped: Promise<void>) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    void stopped.then(() => (clearTimeout(timer), resolve()));
  });

/**
 * Reads every enabled mailbox that this process holds the lease of: one reader per mailbox, a look for new or
 * freed mailboxes every poll interval. With several processes on one database each mailbox has one reader; when
 * its process dies the lease runs out and another takes over. Returns stop(), which releases the leases.
 */
export function startMailboxCapture(
  deps: CaptureDeps & { outbox?: Outbox },
  settings: CaptureSettings,
  onError: (error: unknown, mailboxId?: string) => void,
): () => Promise<void> {
  const holder =
    settings.holder ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
  const leaseSeconds = settings.leaseSeconds ?? Math.max(15, settings.pollSeconds * 3);
  const running = new Map<string, Promise<void>>();
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  let isStopped = false;
  void stopped.then(() => (isStopped = true));

  const lease = (id: string) =>
    deps.storage.write((trx) =>
      repo.acquireLease(trx, id, holder, new Date().toISOString(), inSeconds(leaseSeconds)),
    );

  // Renewed a third of the way into the lease, so a slow message cannot outlast it unnoticed.
  const renewer = (id: string) => {
    let renewed = Date.now();
    return async () => {
      if (Date.now() - renewed < (leaseSeconds * 1000) / 3) return true;
      const held = await lease(id).catch(() => false);
      renewed = Date.now();
      return held;
    };
  };

  const read = async (id: string) => {
    let client: ImapFlow | undefined;
    try {
      const first = await repo.findMailbox(deps.storage.db, id);
      while (!isStopped && (await lease(id))) {
        const mailbox = await repo.findMailbox(deps.storage.db, id);
        // Changed settings start a new reader with them; a disabled or deleted mailbox is let go.
        if (!mailbox || Number(mailbox.enabled) !== 1 || mailbox.modified_time !== first?.modified_time)
          break;
        try {
          if (!client?.usable) {
            client?.close();
            client = connectImap(mailbox, await accessTokenFor(mailbox));
            client.on('error', () => undefined);
            await client.connect().catch((error: unknown) => {
              // A refused token (revoked, or expired early) is not asked for again from the cache.
              if ((error as { authenticationFailed?: boolean }).authenticationFailed) forgetToken(id);
              throw error;
            });
          }
          await syncFolder(deps, client, mailbox, {
            maxMessageBytes: settings.maxMessageBytes,
            heartbeat: renewer(id),
          });
          deps.outbox?.kick();
          await deps.storage.write((trx) => repo.recordPoll(trx, id, new Date().toISOString(), null));
          await waitForNews(client, Math.min(settings.pollSeconds, leaseSeconds / 3) * 1000, stopped);
        } catch (error) {
          // imapflow says "Command failed" and puts the server's words (AUTHENTICATIONFAILED …) beside it.
          const { message, responseText } = error as Error & { responseText?: string };
          const said = [message, responseText].filter(Boolean).join(': ').slice(0, 500) || String(error);
          await deps.storage
            .write((trx) => repo.recordPoll(trx, id, new Date().toISOString(), said))
            .catch(() => undefined);
          onError(error, id);
          client?.close();
          client = undefined;
          await sleep(Math.min(settings.pollSeconds, leaseSeconds / 3) * 1000, stopped);
        }
      }
    } finally {
      if (client?.usable) await client.logout().catch(() => client?.close());
      await deps.storage.write((trx) => repo.releaseLease(trx, id, holder)).catch(() => undefined);
      running.delete(id);
    }
  };

  let looking = false;
  const look = async () => {
    // One look at a time: two overlapping ones could both start a reader for the same mailbox.
    if (looking) return;
    looking = true;
    try {
      for (const mailbox of await repo.listMailboxes(deps.storage.db)) {
        const id = String(mailbox.id);
        if (isStopped || Number(mailbox.enabled) !== 1 || running.has(id)) continue;
        if (!(await lease(id))) continue;
        running.set(
          id,
          read(id).catch((error) => onError(error, id)),
        );
      }
    } catch (error) {
      onError(error);
    } finally {
      looking = false;
    }
  };
  void look();
  const timer = setInterval(() => void look(), settings.pollSeconds * 1000);
  return async () => {
    clearInterval(timer);
    stop();
    await Promise.all(running.values());
  };
}
