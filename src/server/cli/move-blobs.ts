import path from 'node:path';
import { parseArgs } from 'node:util';
import { openBlobStore } from '../attachments/blob-stores';
import { moveBlobs } from '../attachments/move-blobs';
import { blobStoreFromEnv } from '../config';
import { openStorage } from '../db/database';

const KINDS = ['file', 's3', 'postgres'];

/**
 * The settings of one side: the usual variables (DATA_DIR, DATABASE_URL, S3_*), each overridden by the same name
 * with FROM_ or TO_ in front — e.g. TO_S3_BUCKET, FROM_DATA_DIR — for a side that differs from the other.
 */
function sideEnv(env: NodeJS.ProcessEnv, prefix: string): NodeJS.ProcessEnv {
  const side: NodeJS.ProcessEnv = { ...env };
  for (const [name, value] of Object.entries(env))
    if (name.startsWith(prefix) && value !== undefined) side[name.slice(prefix.length)] = value;
  return side;
}

/**
 * npm run blobs:move -- --from file|s3|postgres --to file|s3|postgres
 * Copies every blob the attachments table (DATA_DIR / DATABASE_URL) refers to into the target store, verifying
 * each, and prints a JSON report. Exit status 1 when a blob is missing from the source or did not copy right.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' } } });
  if (!values.from || !KINDS.includes(values.from)) throw new Error('--from must be file, s3 or postgres');
  if (!values.to || !KINDS.includes(values.to)) throw new Error('--to must be file, s3 or postgres');
  const env = process.env;
  const open = (prefix: string, kind: string) => {
    const side = sideEnv(env, prefix);
    return openBlobStore(blobStoreFromEnv(side, kind), {
      dataDir: path.resolve(side.DATA_DIR || 'data'),
      databaseUrl: side.DATABASE_URL || undefined,
    });
  };
  const storage = await openStorage({
    dataDir: path.resolve(env.DATA_DIR || 'data'),
    databaseUrl: env.DATABASE_URL || undefined,
  });
  const from = await open('FROM_', values.from);
  const to = await open('TO_', values.to);
  try {
    const report = await moveBlobs(storage.db, from, to, (done, total) => {
      if (done % 100 === 0 || done === total) process.stderr.write(`${done}/${total} blobs\n`);
    });
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (report.missing.length || report.failed.length) process.exitCode = 1;
  } finally {
    await from.close();
    await to.close();
    await storage.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
