import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../db/executor';
import type { ActivitiesTable } from '../db/schema';

/** The only place with SQL for a case's activities (tasks, events, calls). */

export type ActivityRow = Selectable<ActivitiesTable>;

export async function insertActivity(trx: Executor, row: Insertable<ActivitiesTable>): Promise<string> {
  const { id } = await trx.insertInto('activities').values(row).returning('id').executeTakeFirstOrThrow();
  return String(id);
}

export async function findActivityById(db: Executor, id: string): Promise<ActivityRow | undefined> {
  return db.selectFrom('activities').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function closeActivity(trx: Executor, id: string, status: string, now: string): Promise<void> {
  await trx.updateTable('activities').set({ status, closed_time: now }).where('id', '=', id).execute();
}

/** A case's open activities by due time, or its closed ones newest first; at most 200. */
export async function activitiesOfCase(
  db: Executor,
  caseId: string,
  which: 'open' | 'closed',
  closedStatuses: readonly string[],
  page: { limit: number; offset: number },
): Promise<ActivityRow[]> {
  return db
    .selectFrom('activities')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('status', which === 'open' ? 'not in' : 'in', closedStatuses)
    .orderBy(which === 'open' ? 'due_time' : 'closed_time', which === 'open' ? 'asc' : 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}
