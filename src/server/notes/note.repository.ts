import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../db/executor';
import type { NotesTable } from '../db/schema';

/** The only place with SQL for notes. */

export type NoteRow = Selectable<NotesTable>;

export async function insertNote(trx: Executor, row: Insertable<NotesTable>): Promise<string> {
  const { id } = await trx.insertInto('notes').values(row).returning('id').executeTakeFirstOrThrow();
  return String(id);
}

export async function notesOfCase(
  db: Executor,
  caseId: string,
  limit: number,
  offset: number,
): Promise<NoteRow[]> {
  return db
    .selectFrom('notes')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

/** Every note, newest first, one page (limit is one more than the page to tell whether more follow). */
export async function listNotes(db: Executor, limit: number, offset: number): Promise<NoteRow[]> {
  return db.selectFrom('notes').selectAll().orderBy('id', 'desc').limit(limit).offset(offset).execute();
}

export async function findNotesByIds(db: Executor, ids: readonly string[]): Promise<NoteRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('notes').selectAll().where('id', 'in', ids).execute();
}

export async function updateNote(trx: Executor, id: string, patch: Updateable<NotesTable>): Promise<void> {
  await trx.updateTable('notes').set(patch).where('id', '=', id).execute();
}

export async function deleteNote(trx: Executor, id: string): Promise<boolean> {
  const result = await trx.deleteFrom('notes').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
