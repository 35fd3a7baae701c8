import crypto from 'node:crypto';
import type { Executor } from '../db/executor';
import { BlobMissing, type BlobStore } from './blob-store';
import { referencedBlobs } from './blob.repository';

export interface MoveReport {
  /** Distinct blobs the attachments table refers to. */
  referenced: number;
  /** Copied to the target and read back with the right size and sha256. */
  copied: number;
  /** Already in the target with the right size and sha256 (a re-run, or bytes shared with another attachment). */
  present: number;
  /** Not in the source either: those attachments answer 404 wherever they are read. */
  missing: string[];
  /** The source's bytes do not match the row (size or sha256), or the copy did not read back right. */
  failed: { key: string; reason: string }[];
}

const sha256Of = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');

/** The target's bytes under `key`, if they are the ones the row describes; undefined when absent. */
async function verified(store: BlobStore, blob: { key: string; sha256: string; size: number }) {
  try {
    const data = await store.read(blob.key);
    return data.length === blob.size && sha256Of(data) === blob.sha256 ? 'ok' : 'wrong';
  } catch (error) {
    if (error instanceof BlobMissing) return 'absent';
    throw error;
  }
}

/**
 * Copies every blob the attachments table refers to from one store to another, one at a time (a blob is at most
 * 20 MiB in memory). Idempotent: a blob the target already holds with the right bytes is left alone, so a run that
 * stopped half-way is simply run again. Nothing is removed from the source: switch BLOB_STORE once the report
 * shows nothing missing or failed, then clear the old store.
 */
export async function moveBlobs(
  db: Executor,
  from: BlobStore,
  to: BlobStore,
  progress: (done: number, total: number) => void = () => undefined,
): Promise<MoveReport> {
  const blobs = await referencedBlobs(db);
  const report: MoveReport = { referenced: blobs.length, copied: 0, present: 0, missing: [], failed: [] };
  for (const [index, blob] of blobs.entries()) {
    progress(index, blobs.length);
    if ((await verified(to, blob)) === 'ok') {
      report.present++;
      continue;
    }
    let data: Buffer;
    try {
      data = await from.read(blob.key);
    } catch (error) {
      if (error instanceof BlobMissing) {
        report.missing.push(blob.key);
        continue;
      }
      throw error;
    }
    if (data.length !== blob.size || sha256Of(data) !== blob.sha256) {
      report.failed.push({
        key: blob.key,
        reason: 'the source holds other bytes than the attachment row says',
      });
      continue;
    }
    const stored = await to.put(data);
    if (stored.key !== blob.key) {
      report.failed.push({ key: blob.key, reason: `the target stored it under another key (${stored.key})` });
      continue;
    }
    if ((await verified(to, blob)) !== 'ok') {
      report.failed.push({
        key: blob.key,
        reason: 'the copy did not read back with the same size and sha256',
      });
      continue;
    }
    report.copied++;
  }
  progress(blobs.length, blobs.length);
  return report;
}
