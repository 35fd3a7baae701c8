import type { Executor } from '../db/executor';

/** Stores the bytes under their key unless they are there already (same key, same bytes: content-addressed). */
export async function insertBlob(db: Executor, key: string, content: Buffer, now: string): Promise<void> {
  await db
    .insertInto('attachment_blobs')
    .values({ blob_key: key, size: content.length, content, created_time: now })
    .onConflict((oc) => oc.column('blob_key').doNothing())
    .execute();
}

export async function blobContent(db: Executor, key: string): Promise<Buffer | undefined> {
  const row = await db
    .selectFrom('attachment_blobs')
    .select('content')
    .where('blob_key', '=', key)
    .executeTakeFirst();
  return row?.content;
}

export async function deleteBlob(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('attachment_blobs').where('blob_key', '=', key).execute();
}

/** Every blob the attachments table refers to, once each, in a stable order (the blob mover walks them). */
export async function referencedBlobs(
  db: Executor,
): Promise<{ key: string; sha256: string; size: number }[]> {
  const rows = await db
    .selectFrom('attachments')
    .select(['blob_key', 'sha256', 'size'])
    .distinct()
    .orderBy('blob_key')
    .execute();
  return rows.map((row) => ({ key: row.blob_key, sha256: row.sha256, size: Number(row.size) }));
}
