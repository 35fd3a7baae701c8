/**
 * Issue 15, items 1 and 2: several API processes on one database share one local
 * identity. Real server processes with separate DATA_DIRs, the real `npm run token` CLI, and the pane's sign-in
 * over HTTP: a token minted on one node works on every other, every node publishes the same JWKS, a key rotated
 * on one node verifies on the others without a restart, and a retired key leaves the JWKS once every token it
 * signed has expired. With per-node files an attachment uploaded on A is a clear 404 on B; with a shared blob
 * store (S3, PostgreSQL) B serves the same bytes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { sql } from 'kysely';
import { spawnServer, type ServerProcess } from '../../bench/lib/proc';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../src/server/auth/local-issuer';
import { openStore, sleep } from '../faults/helpers';
import crypto from 'node:crypto';
import { POSTGRES_URL, createPostgresDatabase } from './harness';
import { startS3 } from './s3';
import { caseWithUpload } from './uploads';
import { cliToken } from './cli-token';

const PANE = 'https://localhost:3000';

async function paneToken(node: ServerProcess, email = 'ola@example.pl'): Promise<string> {
  const r = await fetch(`${node.url}/auth/local/token`, {
    method: 'POST',
    headers: { origin: PANE, 'content-type': 'application/json' },
    body: JSON.stringify({ email, name: 'Ola Nowak' }),
  });
  expect(r.status).toBe(200);
  return ((await r.json()) as { access_token: string }).access_token;
}

async function currentUser(node: ServerProcess, token: string) {
  const r = await fetch(`${node.url}/crm/v6/users?type=CurrentUser`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: r.status, body: (await r.json()) as any };
}

async function jwks(node: ServerProcess): Promise<{ keys: Record<string, unknown>[] }> {
  const r = await fetch(`${node.url}/.well-known/jwks.json`);
  expect(r.status).toBe(200);
  return (await r.json()) as { keys: Record<string, unknown>[] };
}
const kids = async (node: ServerProcess) => (await jwks(node)).keys.map((k) => k.kid as string).sort();
const kidOf = (token: string) => decodeProtectedHeader(token).kid as string;

/** A key file as the previous version wrote it (DATA_DIR/auth/signing-key.json), and a token it signed. */
async function legacyKeyFile(dataDir: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `local-${Date.now().toString(36)}legacy`;
  const key = {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
  };
  const file = path.join(dataDir, 'auth', 'signing-key.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(key));
  const token = await new SignJWT({ email: 'old.agent@example.com', name: 'Old Agent', roles: ['agent'] })
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
    .setSubject('old.agent@example.com')
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('12h')
    .sign(privateKey);
  return { file, kid, token };
}

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'casepane-node-'));

const onPostgres = POSTGRES_URL ? describe : describe.skip;

