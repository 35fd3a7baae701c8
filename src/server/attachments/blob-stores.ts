import path from 'node:path';
import type { BlobStoreSettings } from '../config';
import { fileBlobStore, type BlobStore } from './blob-store';
import { s3BlobStore } from './s3-blob-store';

/** The store BLOB_STORE names; the API and the blob mover build theirs here. */
export function blobStoreFor(settings: BlobStoreSettings, dataDir: string): BlobStore {
  switch (settings.kind) {
    case 'file':
      return fileBlobStore(path.join(dataDir, 'blobs'));
    case 's3':
      return s3BlobStore(settings.s3);
  }
}
