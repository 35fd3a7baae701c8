import type { Transaction } from 'kysely';
import type { Storage } from '../db/database';
import type { Executor } from '../db/executor';
import type { Database } from '../db/schema';
import * as repo from './outbox.repository';

/**
 * Side effects after commit. A change that causes an outgoing effect (an email to a customer) writes it here, in
 * its own transaction; once that transaction has committed, a dispatcher delivers it, with retries. So nothing
 * goes out for a rolled-back write, nothing is lost when the process dies after the commit (pending rows are
 * taken up again by any process once their lease runs out), and a slow or dead SMTP server never holds a
 * database transaction. Delivery is at least once: a process that dies after the SMTP server accepted a message
 * but before it recorded that sends it again, with the same Message-ID, which receivers use to drop duplicates.
 */

/** Thrown by a handler when retrying cannot help (the SMTP server refused the recipient for good). */
export class PermanentFailure extends Error {}

export interface OutboxHandler<P, R> {
  /** Perform the effect; any error other than PermanentFailure is retried later. */
  deliver(payload: P): Promise<R>;
  /** Record the delivered effect, in the transaction that marks the row sent; what it returns is the outcome. */
  delivered(trx: Transaction<Database>, payload: P, result: R): Promise<R>;
  /** Record that it will never be delivered, in the transaction that marks the row failed. */
  failed(trx: Transaction<Database>, payload: P, error: string): Promise<void>;
}

export type Outcome<R = unknown> =
  | { state: 'sent'; result: R }
  | { state: 'failed'; error: string }
  /** Not delivered yet: still being tried, or waiting for its next attempt (with the last error). */
  | { state: 'queued'; error?: string };

export interface OutboxSettings {
  /** How long one process holds a row while it delivers; must exceed the longest delivery attempt. */
  leaseSeconds: number;
  /** The first retry's delay; each later one doubles, up to six hours. */
  retrySeconds: number;
  maxAttempts: number;
  /** How often due rows (retries, rows left by a dead process) are looked for. */
  pollSeconds: number;
  /** How long a request waits after its commit for the first attempt, so the agent usually learns the outcome. */
  waitMs: number;
}

export const DEFAULT_OUTBOX_SETTINGS: OutboxSettings = {
  leaseSeconds: 120,
  retrySeconds: 30,
  maxAttempts: 10,
  pollSeconds: 5,
  waitMs: 3000,
};

const MAX_RETRY_MS = 6 * 3600_000;
/** How long a stopping process waits for deliveries under way. */
const STOP_WAIT_MS = 5000;
/** Deliveries at once from one process: enough for a bulk send, few enough for any SMTP server. */
const CONCURRENCY = 4;
/** Rows taken per query, and queries per poll at most (the rest waits for the next poll). */
const POLL_BATCH = 50;
const MAX_BATCHES_PER_POLL = 40;

const iso = (ms: number) => new Date(ms).toISOString();
const message = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 500);

export class Outbox {
  private readonly handlers = new Map<string, OutboxHandler<never, unknown>>();
  /** Attempts under way in this process, by row id: a request waiting for its row joins the running attempt. */
  private readonly inFlight = new Map<string, Promise<Outcome>>();
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  private timer?: NodeJS.Timeout;
  private polling = false;
  private kicked = false;
  private started = false;

  constructor(
    private readonly storage: Storage,
    private readonly settings: OutboxSettings,
    private readonly onError: (error: unknown) => void,
  ) {}

  register<P, R>(kind: string, handler: OutboxHandler<P, R>): void {
    this.handlers.set(kind, handler as unknown as OutboxHandler<never, unknown>);
  }

  /** Write an effect in the caller's transaction; it is delivered only if that transaction commits. */
  enqueue<P>(trx: Executor, kind: string, payload: P): Promise<string> {
    if (!this.handlers.has(kind)) throw new Error(`no outbox handler for ${kind}`);
    return repo.insertOutboxRow(trx, { kind, payload: JSON.stringify(payload), now: iso(Date.now()) });
  }

