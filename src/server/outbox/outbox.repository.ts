import type { Selectable } from 'kysely';
import type { Executor } from '../db/executor';
import type { OutboxTable } from '../db/schema';

export type OutboxRow = Selectable<OutboxTable>;

export async function insertOutboxRow(
  trx: Executor,
  row: { kind: string; payload: string; now: string },
): Promise<string> {
  const { id } = await trx
    .insertInto('outbox')
    .values({
      kind: row.kind,
      payload: row.payload,
      status: 'pending',
      attempts: 0,
      next_attempt_time: row.now,
      lease_until: null,
      last_error: null,
      created_time: row.now,
      done_time: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(id);
}

/** Pending rows whose time has come and whose lease (if any) has run out, oldest first. */
export async function dueOutboxIds(db: Executor, now: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('outbox')
    .select('id')
    .where('status', '=', 'pending')
    .where('next_attempt_time', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => String(r.id));
}

/**
 * Take the row for one delivery attempt: a single conditional update, so of several processes (or nodes) only
 * one wins, and a row whose last holder died is taken again once its lease has run out.
 */
export async function claimOutboxRow(
  db: Executor,
  id: string,
  now: string,
  leaseUntil: string,
): Promise<OutboxRow | undefined> {
  const result = await db
    .updateTable('outbox')
    .set((eb) => ({ lease_until: leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('next_attempt_time', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return undefined;
  return db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function finishOutboxRow(
  trx: Executor,
  id: string,
  end: { status: 'sent' | 'failed'; now: string; error?: string },
): Promise<void> {
  await trx
    .updateTable('outbox')
    .set({ status: end.status, done_time: end.now, lease_until: null, last_error: end.error ?? null })
    .where('id', '=', id)
    .execute();
}

export async function retryOutboxRow(
  db: Executor,
  id: string,
  retry: { at: string; error: string },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ next_attempt_time: retry.at, lease_until: null, last_error: retry.error })
    .where('id', '=', id)
    .execute();
}
