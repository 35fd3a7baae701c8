/**
 * Issue 15, item 2: attachments in PostgreSQL's attachment_blobs table (BLOB_STORE=postgres) through the HTTP API — the
 * same bytes back, a deleted row is the file store's 404, a table that cannot be read a 503; and SQLite refuses
 * the setting at start rather than on the first upload.
 */
import crypto from 'node:crypto';
import { sql as query, type RawBuilder } from 'kysely';
import { configFromEnv } from '../../src/server/config';
import { POSTGRES_URL, startTestServer, type TestServer } from './harness';
import { caseWithUpload } from './uploads';

const onPostgres = POSTGRES_URL ? describe : describe.skip;

onPostgres('attachments in PostgreSQL (BLOB_STORE=postgres)', () => {
  let t: TestServer;
  // Straight to the test database, behind the API's back.
  const run = async <Row>(statement: RawBuilder<Row>) => (await statement.execute(t.server.storage.db)).rows;
  beforeAll(async () => {
    t = await startTestServer('postgres', { blobStore: { kind: 'postgres' } });
  });
  afterAll(() => t?.close());

  async function upload(bytes: Buffer, name: string) {
    const { caseId, upload: response } = await caseWithUpload(t.url, await t.token(), bytes, name);
    expect(response.status).toBe(201);
    const sha256: string = (await response.json()).data[0].details.sha256;
    const attachmentId: string = (await t.call('GET', `/crm/v6/Cases/${caseId}/Attachments`)).body.data[0].id;
    return { caseId, attachmentId, sha256 };
  }

  const download = async (caseId: string, attachmentId: string) =>
    fetch(`${t.url}/crm/v6/Cases/${caseId}/Attachments/${attachmentId}`, {
      headers: { authorization: `Bearer ${await t.token()}` },
    });

  it('stores an attachment of nearly 20 MiB in the attachment_blobs table and downloads the same bytes', async () => {
    const bytes = crypto.randomBytes(20 * 1024 * 1024 - 4096);
    const { caseId, attachmentId, sha256 } = await upload(bytes, 'big.bin');
    const row = await run(
      query`select size, length(content) as stored from attachment_blobs where blob_key = ${sha256}`,
    );
    expect(row).toEqual([{ size: String(bytes.length), stored: bytes.length }]);
    const got = await download(caseId, attachmentId);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('stores the same bytes once, however many attachments carry them', async () => {
    const bytes = Buffer.from('the same scan, attached twice');
    const first = await upload(bytes, 'one.txt');
    const second = await upload(bytes, 'two.txt');
    expect(second.sha256).toBe(first.sha256);
    const count = await run(
      query<{ n: number }>`select count(*)::int as n from attachment_blobs where blob_key = ${first.sha256}`,
    );
    expect(count[0].n).toBe(1);
  });

  it('answers 404 blob_missing when the row was deleted', async () => {
    const { caseId, attachmentId, sha256 } = await upload(Buffer.from('deleted row'), 'gone.txt');
    await run(query`delete from attachment_blobs where blob_key = ${sha256}`);
    const r = await t.call('GET', `/crm/v6/Cases/${caseId}/Attachments/${attachmentId}`);
    expect(r.status).toBe(404);
    expect(r.body).toEqual({
      code: 'INVALID_DATA',
      details: { id: attachmentId, api_name: 'Attachments', reason: 'blob_missing' },
      message: expect.stringMatching(/file of this attachment is missing/),
      status: 'error',
    });
  });

  it('answers 503 with Retry-After, not 500, when the attachment_blobs table cannot be read', async () => {
    const { caseId, attachmentId } = await upload(Buffer.from('unreadable table'), 'kept.txt');
    await run(query`alter table attachment_blobs rename to blobs_away`);
    try {
      const got = await download(caseId, attachmentId);
      expect(got.status).toBe(503);
      expect(got.headers.get('retry-after')).toBe('2');
      expect(await got.json()).toEqual({
        code: 'SERVICE_UNAVAILABLE',
        details: { id: attachmentId, api_name: 'Attachments' },
        message: expect.stringMatching(/could not be read/),
        status: 'error',
      });
    } finally {
      await run(query`alter table blobs_away rename to attachment_blobs`);
    }
    expect((await download(caseId, attachmentId)).status).toBe(200);
  });
});

describe('BLOB_STORE=postgres without PostgreSQL', () => {
  it('is refused with the settings, naming DATABASE_URL', () => {
    expect(() => configFromEnv({ BLOB_STORE: 'postgres' })).toThrow(/BLOB_STORE=postgres needs DATABASE_URL/);
    expect(configFromEnv({ BLOB_STORE: 'postgres', DATABASE_URL: 'postgres://h/db' }).blobStore).toEqual({
      kind: 'postgres',
    });
  });
});
