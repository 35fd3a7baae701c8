/**
 * Issue 15, item 2 (its missing-blob part): an attachment whose bytes are not in the blob store is a clear error
 * in Zoho's shape — 404 when the file is gone, 503 when the store cannot be read — never a 500.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ENGINES, startTestServer, type TestServer } from './harness';
import { caseWithUpload } from './uploads';

describe.each(ENGINES)('an attachment whose blob is missing or unreadable, on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
  });
  afterAll(() => t.close());

  /** A case with one attachment; the path of the attachment's blob file (DATA_DIR/blobs/ab/cd/<sha256>). */
  async function caseWithAttachment(text: string) {
    const { caseId, upload } = await caseWithUpload(t.url, await t.token(), text, 'note.txt');
    expect(upload.status).toBe(201);
    const sha256: string = (await upload.json()).data[0].details.sha256;
    const attachmentId: string = (await t.call('GET', `/crm/v6/Cases/${caseId}/Attachments`)).body.data[0].id;
    const file = path.join(t.dataDir, 'blobs', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
    expect(fs.existsSync(file)).toBe(true);
    return { caseId, attachmentId, file };
  }

  it('answers 404 with a Zoho error naming the attachment when its file was deleted', async () => {
    const { caseId, attachmentId, file } = await caseWithAttachment(`deleted ${engine}`);
    fs.rmSync(file);
    const r = await t.call('GET', `/crm/v6/Cases/${caseId}/Attachments/${attachmentId}`);
    expect(r.status).toBe(404);
    expect(r.body).toEqual({
      code: 'INVALID_DATA',
      details: { id: attachmentId, api_name: 'Attachments', reason: 'blob_missing' },
      message: expect.stringMatching(/file of this attachment is missing/),
      status: 'error',
    });
    // The record itself is still listed: only its bytes are gone.
    expect((await t.call('GET', `/crm/v6/Cases/${caseId}/Attachments`)).status).toBe(200);
  });

  it('answers 503 with Retry-After when the blob store cannot be read (not a 500)', async () => {
    const { caseId, attachmentId, file } = await caseWithAttachment(`unreadable ${engine}`);
    // A directory where the file should be: reading fails with EISDIR, an I/O error other than "not there"
    // (chmod would not do: the tests may run as root).
    fs.rmSync(file);
    fs.mkdirSync(file);
    const response = await fetch(`${t.url}/crm/v6/Cases/${caseId}/Attachments/${attachmentId}`, {
      headers: { authorization: `Bearer ${await t.token()}` },
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(await response.json()).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      details: { id: attachmentId, api_name: 'Attachments' },
      message: expect.stringMatching(/could not be read/),
      status: 'error',
    });
    fs.rmdirSync(file);
  });
});