  /**
   * After the commit: attempt these rows now, and answer with each one's outcome as it stands after at most
   * `waitMs` (the attempts go on in the background).
   */
  async deliverNow<R>(ids: string[]): Promise<Outcome<R>[]> {
    const attempts = ids.map((id) => this.attempt(id));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Outcome>((resolve) => {
      timer = setTimeout(() => resolve({ state: 'queued' }), this.settings.waitMs);
    });
    try {
      return (await Promise.all(attempts.map((a) => Promise.race([a, late])))) as Outcome<R>[];
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Poll for due rows until the returned function is called; that one waits for attempts under way, at most
   * STOP_WAIT_MS (an attempt stuck on a mail server is left to its lease: another process takes the row later).
   */
  start(): () => Promise<void> {
    this.started = true;
    void this.poll();
    this.timer = setInterval(() => void this.poll(), this.settings.pollSeconds * 1000);
    this.timer.unref();
    return async () => {
      this.started = false;
      clearInterval(this.timer);
      let timer: NodeJS.Timeout | undefined;
      const enough = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, STOP_WAIT_MS);
      });
      await Promise.race([Promise.allSettled([...this.inFlight.values()]), enough]);
      clearTimeout(timer);
    };
  }

  /**
   * Look for due rows now rather than at the next poll: called after a request's commit, so effects that need no
   * answer in the request (notifications) still leave at once. A kick during a poll runs one more poll after it.
   */
  kick(): void {
    if (!this.started) return;
    if (this.polling) this.kicked = true;
    else void this.poll();
  }

  /** Take due rows in batches until none is left (a backlog of thousands must not wait a poll per batch). */
  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      do {
        this.kicked = false;
        for (let batch = 0; batch < MAX_BATCHES_PER_POLL; batch++) {
          const due = await repo.dueOutboxIds(this.storage.db, iso(Date.now()), POLL_BATCH);
          await Promise.all(due.filter((id) => !this.inFlight.has(id)).map((id) => this.attempt(id)));
          if (due.length < POLL_BATCH || !this.started) break;
        }
      } while (this.kicked && this.started);
    } catch (error) {
      this.onError(error);
    } finally {
      this.polling = false;
    }
  }

  private attempt(id: string): Promise<Outcome> {
    const running = this.inFlight.get(id);
    if (running) return running;
    const attempt = this.limited(() => this.deliver(id))
      .catch((error: unknown): Outcome => {
        this.onError(error);
        return { state: 'queued', error: message(error) };
      })
      .finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, attempt);
    return attempt;
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= CONCURRENCY) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  /** One attempt: claim the row, perform the effect, then record the outcome in one transaction. */
  private async deliver(id: string): Promise<Outcome> {
    const now = Date.now();
    const row = await repo.claimOutboxRow(
      this.storage.db,
      id,
      iso(now),
      iso(now + this.settings.leaseSeconds * 1000),
    );
    if (!row) return { state: 'queued' }; // another process holds it, or it is not due
    const handler = this.handlers.get(row.kind);
    if (!handler) {
      // Written by a newer version of the server: leave it to a process that knows the kind.
      await repo.retryOutboxRow(this.storage.db, id, {
        at: iso(now + 60_000),
        error: `unknown kind ${row.kind}`,
      });
      return { state: 'queued' };
    }
    const payload = JSON.parse(row.payload) as never;
    let result: unknown;
    try {
      result = await handler.deliver(payload);
    } catch (error) {
      const reason = message(error);
      if (!(error instanceof PermanentFailure) && row.attempts < this.settings.maxAttempts) {
        const delay = Math.min(this.settings.retrySeconds * 1000 * 2 ** (row.attempts - 1), MAX_RETRY_MS);
        await repo.retryOutboxRow(this.storage.db, id, { at: iso(Date.now() + delay), error: reason });
        return { state: 'queued', error: reason };
      }
      await this.storage.write(async (trx) => {
        await repo.finishOutboxRow(trx, id, { status: 'failed', now: iso(Date.now()), error: reason });
        await handler.failed(trx, payload, reason);
      });
      return { state: 'failed', error: reason };
    }
    const recorded = await this.storage.write(async (trx) => {
      await repo.finishOutboxRow(trx, id, { status: 'sent', now: iso(Date.now()) });
      return handler.delivered(trx, payload, result);
    });
    return { state: 'sent', result: recorded };
  }
}
