import path from 'node:path';
import type { BlobStoreSettings } from '../config';
import { openStorage } from '../db/database';
import { fileBlobStore, type BlobStore } from './blob-store';
import { postgresBlobStore } from './postgres-blob-store';
import { s3BlobStore } from './s3-blob-store';

export type OpenBlobStore = BlobStore & { close(): Promise<void> };

/** The store BLOB_STORE names; the API and the blob mover open theirs here and close it when done. */
export async function openBlobStore(
  settings: BlobStoreSettings,
  where: { dataDir: string; databaseUrl?: string },
): Promise<OpenBlobStore> {
  switch (settings.kind) {
    case 'file':
      return { ...fileBlobStore(path.join(where.dataDir, 'blobs')), close: async () => undefined };
    case 's3': {
      const store = s3BlobStore(settings.s3);
      return { ...store, close: async () => store.client.destroy() };
    }
    case 'postgres': {
      if (!where.databaseUrl || !/^postgres(ql)?:\/\//.test(where.databaseUrl))
        throw new Error(
          'BLOB_STORE=postgres needs DATABASE_URL=postgres://… (the attachment_blobs table is in PostgreSQL)',
        );
      // A small pool of its own (see postgresBlobStore); migrating again is a no-op once the API has.
      return postgresBlobStore(await openStorage({ ...where, poolSize: 4 }));
    }
  }
}
