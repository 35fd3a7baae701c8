import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Where attachment bytes live. Files under the data folder by default; another store only needs these three. */
export interface BlobStore {
  put(data: Buffer): Promise<{ key: string; sha256: string; size: number }>;
  read(key: string): Promise<Buffer>;
  remove(key: string): Promise<void>;
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
    read: (key) => fs.promises.readFile(pathOf(key)),
    async remove(key) {
      await fs.promises.rm(pathOf(key), { force: true });
    },
  };
}
