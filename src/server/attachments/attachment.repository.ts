import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../db/executor';
import type { AttachmentsTable } from '../db/schema';

/** The only place with SQL for attachment records (their bytes are in the blob store). */

export type AttachmentRow = Selectable<AttachmentsTable>;

export async function insertAttachment(trx: Executor, row: Insertable<AttachmentsTable>): Promise<string> {
  const { id } = await trx.insertInto('attachments').values(row).returning('id').executeTakeFirstOrThrow();
  return String(id);
}

/** Newest first, at most 500. */
export async function attachmentsOfCase(db: Executor, caseId: string): Promise<AttachmentRow[]> {
  return db
    .selectFrom('attachments')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('id', 'desc')
    .limit(500)
    .execute();
}

/** Only when it belongs to that case: an id of another case's attachment finds nothing. */
export async function findAttachmentOfCase(
  db: Executor,
  caseId: string,
  id: string,
): Promise<AttachmentRow | undefined> {
  return db
    .selectFrom('attachments')
    .selectAll()
    .where('id', '=', id)
    .where('case_id', '=', caseId)
    .executeTakeFirst();
}