onPostgres('two nodes on one PostgreSQL database, each with its own DATA_DIR', () => {
  jest.setTimeout(120_000);
  const nodes: ServerProcess[] = [];
  const dirs = [tempDir(), tempDir()];
  let db: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let a: ServerProcess;
  let b: ServerProcess;
  let legacy: Awaited<ReturnType<typeof legacyKeyFile>>;
  beforeAll(async () => {
    db = await createPostgresDatabase();
    // Node A was running the previous version: its own key file, and a token that key signed still out there.
    legacy = await legacyKeyFile(dirs[0]);
    a = await spawnServer({ dataDir: dirs[0], databaseUrl: db.url });
    nodes.push(a);
    b = await spawnServer({ dataDir: dirs[1], databaseUrl: db.url });
    nodes.push(b);
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await db?.drop();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("accepts on B a token minted by `npm run token` with A's DATA_DIR", async () => {
    const token = await cliToken({ DATA_DIR: dirs[0], DATABASE_URL: db.url }, 'cli.agent@example.com');
    const onB = await currentUser(b, token);
    expect(onB.status).toBe(200);
    expect(onB.body.users[0]).toMatchObject({ email: 'cli.agent@example.com', role: { name: 'agent' } });
    expect((await currentUser(a, token)).status).toBe(200);
  });

  it("accepts on B a token of the pane's local sign-in on A", async () => {
    const token = await paneToken(a);
    const onB = await currentUser(b, token);
    expect(onB.status).toBe(200);
    expect(onB.body.users[0]).toMatchObject({ email: 'ola@example.pl', full_name: 'Ola Nowak' });
  });

  it('publishes the same JWKS on both nodes, public keys only', async () => {
    const onA = await jwks(a);
    expect(onA.keys.length).toBeGreaterThan(0);
    expect(await jwks(b)).toEqual(onA);
    for (const key of onA.keys) expect(key).not.toHaveProperty('d');
  });

  it("keeps a token signed by A's old key file valid on both nodes, and no private key stays on disk", async () => {
    expect((await currentUser(a, legacy.token)).status).toBe(200);
    expect((await currentUser(b, legacy.token)).status).toBe(200);
    expect(await kids(b)).toContain(legacy.kid);
    expect(fs.existsSync(legacy.file)).toBe(false);
    // Neither node writes a key file any more.
    expect(fs.existsSync(path.join(dirs[1], 'auth', 'signing-key.json'))).toBe(false);
  });

  it('answers an attachment uploaded on A and downloaded on B with a clear 404, not a 500', async () => {
    const token = await paneToken(a, 'uploader@example.pl');
    const { caseId, upload } = await caseWithUpload(a.url, token, 'only on node A', 'a.txt');
    expect(upload.status).toBe(201);
    const auth = { authorization: `Bearer ${token}` };
    const listed = await fetch(`${b.url}/crm/v6/Cases/${caseId}/Attachments`, { headers: auth });
    expect(listed.status).toBe(200);
    const attachmentId = ((await listed.json()) as any).data[0].id as string;
    const download = await fetch(`${b.url}/crm/v6/Cases/${caseId}/Attachments/${attachmentId}`, {
      headers: auth,
    });
    expect(download.status).toBe(404);
    expect(await download.json()).toMatchObject({
      code: 'INVALID_DATA',
      details: { id: attachmentId, reason: 'blob_missing' },
      status: 'error',
    });
    expect(
      (await fetch(`${a.url}/crm/v6/Cases/${caseId}/Attachments/${attachmentId}`, { headers: auth })).status,
    ).toBe(200);
  });
});

/** A case on `node` with one attachment of `bytes`, uploaded there; its ids. */
async function uploadOn(node: ServerProcess, token: string, bytes: Buffer) {
  const { caseId, upload } = await caseWithUpload(node.url, token, bytes);
  expect(upload.status).toBe(201);
  return caseId;
}

// Issue 15, item 2: with a shared blob store (BLOB_STORE=s3 or postgres) on both nodes, the 404 above is gone.
(POSTGRES_URL ? describe.each(['s3', 'postgres']) : describe.skip.each(['s3', 'postgres']))(
  'two nodes on one PostgreSQL database sharing BLOB_STORE=%s',
  (store) => {
    jest.setTimeout(120_000);
    const nodes: ServerProcess[] = [];
    const dirs = [tempDir(), tempDir()];
    let db: Awaited<ReturnType<typeof createPostgresDatabase>>;
    let s3: Awaited<ReturnType<typeof startS3>> | undefined;
    beforeAll(async () => {
      db = await createPostgresDatabase();
      let env: Record<string, string> = { BLOB_STORE: store };
      if (store === 's3') {
        s3 = await startS3();
        env = {
          ...env,
          S3_BUCKET: s3.settings.bucket,
          S3_ENDPOINT: s3.settings.endpoint ?? '',
          S3_ACCESS_KEY_ID: 'S3RVER',
          S3_SECRET_ACCESS_KEY: 'S3RVER',
        };
      }
      for (const dataDir of dirs) nodes.push(await spawnServer({ dataDir, databaseUrl: db.url, env }));
    });
    afterAll(async () => {
      await Promise.all(nodes.map((n) => n.stop()));
      await s3?.close();
      await db?.drop();
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('downloads on B the same bytes uploaded on A, and neither node keeps them under DATA_DIR', async () => {
      const [a, b] = nodes;
      const token = await paneToken(a, 'shared@example.pl');
      const bytes = crypto.randomBytes(2 * 1024 * 1024 + 3);
      const caseId = await uploadOn(a, token, bytes);
      const auth = { authorization: `Bearer ${token}` };
      const listed = await fetch(`${b.url}/crm/v6/Cases/${caseId}/Attachments`, { headers: auth });
      const attachmentId = ((await listed.json()) as any).data[0].id as string;
      const download = await fetch(`${b.url}/crm/v6/Cases/${caseId}/Attachments/${attachmentId}`, {
        headers: auth,
      });
      expect(download.status).toBe(200);
      expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
      for (const dir of dirs) expect(fs.existsSync(path.join(dir, 'blobs'))).toBe(false);
    });
  },
);

onPostgres('key rotation across two nodes on one PostgreSQL database', () => {
  jest.setTimeout(120_000);
  // A key signs for 3 s and tokens live at most 12 s, so a rotation and an expiry both happen within the test.
  const env = { LOCAL_KEY_ROTATION_DAYS: String(3 / 86_400), LOCAL_TOKEN_MAX_HOURS: String(12 / 3600) };
  const nodes: ServerProcess[] = [];
  const dirs = [tempDir(), tempDir()];
  let db: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let a: ServerProcess;
  let b: ServerProcess;
  let first: { token: string; kid: string };
  beforeAll(async () => {
    db = await createPostgresDatabase();
    // Started together on an empty database: both migrate and look for a first key at the same moment.
    [a, b] = await Promise.all(
      [0, 1].map((i) => spawnServer({ dataDir: dirs[i], databaseUrl: db.url, env })),
    );
    nodes.push(a, b);
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await db?.drop();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('verifies on B, without a restart, a key A rotated to after B last read the keys', async () => {
    const token = await paneToken(a);
    first = { token, kid: kidOf(token) };
    expect(decodeJwt(token).exp! - decodeJwt(token).iat!).toBeLessThanOrEqual(12);
    let fresh: { token: string; kid: string } | undefined;
    for (const deadline = Date.now() + 30_000; !fresh && Date.now() < deadline; await sleep(300)) {
      const publishedOnB = await kids(b);
      const next = await paneToken(a);
      // A key A rotated to (not the first one, which B may simply not have read yet) that B has not published.
      if (kidOf(next) !== first.kid && !publishedOnB.includes(kidOf(next)))
        fresh = { token: next, kid: kidOf(next) };
    }
    expect(fresh).toBeDefined();
    expect(fresh!.kid).not.toBe(first.kid);
    expect((await currentUser(b, fresh!.token)).status).toBe(200);
    expect(await kids(b)).toContain(fresh!.kid);
    // The first key no longer signs, but its token has not expired: it still verifies, on both nodes.
    expect((await currentUser(b, first.token)).status).toBe(200);
    expect((await currentUser(a, first.token)).status).toBe(200);
    // A key that no longer signs keeps only its public half in the database.
    const store = await openStore({ dataDir: dirs[0], url: db.url });
    try {
      const { rows } = await sql<{
        private_jwk: string | null;
      }>`select private_jwk from signing_keys where kid = ${first.kid}`.execute(store.db);
      expect(rows).toEqual([{ private_jwk: null }]);
    } finally {
      await store.close();
    }
  });

  it('drops a retired key from both JWKS once every token it signed has expired', async () => {
    const exp = decodeJwt(first.token).exp! * 1000;
    let goneAt: number | undefined;
    for (const deadline = Date.now() + 40_000; !goneAt && Date.now() < deadline; await sleep(300)) {
      const [onA, onB] = [await kids(a), await kids(b)];
      if (!onA.includes(first.kid) && !onB.includes(first.kid)) goneAt = Date.now();
    }
    expect(goneAt).toBeDefined();
    expect(goneAt!).toBeGreaterThanOrEqual(exp);
    expect((await currentUser(a, first.token)).status).toBe(401);
    expect((await currentUser(b, first.token)).status).toBe(401);
    // Both nodes still publish what signs now.
    const now = await paneToken(a);
    expect((await currentUser(b, now)).status).toBe(200);
  });
});

describe('SQLite: the CLI and the server share the key through the database file', () => {
  jest.setTimeout(120_000);
  const dataDir = tempDir();
  let server: ServerProcess;
  // Keys rotate every 2 s here, so the CLI's second run makes a key the server has never seen.
  const env = { LOCAL_KEY_ROTATION_DAYS: String(2 / 86_400) };
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('accepts CLI tokens, including one signed by a key the CLI created after the server started', async () => {
    server = await spawnServer({ dataDir, env });
    const token = await cliToken({ DATA_DIR: dataDir, ...env }, 'cli.agent@example.com');
    expect((await currentUser(server, token)).status).toBe(200);
    expect(await kids(server)).toContain(kidOf(token));
    expect(fs.existsSync(path.join(dataDir, 'auth', 'signing-key.json'))).toBe(false);

    await sleep(2500);
    const later = await cliToken({ DATA_DIR: dataDir, ...env }, 'later@example.com');
    expect(kidOf(later)).not.toBe(kidOf(token));
    expect((await currentUser(server, later)).status).toBe(200);
    expect((await currentUser(server, token)).status).toBe(200);
  });
});
