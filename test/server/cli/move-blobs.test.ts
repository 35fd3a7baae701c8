/**
 * Issue 15, item 2: `npm run blobs:move` copies every blob the attachments table refers to into another store,
 * verified, idempotent on a re-run. A real process from file to a real S3 server (s3rver) and back into a fresh
 * folder; from file to PostgreSQL on PostgreSQL; and a blob missing from the source is reported, not copied.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../../../bench/lib/proc';
import { fileBlobStore } from '../../../src/server/attachments/blob-store';
import { openBlobStore } from '../../../src/server/attachments/blob-stores';
import { moveBlobs } from '../../../src/server/attachments/move-blobs';
import { s3BlobStore } from '../../../src/server/attachments/s3-blob-store';
import { POSTGRES_URL, startTestServer, type TestServer } from '../harness';
import { startS3 } from '../s3';

const run = promisify(execFile);
const sha256Of = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');

/** Attachments uploaded through the API (files under DATA_DIR/blobs); one content twice, so blobs < attachments. */
async function uploadAll(t: TestServer, contents: Buffer[]) {
  const created = await t.call('POST', '/crm/v6/Cases', {
    json: { data: [{ Subject: 'Blobs to move', Case_Origin: 'Phone' }] },
  });
  const caseId: string = created.body.data[0].details.id;
  for (const [i, bytes] of contents.entries()) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), `file-${i}.bin`);
    const r = await fetch(`${t.url}/crm/v6/Cases/${caseId}/Attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await t.token()}` },
      body: form,
    });
    expect(r.status).toBe(201);
  }
}

describe('npm run blobs:move, file → s3 → file', () => {
  jest.setTimeout(60_000);
  let t: TestServer;
  let s3: Awaited<ReturnType<typeof startS3>>;
  const back = fs.mkdtempSync(path.join(os.tmpdir(), 'casepane-moved-'));
  const contents = [crypto.randomBytes(1024 * 1024), Buffer.from('a note'), Buffer.from('a note')];
  beforeAll(async () => {
    s3 = await startS3();
    t = await startTestServer('sqlite');
    await uploadAll(t, contents);
  });
  afterAll(async () => {
    await t?.close();
    await s3?.close();
    fs.rmSync(back, { recursive: true, force: true });
  });

  const move = async (from: string, to: string, extra: Record<string, string> = {}) => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'src/server/cli/move-blobs.ts', '--from', from, '--to', to],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          DATA_DIR: t.dataDir,
          S3_BUCKET: s3.settings.bucket,
          S3_ENDPOINT: s3.settings.endpoint ?? '',
          S3_ACCESS_KEY_ID: 'S3RVER',
          S3_SECRET_ACCESS_KEY: 'S3RVER',
          S3_PREFIX: s3.settings.prefix,
          ...extra,
        },
      },
    );
    return JSON.parse(stdout);
  };

  it('copies each distinct blob once, verified, and a re-run copies nothing', async () => {
    expect(await move('file', 's3')).toEqual({
      referenced: 2,
      copied: 2,
      present: 0,
      missing: [],
      failed: [],
    });
    const bucket = s3BlobStore(s3.settings);
    for (const bytes of contents) expect((await bucket.read(sha256Of(bytes))).equals(bytes)).toBe(true);
    bucket.client.destroy();
    expect(await move('file', 's3')).toEqual({
      referenced: 2,
      copied: 0,
      present: 2,
      missing: [],
      failed: [],
    });
  });

  it('copies them back from the bucket into another folder (TO_DATA_DIR) with the same bytes', async () => {
    expect(await move('s3', 'file', { TO_DATA_DIR: back })).toMatchObject({
      copied: 2,
      missing: [],
      failed: [],
    });
    const files = fileBlobStore(path.join(back, 'blobs'));
    for (const bytes of contents) expect((await files.read(sha256Of(bytes))).equals(bytes)).toBe(true);
  });
});

describe('moving blobs whose source has lost one', () => {
  it('reports the missing blob and copies the rest', async () => {
    const t = await startTestServer('sqlite');
    const target = fs.mkdtempSync(path.join(os.tmpdir(), 'casepane-moved-'));
    try {
      const lost = Buffer.from('lost before the move');
      await uploadAll(t, [Buffer.from('kept'), lost]);
      const key = sha256Of(lost);
      fs.rmSync(path.join(t.dataDir, 'blobs', key.slice(0, 2), key.slice(2, 4), key));
      const report = await moveBlobs(
        t.server.storage.db,
        fileBlobStore(path.join(t.dataDir, 'blobs')),
        fileBlobStore(path.join(target, 'blobs')),
      );
      expect(report).toEqual({ referenced: 2, copied: 1, present: 0, missing: [key], failed: [] });
    } finally {
      await t.close();
      fs.rmSync(target, { recursive: true, force: true });
    }
  });
});

(POSTGRES_URL ? describe : describe.skip)('moving blobs from files into PostgreSQL', () => {
  it('copies them into attachment_blobs, and the PostgreSQL store reads the same bytes', async () => {
    const t = await startTestServer('postgres');
    try {
      const contents = [crypto.randomBytes(512 * 1024), Buffer.from('small')];
      await uploadAll(t, contents);
      const to = await openBlobStore(
        { kind: 'postgres' },
        { dataDir: t.dataDir, databaseUrl: t.databaseUrl },
      );
      try {
        const from = fileBlobStore(path.join(t.dataDir, 'blobs'));
        expect(await moveBlobs(t.server.storage.db, from, to)).toMatchObject({ copied: 2, present: 0 });
        expect(await moveBlobs(t.server.storage.db, from, to)).toMatchObject({ copied: 0, present: 2 });
        for (const bytes of contents) expect((await to.read(sha256Of(bytes))).equals(bytes)).toBe(true);
      } finally {
        await to.close();
      }
    } finally {
      await t.close();
    }
  });
});
