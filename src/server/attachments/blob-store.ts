import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Where attachment bytes live. Files under the data folder by default; another store only needs these three. */
export interface BlobStore {
  put(data: Buffer): Promise<{ key: string; sha256: string; size: number }>;
  /** Rejects with BlobMissing when the store has no such blob, with BlobStoreUnavailable when it cannot tell. */
  read(key: string): Promise<Buffer>;
  remove(key: string): Promise<void>;
}

/**
 * The store answered, and it has no blob under this key: the bytes were removed, or (with files under DATA_DIR
 * on several nodes) they were stored by another node. Retrying does not help.
 */
export class BlobMissing extends Error {
  constructor(readonly key: string) {
    super(`blob ${key} is not in the store`);
  }
}

/** The store could not be read (I/O error, permissions, a store that is down): a retry may succeed. */
export class BlobStoreUnavailable extends Error {
  constructor(
    readonly key: string,
    override readonly cause: unknown,
  ) {
    super(`blob ${key} could not be read: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** Content-addressed files: DATA_DIR/blobs/ab/cd/<sha256>; the same bytes are stored once. */
export function fileBlobStore(root: string): BlobStore {
  const pathOf = (key: string) => {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new Error('invalid blob key');
    return path.join(root, key.slice(0, 2), key.slice(2, 4), key);
  };
  return {
    async put(data) {
      const sha256 = crypto.createHash('sha256').update(data).digest('hex');
      const file = pathOf(sha256);
      if (!fs.existsSync(file)) {
        await fs.promises.mkdir(path.dirname(file), { recursive: true });
        // Write then rename: a reader never sees half a file, even if the process dies mid-write.
        const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
        await fs.promises.writeFile(tmp, data, { flag: 'wx' });
        await fs.promises.rename(tmp, file);
      }
      return { key: sha256, sha256, size: data.length };
    },
    async read(key) {
      const file = pathOf(key);
      try {
        return await fs.promises.readFile(file);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // ENOTDIR: a path component is a file, so the blob cannot be there either.
        if (code === 'ENOENT' || code === 'ENOTDIR') throw new BlobMissing(key);
        throw new BlobStoreUnavailable(key, error);
      }
    },
    async remove(key) {
      await fs.promises.rm(pathOf(key), { force: true });
    },
  };
}
