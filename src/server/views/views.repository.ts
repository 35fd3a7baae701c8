import { sql, type Insertable, type Selectable } from 'kysely';
import type { CaseCondition } from '../cases/case-condition';
import { type CaseColumn, type CaseRow, caseWhere } from '../cases/case.repository';
import type { Dialect } from '../db/dialect';
import type { Executor } from '../db/executor';
import type { CustomViewsTable, RowId } from '../db/schema';

/** The only SQL of the views feature: saved views, the cases of a view in queue order, their last inbound email. */

export type CustomViewRow = Selectable<CustomViewsTable>;

export async function findView(db: Executor, id: string): Promise<CustomViewRow | undefined> {
  return db.selectFrom('custom_views').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The views a user sees: their own and every shared one. */
export async function visibleViews(db: Executor, userId: string): Promise<CustomViewRow[]> {
  return db
    .selectFrom('custom_views')
    .selectAll()
    .where((eb) => eb.or([eb('owner_id', '=', userId), eb('shared', '=', 1)]))
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export async function insertView(trx: Executor, row: Insertable<CustomViewsTable>): Promise<string> {
  const { id } = await trx.insertInto('custom_views').values(row).returning('id').executeTakeFirstOrThrow();
  return String(id);
}

export async function updateView(
  trx: Executor,
  id: string,
  patch: Partial<Omit<CustomViewRow, 'id'>>,
): Promise<boolean> {
  const r = await trx.updateTable('custom_views').set(patch).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteView(trx: Executor, id: string): Promise<boolean> {
  const r = await trx.deleteFrom('custom_views').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** The queue order's first key; the indexes repeat this expression word for word. */
export const PRIORITY_RANK = `case priority when 'High' then 0 when 'Medium' then 1 when 'Low' then 2 else 3 end`;

export type QueueOrder =
  { kind: 'priority_age' } | { kind: 'column'; column: CaseColumn; direction: 'asc' | 'desc' };

/**
 * Cases of a view, a page at a time. priority_age: High, Medium, Low, none; then the oldest first — the order an
 * agent works a queue in (a text sort of Priority would put High after Low).
 */
export async function queueCases(
  db: Executor,
  dialect: Dialect,
  where: CaseCondition | undefined,
  order: QueueOrder,
  limit: number,
  offset: number,
): Promise<CaseRow[]> {
  let q = db.selectFrom('cases').selectAll();
  if (where) q = q.where(caseWhere(dialect, where));
  if (order.kind === 'priority_age')
    q = q.orderBy(sql.raw(PRIORITY_RANK), 'asc').orderBy('created_time', 'asc').orderBy('id', 'asc');
  else q = q.orderBy(order.column, order.direction).orderBy('id', order.direction);
  return q.limit(limit).offset(offset).execute();
}

export interface LastInboundRow {
  id: RowId;
  case_id: RowId;
  subject: string | null;
  time: string;
  snippet: string | null;
  item_id: string | null;
  mailbox: string | null;
}

/** The latest received email of each case (by its sent time, else when it was linked). */
export async function lastInboundEmails(db: Executor, caseIds: readonly RowId[]): Promise<LastInboundRow[]> {
  if (caseIds.length === 0) return [];
  const ranked = db
    .selectFrom('email_links')
    .select((eb) => [
      'id',
      'case_id',
      'subject',
      'item_id',
      'mailbox',
      eb.fn.coalesce('sent_time', 'linked_time').as('time'),
      sql<string | null>`substr(body_text, 1, 200)`.as('snippet'),
      sql<number>`row_number() over (partition by case_id order by coalesce(sent_time, linked_time) desc, id desc)`.as(
        'rank',
      ),
    ])
    .where('direction', '=', 'received')
    .where('case_id', 'in', caseIds)
    .as('ranked');
  const rows = await db
    .selectFrom(ranked)
    .select(['id', 'case_id', 'subject', 'item_id', 'mailbox', 'time', 'snippet'])
    .where('rank', '=', 1)
    .execute();
  return rows.map((r) => ({ ...r, time: String(r.time) }));
}
