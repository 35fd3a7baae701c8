/**
 * Issue 15, item 2: attachments in an S3-compatible bucket (here a real s3rver on loopback) through the HTTP API —
 * the bytes come back the same, a blob deleted in the bucket is the file store's 404, a bucket that is down a 503.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ENGINES, startTestServer, type TestServer } from './harness';
import { caseWithUpload } from './uploads';
import { startS3 } from './s3';

describe.each(ENGINES)('attachments in an S3 bucket, on %s', (engine) => {
  let t: TestServer;
  let s3: Awaited<ReturnType<typeof startS3>>;
  let client: S3Client;
  beforeAll(async () => {
    s3 = await startS3();
    t = await startTestServer(engine, { blobStore: { kind: 's3', s3: s3.settings } });
    client = new S3Client({
      region: s3.settings.region,
      endpoint: s3.settings.endpoint,
      forcePathStyle: true,
      credentials: s3.settings.credentials,
    });
  });
  afterAll(async () => {
    client?.destroy();
    await t?.close();
    await s3?.close();
  });

  async function upload(bytes: Buffer, name = 'scan.bin') {
    const { caseId, upload: response } = await caseWithUpload(t.url, await t.token(), bytes, name);
    return { caseId, response };
  }

  async function download(caseId: string, attachmentId: string) {
    return fetch(`${t.url}/crm/v6/Cases/${caseId}/Attachments/${attachmentId}`, {
      headers: { authorization: `Bearer ${await t.token()}` },
    });
  }

  it('uploads, lists and downloads the same bytes, and nothing lands under DATA_DIR/blobs', async () => {
    const bytes = crypto.randomBytes(3 * 1024 * 1024 + 17);
    const { caseId, response } = await upload(bytes);
    expect(response.status).toBe(201);
    const sha256 = (await response.json()).data[0].details.sha256;
    expect(sha256).toBe(crypto.createHash('sha256').update(bytes).digest('hex'));
    const listed = await t.call('GET', `/crm/v6/Cases/${caseId}/Attachments`);
    expect(listed.body.data).toEqual([
      expect.objectContaining({ File_Name: 'scan.bin', Size: bytes.length }),
    ]);
    const got = await download(caseId, listed.body.data[0].id);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
    expect(fs.existsSync(path.join(t.dataDir, 'blobs'))).toBe(false);
  });

  it('answers 404 blob_missing when the object was deleted from the bucket', async () => {
    const bytes = Buffer.from(`deleted in s3 on ${engine}`);
    const { caseId, response } = await upload(bytes, 'gone.txt');
    const sha256: string = (await response.json()).data[0].details.sha256;
    const attachmentId: string = (await t.call('GET', `/crm/v6/Cases/${caseId}/Attachments`)).body.data[0].id;
    await client.send(
      new DeleteObjectCommand({
        Bucket: s3.settings.bucket,
        Key: `attachments/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`,
      }),
    );
    const r = await t.call('GET', `/crm/v6/Cases/${caseId}/Attachments/${attachmentId}`);
    expect(r.status).toBe(404);
    expect(r.body).toEqual({
      code: 'INVALID_DATA',
      details: { id: attachmentId, api_name: 'Attachments', reason: 'blob_missing' },
      message: expect.stringMatching(/file of this attachment is missing/),
      status: 'error',
    });
  });

  // Last: it stops the bucket for good.
  it('answers 503 with Retry-After, not 500, for downloads and uploads while the bucket is down', async () => {
    const { caseId, response } = await upload(Buffer.from(`before the outage on ${engine}`), 'kept.txt');
    expect(response.status).toBe(201);
    const attachmentId: string = (await t.call('GET', `/crm/v6/Cases/${caseId}/Attachments`)).body.data[0].id;
    await s3.stop();
    const got = await download(caseId, attachmentId);
    expect(got.status).toBe(503);
    expect(got.headers.get('retry-after')).toBe('2');
    expect(await got.json()).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      details: { id: attachmentId, api_name: 'Attachments' },
      message: expect.stringMatching(/could not be read/),
      status: 'error',
    });
    const refused = await upload(Buffer.from('during the outage'), 'later.txt');
    expect(refused.response.status).toBe(503);
    expect(refused.response.headers.get('retry-after')).toBe('2');
    expect((await refused.response.json()).code).toBe('SERVICE_UNAVAILABLE');
    // The refused upload left no attachment row behind.
    expect((await t.call('GET', `/crm/v6/Cases/${refused.caseId}/Attachments`)).status).toBe(204);
  });
});
