import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import type { S3BlobSettings } from '../../src/server/attachments/s3-blob-store';

/**
 * A real S3-protocol server (s3rver) on a free loopback port, with its own folder and one bucket. `stop` takes
 * it down while the API keeps running (the store is "down"); `close` also removes its folder.
 */
export async function startS3(bucket = 'casepane-test') {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'casepane-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  let running = true;
  const settings: S3BlobSettings = {
    bucket,
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    // s3rver's fixed development credentials.
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
    prefix: 'attachments/',
  };
  const stop = async () => {
    if (running) await server.close();
    running = false;
  };
  return {
    settings,
    directory,
    stop,
    async close() {
      await stop();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
