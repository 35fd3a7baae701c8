import crypto from 'node:crypto';
import { nowIso } from '../db/executor';
import type { Storage } from '../db/database';
import { BlobMissing, BlobStoreUnavailable, type BlobStore } from './blob-store';
import { blobContent, deleteBlob, insertBlob } from './blob.repository';

/**
 * Attachment bytes in the attachment_blobs table (BLOB_STORE=postgres). `storage` is a connection pool of its own, not the
 * API's: an upload runs inside the API's write transaction, so taking a second connection from the same pool
 * could wait forever once every connection holds such a transaction; and 20 MiB reads and writes do not hold up
 * the API's short queries.
 */
export function postgresBlobStore(storage: Storage): BlobStore & { close(): Promise<void> } {
  return {
    async put(data) {
      const sha256 = crypto.createHash('sha256').update(data).digest('hex');
      try {
        await insertBlob(storage.db, sha256, data, nowIso());
      } catch (error) {
        throw new BlobStoreUnavailable(sha256, error);
      }
      return { key: sha256, sha256, size: data.length };
    },
    async read(key) {
      let content: Buffer | undefined;
      try {
        content = await blobContent(storage.db, key);
      } catch (error) {
        throw new BlobStoreUnavailable(key, error);
      }
      if (!content) throw new BlobMissing(key);
      return content;
    },
    async remove(key) {
      await deleteBlob(storage.db, key);
    },
    close: () => storage.close(),
  };
}
