import { sql, type Kysely, type Transaction } from 'kysely';
import type { Storage } from './database';
import type { Database } from './schema';
import type { WriteLane } from './write-lane';

/**
 * Group commit, the engines' `storage.write`: writes that arrive while the database is busy share one
 * transaction, each in its own savepoint, and each caller is answered after the commit.
 */

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
interface PendingWrite {
  work: (trx: Transaction<Database>) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

function pendingWrite<T>(
  work: (trx: Transaction<Database>) => Promise<T>,
  resolve: (value: T) => void,
  reject: (error: unknown) => void,
): PendingWrite {
  return { work, resolve: resolve as (value: unknown) => void, reject };
}

/** Each caller of a committed group hears its own write's outcome. */
function answer(group: readonly PendingWrite[], outcomes: readonly Outcome[]): void {
  group.forEach((pending, index) => {
    const outcome = outcomes[index];
    if (outcome.ok) pending.resolve(outcome.value);
    else pending.reject(outcome.error);
  });
}

const SQLITE_GROUP_LIMIT = 256;

/**
 * `execRaw` runs the savepoint statements straight on the connection: the group's transaction holds Kysely's
 * connection lock while they run, and going through the query builder cost as much as the savepoints themselves.
 */
export function sqliteGroupCommitter(
  db: Kysely<Database>,
  execRaw: (statement: string) => void,
  lane: WriteLane,
): Storage['write'] {
  const queue: PendingWrite[] = [];
  let scheduled = false;
  const commitGroup = async (group: PendingWrite[]) => {
    const outcomes: Outcome[] = [];
    try {
      await db.transaction().execute(async (trx) => {
        for (const [index, pending] of group.entries()) {
          execRaw(`savepoint w${index}`);
          try {
            outcomes.push({ ok: true, value: await pending.work(trx) });
          } catch (error) {
            execRaw(`rollback to w${index}`);
            outcomes.push({ ok: false, error });
          }
          execRaw(`release w${index}`);
        }
      });
    } catch (error) {
      // The commit itself failed: nothing of the group is stored, so every caller hears so.
      group.forEach((pending) => pending.reject(error));
      return;
    }
    answer(group, outcomes);
  };
  // better-sqlite3 is synchronous, so a transaction runs to its end without giving the event loop a turn: a
  // group gathered right away would always hold one write. Waiting for the check phase lets every request read
  // from the sockets in this loop iteration join the same transaction (one commit for all of them). The group is
  // taken once the lane is ours: writes that arrive while the write worker holds it join this group.
  const drain = async () => {
    await lane.run(() => commitGroup(queue.splice(0, SQLITE_GROUP_LIMIT)));
    if (queue.length) setImmediate(drain);
    else scheduled = false;
  };
  return <T>(work: (trx: Transaction<Database>) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push(pendingWrite(work, resolve, reject));
      if (!scheduled) {
        scheduled = true;
        setImmediate(drain);
      }
    });
}

/**
 * PostgreSQL holds at most 64 subtransaction ids per backend in shared memory (PGPROC_MAX_CACHED_SUBXIDS); a
 * transaction with more makes every other backend's snapshot look them up on disk ("suboverflow"). A group stays
 * well under it.
 */
const POSTGRES_GROUP_LIMIT = 32;

/**
 * Group commit for PostgreSQL: up to `lanes` transactions at once, each on its own pooled connection. While every
 * lane is busy, writes queue; a lane that frees up takes all that waited (up to the limit) into one transaction.
 * Counted on the create path: a grouped write costs one round trip of its own (its savepoint) instead of two
 * (begin, commit), and the group shares one commit's WAL flush.
 * - The first write of a group runs without a savepoint: if it fails, the transaction is rolled back before any
 *   other write of the group has run; that caller hears its error and the others go back to the head of the queue.
 * - Savepoints are not released: the commit releases them all, and a release is a round trip more per write.
 * - A write is never run twice, so a route's closure sees its work run once, as on SQLite.
 */
export function postgresGroupCommitter(db: Kysely<Database>, lanes: number): Storage['write'] {
  const queue: PendingWrite[] = [];
  let running = 0;
  const runGroup = async (group: PendingWrite[]) => {
    const outcomes: Outcome[] = [];
    let firstFailed = false;
    try {
      await db.transaction().execute(async (trx) => {
        for (const [index, pending] of group.entries()) {
          if (index === 0) {
            firstFailed = true;
            outcomes.push({ ok: true, value: await pending.work(trx) });
            firstFailed = false;
            continue;
          }
          await sql.raw(`savepoint w${index}`).execute(trx);
          try {
            outcomes.push({ ok: true, value: await pending.work(trx) });
          } catch (error) {
            await sql.raw(`rollback to savepoint w${index}`).execute(trx);
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      if (firstFailed) {
        group[0].reject(error);
        queue.unshift(...group.slice(1));
      } else {
        // The commit (or a rollback to a savepoint) failed: nothing of the group is stored, so every caller hears so.
        group.forEach((pending) => pending.reject(error));
      }
      return;
    }
    answer(group, outcomes);
  };
  const pump = () => {
    while (running < lanes && queue.length) {
      const group = queue.splice(0, POSTGRES_GROUP_LIMIT);
      running++;
      void runGroup(group).finally(() => {
        running--;
        pump();
      });
    }
  };
  return <T>(work: (trx: Transaction<Database>) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push(pendingWrite(work, resolve, reject));
      pump();
    });
}
