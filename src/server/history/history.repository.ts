import type { Selectable } from 'kysely';
import type { Executor } from '../db/executor';
import { insertRows } from '../db/insert-rows';
import type { CaseHistoryTable } from '../db/schema';

export type HistoryRow = Selectable<CaseHistoryTable>;

export async function insertHistory(
  trx: Executor,
  entry: { case_id: string; action: string; changes: string; actor_id: string | null; time: string },
): Promise<void> {
  await trx.insertInto('case_history').values(entry).execute();
}

export async function insertHistoryRows(
  trx: Executor,
  entries: { case_id: string; action: string; changes: string; actor_id: string | null; time: string }[],
): Promise<void> {
  for (let i = 0; i < entries.length; i += 1000)
    await insertRows(trx, 'case_history', entries.slice(i, i + 1000));
}

export async function historyOfCase(
  db: Executor,
  caseId: string,
  limit: number,
  offset: number,
): Promise<HistoryRow[]> {
  return db
    .selectFrom('case_history')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}
