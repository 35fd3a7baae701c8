import type { Storage } from '../db/database';
import type { ServiceContext } from '../http/context';
import type { FieldError } from '../../shared/validation';
import { createdIn, validateFromEmail, type Validated } from './from-email.service';
import { convertOperation, type Conversion } from './convert.operation';

export interface BatcherOptions {
  /** Messages in one shared write at most. */
  maxMessages?: number;
  /** Shared writes under way at once (default: two, or one where the storage writes one at a time). */
  inFlight?: number;
}

interface Waiting {
  ctx: ServiceContext;
  /** Each record's own checks: its values and message, or its field errors. */
  checked: (Validated | FieldError[])[];
  validated: Validated[];
  /** Its messages' internet message ids, read once. */
  messageIds: string[];
  resolve(conversion: Conversion): void;
  reject(error: unknown): void;
}

/**
 * POST /Cases/actions/from_email under load (issue 15, item 5): concurrent conversions of one user (under one copy
 * of the field layout) share one write.
 * While `inFlight` writes are under way, arriving requests wait; the next write converts all their messages at
 * once — one multi-row insert each for the claims, cases, history, links and rollup instead of those statements
 * per request, which is what a conversion's cost is made of (round trips, on PostgreSQL). A request that finds
 * a write free is written at once, alone, as before.
 *
 * Every request is answered as if it had come alone:
 * - a request whose records fail their own checks, or that names one message twice, is written alone (its error);
 * - requests naming the same message never share a write (the second is a duplicate of the first, as alone);
 * - if a shared write fails (a lookup names a missing record, a message being converted elsewhere, a lost
 *   connection), nothing of it is stored and each of its requests is written again on its own.
 */
export function conversionBatcher(storage: Storage, options: BatcherOptions = {}) {
  const maxMessages = options.maxMessages ?? 64;
  // SQLite writes one transaction at a time, so one shared write is all it can use (measured: 64 clients 3,100
  // conversions/s with one, 2,400 with four); on PostgreSQL a second overlaps the first's commit.
  const inFlight = options.inFlight ?? Math.min(2, storage.concurrentWrites);
  const queue: Waiting[] = [];
  let running = 0;

  // A named operation, so that on SQLite the write worker runs it while this thread reads the next requests.
  const convert = (ctx: ServiceContext, checked: Waiting['checked']) =>
    storage.operate(convertOperation, { user: ctx.user, fields: ctx.fields, checked });
  const alone = (w: Waiting) => convert(w.ctx, w.checked).then(w.resolve, w.reject);

  /**
   * Write a batch, then answer its requests. `free` lets the next batch start first: answering dozens of requests
   * takes this thread a while, and on SQLite the write worker would sit idle through it.
   */
  const together = async (batch: Waiting[], free: () => void) => {
    let combined: Conversion;
    try {
      combined = await convert(
        batch[0].ctx,
        batch.flatMap((w) => w.validated),
      );
    } catch (error) {
      if (batch.length === 1) batch[0].reject(error);
      else await Promise.all(batch.map(alone));
      free();
      return;
    }
    free();
    let offset = 0;
    for (const w of batch) {
      const results = combined.results.slice(offset, offset + w.validated.length);
      offset += w.validated.length;
      w.resolve({ results, created: createdIn(results) });
    }
  };

  /** The oldest request and, after it, the waiting requests of the same user and layout that fit with it. */
  const takeBatch = (): Waiting[] => {
    const head = queue.shift() as Waiting;
    const batch = [head];
    const ids = new Set(head.messageIds);
    let messages = head.messageIds.length;
    for (let i = 0; i < queue.length && messages < maxMessages;) {
      const w = queue[i];
      const own = w.messageIds;
      if (
        w.ctx.user.id !== head.ctx.user.id ||
        // The same copy of the field layout: a request checked after a layout change is held to the new one.
        w.ctx.fields !== head.ctx.fields ||
        messages + own.length > maxMessages ||
        own.some((id) => ids.has(id))
      ) {
        i++;
        continue;
      }
      queue.splice(i, 1);
      batch.push(w);
      own.forEach((id) => ids.add(id));
      messages += own.length;
    }
    return batch;
  };

  const pump = () => {
    while (running < inFlight && queue.length) {
      const batch = takeBatch();
      running++;
      void together(batch, () => {
        running--;
        pump();
      });
    }
  };

  return (ctx: ServiceContext, items: unknown[]): Promise<Conversion> =>
    new Promise<Conversion>((resolve, reject) => {
      const checked = items.map((item) => validateFromEmail(ctx, item));
      const validated = checked.filter((v): v is Validated => !Array.isArray(v));
      const messageIds = validated.map((v) => v.message.internet_message_id);
      const waiting: Waiting = { ctx, checked, validated, messageIds, resolve, reject };
      // Its own error, written alone: a bad request never holds up or fails the others.
      if (validated.length !== checked.length || new Set(messageIds).size !== messageIds.length) {
        void alone(waiting);
        return;
      }
      queue.push(waiting);
      pump();
    });
}
