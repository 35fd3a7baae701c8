/**
 * Issue 15, item 1: the local issuer's keys in signing_keys are made race-free — processes that start or rotate at
 * the same moment end up signing with one key — and a database that cannot be read is not taken for a bad token.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { decodeProtectedHeader } from 'jose';
import { sql } from 'kysely';
import { ROOT } from '../../bench/lib/proc';
import { openLocalIssuer, KeysUnavailable, type LocalKeySettings } from '../../src/server/auth/local-issuer';
import { TokenError, localVerifier } from '../../src/server/auth/verifier';
import type { Storage } from '../../src/server/db/database';
import { freshStore, openStore, sleep } from '../faults/helpers';
import { configFromEnv } from '../../src/server/config';
import { POSTGRES_URL } from './harness';

const run = promisify(execFile);
const kidOf = (token: string) => decodeProtectedHeader(token).kid as string;

async function keyRows(storage: Storage) {
  const { rows } = await sql<{
    kid: string;
    key_number: number | string | null;
    has_private: number | boolean;
  }>`select kid, key_number, private_jwk is not null as has_private from signing_keys order by key_number`.execute(
    storage.db,
  );
  return rows.map((r) => ({
    kid: r.kid,
    keyNumber: Number(r.key_number),
    hasPrivate: Boolean(r.has_private),
  }));
}

(POSTGRES_URL ? describe : describe.skip)('signing keys on PostgreSQL, several processes at once', () => {
  jest.setTimeout(60_000);
  let store: Awaited<ReturnType<typeof freshStore>>;
  const storages: Storage[] = [];
  beforeAll(async () => {
    store = await freshStore('postgres');
    storages.push(await openStore(store));
    // Each its own pool: as many connections racing as there would be API processes.
    storages.push(...(await Promise.all(Array.from({ length: 5 }, () => openStore(store)))));
  });
  afterAll(async () => {
    await Promise.all(storages.map((s) => s.close()));
    await store.drop();
  });

  it('issuers opened at once on a fresh database make one key and all sign with it, then rotate to one next key', async () => {
    // Long enough for six opens and mints under load; the sleep below then always passes the first key's end.
    const settings: LocalKeySettings = { rotationSeconds: 3, maxTokenSeconds: 60 };
    const issuers = await Promise.all(
      storages.map((storage) => openLocalIssuer({ storage, dataDir: store.dataDir, settings })),
    );
    const first = await Promise.all(
      issuers.map((i) => i.mint({ email: 'a@example.com', role: 'agent', ttlSeconds: 30 })),
    );
    expect(new Set(first.map(kidOf)).size).toBe(1);
    expect(await keyRows(storages[0])).toEqual([{ kid: kidOf(first[0]), keyNumber: 1, hasPrivate: true }]);

    await sleep(3200);
    const next = await Promise.all(
      issuers.map((i) => i.mint({ email: 'a@example.com', role: 'agent', ttlSeconds: 30 })),
    );
    expect(new Set(next.map(kidOf)).size).toBe(1);
    expect(kidOf(next[0])).not.toBe(kidOf(first[0]));
    // One new generation, and the retired key keeps only its public half.
    expect(await keyRows(storages[0])).toEqual([
      { kid: kidOf(first[0]), keyNumber: 1, hasPrivate: false },
      { kid: kidOf(next[0]), keyNumber: 2, hasPrivate: true },
    ]);
    // Every issuer still verifies the first key's tokens: they have not expired.
    for (const issuer of issuers) expect(await issuer.verificationKey(kidOf(first[0]))).toBeDefined();
  });

  it('a kid it cannot look up because the database is gone is an error to retry, not an unknown key (401)', async () => {
    const storage = await openStore(store);
    const issuer = await openLocalIssuer({ storage, dataDir: store.dataDir });
    // Default settings allow 12-hour tokens, longer than the keys above (made for 60 s tokens) verify: this
    // process makes the next generation rather than sign a token that would outlive its key.
    const token = await issuer.mint({ email: 'a@example.com', role: 'agent' });
    expect((await keyRows(storage)).at(-1)).toEqual({ kid: kidOf(token), keyNumber: 3, hasPrivate: true });
    await storage.close();
    await expect(issuer.verificationKey('local-never-seen')).rejects.toBeInstanceOf(KeysUnavailable);
    const forged = token.replace(
      /^[^.]+/,
      Buffer.from(JSON.stringify({ alg: 'ES256', kid: 'local-never-seen' })).toString('base64url'),
    );
    const refusal = await localVerifier(issuer)
      .verify(forged)
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(Error);
    expect(refusal).not.toBeInstanceOf(TokenError);
    // A kid it already knows needs no database: that token still verifies.
    await expect(localVerifier(issuer).verify(token)).resolves.toMatchObject({ email: 'a@example.com' });
  });
});

describe('signing keys on SQLite: `npm run token` processes at once share one file', () => {
  jest.setTimeout(60_000);
  it('four CLI processes on a fresh data folder make one key and all sign with it', async () => {
    const store = await freshStore('sqlite');
    try {
      // Migrated first: this is about the keys, not about migrations racing on a new file.
      await (await openStore(store)).close();
      const tokens = await Promise.all(
        Array.from({ length: 4 }, async (_, i) => {
          const { stdout } = await run(
            process.execPath,
            ['--import', 'tsx', 'src/server/cli/mint-token.ts', '--email', `cli${i}@example.com`],
            {
              cwd: ROOT,
              env: {
                PATH: process.env.PATH ?? '',
                HOME: process.env.HOME ?? '/tmp',
                DATA_DIR: store.dataDir,
              },
            },
          );
          return stdout.trim();
        }),
      );
      expect(new Set(tokens.map(kidOf)).size).toBe(1);
      const storage = await openStore(store);
      try {
        expect(await keyRows(storage)).toEqual([{ kid: kidOf(tokens[0]), keyNumber: 1, hasPrivate: true }]);
      } finally {
        await storage.close();
      }
    } finally {
      await store.drop();
    }
  });
});

describe('LOCAL_KEY_ROTATION_DAYS and LOCAL_TOKEN_MAX_HOURS', () => {
  it('default to 30 days per key and tokens of up to a year, and refuse what is not a positive number', () => {
    expect(configFromEnv({}).localKeys).toEqual({
      rotationSeconds: 30 * 86_400,
      maxTokenSeconds: 8760 * 3600,
    });
    expect(configFromEnv({ LOCAL_KEY_ROTATION_DAYS: '7', LOCAL_TOKEN_MAX_HOURS: '24' }).localKeys).toEqual({
      rotationSeconds: 7 * 86_400,
      maxTokenSeconds: 86_400,
    });
    for (const bad of ['0', '-1', 'soon', '4000'])
      expect(() => configFromEnv({ LOCAL_KEY_ROTATION_DAYS: bad })).toThrow(/LOCAL_KEY_ROTATION_DAYS/);
    for (const bad of ['0', '8761', 'x'])
      expect(() => configFromEnv({ LOCAL_TOKEN_MAX_HOURS: bad })).toThrow(/LOCAL_TOKEN_MAX_HOURS/);
  });
});
