import type { AttachmentRecord } from '../../shared/followup-types';
import { attachmentProblem } from '../../shared/attachments';
import { type Executor, nowIso } from '../db/executor';
import { apiError, notFound } from '../http/errors';
import { namesOf } from '../lookups/lookup.repository';
import { requireCase } from '../cases/case.service';
import type { ServiceContext } from '../http/context';
import * as history from '../history/history.service';
import { BlobMissing, BlobStoreUnavailable, type BlobStore } from './blob-store';
import * as repo from './attachment.repository';

export interface UploadedFile {
  fileName: string;
  contentType: string;
  data: Buffer;
  sourceMessageId?: string;
}

/** Types a browser may show inline; everything else downloads as octet-stream. */
const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'application/pdf', 'text/plain']);

export async function addAttachment(
  trx: Executor,
  ctx: ServiceContext,
  blobs: BlobStore,
  caseId: string,
  file: UploadedFile,
) {
  await requireCase(trx, caseId);
  const problem = attachmentProblem(file.fileName, file.data.length);
  if (problem) throw apiError(400, 'INVALID_DATA', `file: ${problem}`, { api_name: 'file' });
  const contentType = /^[a-z]+\/[a-z0-9.+-]+$/i.test(file.contentType)
    ? file.contentType.toLowerCase()
    : 'application/octet-stream';
  // Bytes first, row second: a crash between leaves an unreferenced blob, never a row without bytes.
  const blob = await blobs.put(file.data).catch((error: unknown) => {
    if (error instanceof BlobStoreUnavailable)
      throw apiError(
        503,
        'SERVICE_UNAVAILABLE',
        'the attachment store could not take the file; try again shortly',
        { api_name: 'file' },
        { headers: { 'retry-after': '2' }, cause: error.cause },
      );
    throw error;
  });
  const now = nowIso();
  const id = await repo.insertAttachment(trx, {
    case_id: caseId,
    file_name: file.fileName,
    size: blob.size,
    content_type: contentType,
    blob_key: blob.key,
    sha256: blob.sha256,
    source_message_id: file.sourceMessageId?.slice(0, 998) ?? null,
    created_by_id: ctx.user.id,
    created_time: now,
  });
  await history.record(trx, caseId, 'attachment_added', ctx.user.id, now, [
    { api_name: 'Attachments', old: null, new: file.fileName },
  ]);
  return {
    code: 'SUCCESS' as const,
    details: { id, Created_Time: now, sha256: blob.sha256 },
    message: 'attachment uploaded',
    status: 'success' as const,
  };
}

export async function listAttachments(db: Executor, caseId: string): Promise<AttachmentRecord[]> {
  await requireCase(db, caseId);
  const rows = await repo.attachmentsOfCase(db, caseId);
  const users = await namesOf(
    db,
    'Users',
    rows.map((r) => r.created_by_id),
  );
  return rows.map((r) => ({
    id: String(r.id),
    File_Name: r.file_name,
    Size: Number(r.size),
    Content_Type: r.content_type,
    Source_Message_Id: r.source_message_id,
    Created_By: { id: String(r.created_by_id), name: users.get(String(r.created_by_id))?.name ?? '' },
    Created_Time: r.created_time,
  }));
}

export async function readAttachment(db: Executor, blobs: BlobStore, caseId: string, id: string) {
  const row = await repo.findAttachmentOfCase(db, caseId, id);
  if (!row) throw notFound(id);
  return {
    data: await readBlob(blobs, row.blob_key, id),
    fileName: row.file_name,
    contentType: INLINE_TYPES.has(row.content_type) ? row.content_type : 'application/octet-stream',
  };
}

/**
 * The bytes of an attachment whose row exists. A blob the store does not have is the client's clear 404 (the record
 * stays listed; its file is gone), a store that cannot be read a 503 to retry — neither is a server fault (500).
 */
async function readBlob(blobs: BlobStore, key: string, attachmentId: string): Promise<Buffer> {
  try {
    return await blobs.read(key);
  } catch (error) {
    if (error instanceof BlobMissing)
      throw apiError(
        404,
        'INVALID_DATA',
        'the file of this attachment is missing from the attachment store (it was removed, or it was uploaded ' +
          'to another API node whose DATA_DIR/blobs this node does not share)',
        { id: attachmentId, api_name: 'Attachments', reason: 'blob_missing' },
      );
    if (error instanceof BlobStoreUnavailable)
      throw apiError(
        503,
        'SERVICE_UNAVAILABLE',
        'the file of this attachment could not be read from the attachment store; try again shortly',
        { id: attachmentId, api_name: 'Attachments' },
        { headers: { 'retry-after': '2' }, cause: error.cause },
      );
    throw error;
  }
}
