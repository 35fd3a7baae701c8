import type { Selectable } from 'kysely';
import type { Executor } from '../db/executor';
import type { ImportsTable, RowId } from '../db/schema';

/** The imports table (one row per import key, its counters and report) and the row claims of each import. */
export type ImportRow = Selectable<ImportsTable>;

export interface ImportCounters {
  total_rows: number;
  created_rows: number;
  skipped_rows: number;
  failed_rows: number;
}

export async function findImport(db: Executor, key: string): Promise<ImportRow | undefined> {
  return db.selectFrom('imports').selectAll().where('import_key', '=', key).executeTakeFirst();
}

/** Mark the key running (a re-run keeps its counters until the first batch), creating its row on first use. */
export async function startImport(
  db: Executor,
  row: { key: string; fileName: string; userId: string; now: string },
  existing: boolean,
): Promise<void> {
  if (existing)
    await db
      .updateTable('imports')
      .set({ status: 'running', created_time: row.now, heartbeat_time: row.now, file_name: row.fileName })
      .where('import_key', '=', row.key)
      .execute();
  else
    await db
      .insertInto('imports')
      .values({
        import_key: row.key,
        file_name: row.fileName,
        status: 'running',
        report: '[]',
        total_rows: 0,
        created_rows: 0,
        skipped_rows: 0,
        failed_rows: 0,
        created_by_id: row.userId,
        created_time: row.now,
        heartbeat_time: row.now,
      })
      .execute();
}

export async function saveProgress(
  db: Executor,
  key: string,
  counters: ImportCounters,
  now: string,
): Promise<void> {
  await db
    .updateTable('imports')
    .set({ ...counters, heartbeat_time: now })
    .where('import_key', '=', key)
    .execute();
}

export async function beat(db: Executor, key: string, now: string): Promise<void> {
  await db
    .updateTable('imports')
    .set({ heartbeat_time: now })
    .where('import_key', '=', key)
    .where('status', '=', 'running')
    .execute();
}

export async function finishImport(
  db: Executor,
  key: string,
  end: { status: 'finished' | 'failed'; report: string; now: string; counters?: ImportCounters },
): Promise<void> {
  await db
    .updateTable('imports')
    .set({ ...end.counters, status: end.status, report: end.report, finished_time: end.now })
    .where('import_key', '=', key)
    .execute();
}

/** Running imports whose heartbeat is older than `before` (or missing): their process is gone. */
export async function failStaleImports(db: Executor, before: string, now: string): Promise<string[]> {
  const stale = await db
    .selectFrom('imports')
    .select(['import_key', 'heartbeat_time', 'created_time'])
    .where('status', '=', 'running')
    .execute();
  const keys = stale
    .filter((r) => Date.parse(r.heartbeat_time ?? r.created_time) < Date.parse(before))
    .map((r) => r.import_key);
  if (keys.length)
    await db
      .updateTable('imports')
      .set({
        status: 'failed',
        finished_time: now,
        report: JSON.stringify([
          { row: 0, field: 'file', error: 'the import was interrupted (the server stopped); run it again' },
        ]),
      })
      .where('import_key', 'in', keys)
      .where('status', '=', 'running')
      .execute();
  return keys;
}

/** Which of these rows of the import have already landed (a re-run skips them). */
export async function landedRows(db: Executor, key: string, rows: number[]): Promise<Set<number>> {
  if (!rows.length) return new Set();
  const found = await db
    .selectFrom('import_rows')
    .select('row_number')
    .where('import_key', '=', key)
    .where('row_number', 'in', rows)
    .execute();
  return new Set(found.map((r) => r.row_number));
}

export async function claimRows(
  db: Executor,
  key: string,
  claims: { row: number; caseId: RowId }[],
): Promise<void> {
  if (!claims.length) return;
  await db
    .insertInto('import_rows')
    .values(claims.map((c) => ({ import_key: key, row_number: c.row, case_id: c.caseId })))
    .execute();
}
