import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type JWK, type KeyLike } from 'jose';
import type { Role } from '../../shared/api-types';
import { openStorage, type Storage, type StorageOptions } from '../db/database';
import {
  insertSigningKey,
  liveSigningKeys,
  retireSigningKeys,
  type StoredSigningKey,
} from './signing-key.repository';

/**
 * The embedded default's own token issuer. Its ES256 keys live in the database (signing_keys), so every API process
 * on one database mints and verifies the same tokens and publishes the same JWKS: one key signs for
 * LOCAL_KEY_ROTATION_DAYS, then the next one does, and a retired key keeps verifying until every token it could have
 * signed has expired (LOCAL_TOKEN_MAX_HOURS after it stopped signing).
 */
export const LOCAL_ISSUER = 'urn:casepane:local-issuer';
export const LOCAL_AUDIENCE = 'casepane-api';
const ALG = 'ES256';

/**
 * Subjects of the pane's local sign-in start with this. Its email and name are the pane's word (the Outlook
 * profile), not an issuer's, so they get their own users, apart from the CLI's and the test harness's tokens
 * (whose subject is the bare email; an email cannot contain ':').
 */
export const PANE_SUBJECT_PREFIX = 'pane:';
/** How those users' external_id (issuer|subject, see verifier.ts) begins. */
export const PANE_EXTERNAL_ID_PREFIX = `${LOCAL_ISSUER}|${PANE_SUBJECT_PREFIX}`;

export interface LocalKeySettings {
  /** How long one key signs before the next takes over (LOCAL_KEY_ROTATION_DAYS). */
  rotationSeconds: number;
  /** The longest token minted (LOCAL_TOKEN_MAX_HOURS): how long a retired key still verifies. */
  maxTokenSeconds: number;
}

/** 30 days per key; tokens up to a year, as `npm run token -- --hours` has always allowed. */
export const DEFAULT_LOCAL_KEYS: LocalKeySettings = {
  rotationSeconds: 30 * 86_400,
  maxTokenSeconds: 8760 * 3600,
};

/** Tokens minted when the caller names no lifetime (the CLI's default). */
const DEFAULT_TTL_SECONDS = 12 * 3600;
/** Keys made by other processes are picked up at least this often (JWKS, signer), without a restart. */
const RELOAD_EVERY_MS = 60_000;
/** A token naming a kid this process does not know re-reads the keys, but no more often than this. */
const UNKNOWN_KID_RELOAD_MS = 2_000;

export interface LocalIssuer {
  /** The public keys that verify now, newest first: what /.well-known/jwks.json serves. */
  jwks(): Promise<{ keys: JWK[] }>;
  /** The longest token mint() accepts. */
  maxTokenSeconds: number;
  /** `pane: true`: a token of the pane's local sign-in (subject `pane:<email>`). */
  mint(claims: {
    email: string;
    name?: string;
    role: Role;
    ttlSeconds?: number;
    pane?: boolean;
  }): Promise<string>;
  /**
   * The public key of `kid`, or undefined when no live key has it. A kid this process has not seen makes it
   * re-read the keys (another node may have just rotated), at most every UNKNOWN_KID_RELOAD_MS; rejects with
   * KeysUnavailable when the database cannot be read.
   */
  verificationKey(kid: string): Promise<KeyLike | undefined>;
}

/** The keys could not be read from the database: answered as that database failure (503 when unreachable), not 401. */
export class KeysUnavailable extends Error {
  constructor(override readonly cause: unknown) {
    super('the signing keys could not be read from the database');
  }
}

interface LiveKey {
  jwk: JWK;
  key: KeyLike;
  notAfter: number;
}

interface Signer {
  kid: string;
  privateKey: KeyLike;
  signsUntil: number;
  notAfter: number;
}

/** What this process knows of signing_keys, as of loadedAt. */
interface Ring {
  loadedAt: number;
  keys: Map<string, LiveKey>;
  signer?: Signer;
  /** The highest generation among the live keys read (0 when none): the next key takes this plus one. */
  newestNumber: number;
}

const millis = (iso: string) => Date.parse(iso);

/**
 * The previous version's key file, DATA_DIR/auth/signing-key.json, is imported on first start so tokens it signed
 * keep working on every node. Only its public half is stored (it never signs again) and it verifies for the longest
 * token lifetime from now; the file is then replaced by a public-only record, so the private key that is no
 * longer needed does not stay on disk.
 */
async function importKeyFile(
  storage: Pick<Storage, 'write'>,
  dataDir: string,
  settings: LocalKeySettings,
): Promise<void> {
  const file = path.join(dataDir, 'auth', 'signing-key.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const parsed = JSON.parse(text) as { kid?: unknown; publicJwk?: JWK };
  if (typeof parsed.kid !== 'string' || typeof parsed.publicJwk !== 'object' || parsed.publicJwk === null)
    throw new Error(`${file} is not a signing key file (expected kid and publicJwk)`);
  const { kid } = parsed;
  const { d: _private, ...publicJwk } = parsed.publicJwk;
  const now = new Date();
  await storage.write((trx) =>
    insertSigningKey(trx, {
      kid,
      keyNumber: null,
      privateJwk: null,
      publicJwk: { ...publicJwk, kid, alg: ALG, use: 'sig' },
      createdTime: now.toISOString(),
      signsUntil: now.toISOString(),
      notAfter: new Date(now.getTime() + settings.maxTokenSeconds * 1000).toISOString(),
    }),
  );
  const record = path.join(dataDir, 'auth', 'signing-key.imported.json');
  fs.writeFileSync(
    record,
    JSON.stringify({ kid, publicJwk, importedTime: now.toISOString(), into: 'the signing_keys table' }),
  );
  // force: another process sharing this DATA_DIR may have imported and removed it first.
  fs.rmSync(file, { force: true });
}

async function newKey(keyNumber: number, settings: LocalKeySettings): Promise<StoredSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const now = Date.now();
  const kid = `local-${now.toString(36)}-${crypto.randomBytes(4).toString('hex')}`;
  const signsUntil = now + settings.rotationSeconds * 1000;
  return {
    kid,
    keyNumber,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ALG, use: 'sig' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' },
    createdTime: new Date(now).toISOString(),
    signsUntil: new Date(signsUntil).toISOString(),
    notAfter: new Date(signsUntil + settings.maxTokenSeconds * 1000).toISOString(),
  };
}

/**
 * The issuer over the keys in `storage`. `dataDir` is where an old key file may wait to be imported. Nothing is
 * written to DATA_DIR/auth any more; the first process that needs a signing key makes it in the database.
 */
export async function openLocalIssuer(options: {
  storage: Pick<Storage, 'db' | 'write'>;
  dataDir: string;
  settings?: LocalKeySettings;
}): Promise<LocalIssuer> {
  const { storage, dataDir } = options;
  const settings = options.settings ?? DEFAULT_LOCAL_KEYS;
  await importKeyFile(storage, dataDir, settings);
  await storage.write((trx) => retireSigningKeys(trx, new Date().toISOString()));

  let ring: Ring = { loadedAt: 0, keys: new Map(), newestNumber: 0 };

  /** Read signing_keys now. What was read is returned to the caller, and kept unless a later read finished first. */
  const load = async (): Promise<Ring> => {
    const startedAt = Date.now();
    const rows = await liveSigningKeys(storage.db, new Date(startedAt).toISOString());
    const keys = new Map<string, LiveKey>();
    for (const row of rows) {
      const known = ring.keys.get(row.kid);
      keys.set(row.kid, {
        jwk: row.publicJwk,
        key: known?.key ?? ((await importJWK(row.publicJwk, ALG)) as KeyLike),
        notAfter: millis(row.notAfter),
      });
    }
    // The newest generation that may still sign; rows come newest first.
    const signing = rows.find((row) => row.privateJwk !== null && millis(row.signsUntil) > startedAt);
    let signer: Signer | undefined;
    if (signing?.privateJwk)
      signer =
        ring.signer?.kid === signing.kid
          ? ring.signer
          : {
              kid: signing.kid,
              privateKey: (await importJWK(signing.privateJwk, ALG)) as KeyLike,
              signsUntil: millis(signing.signsUntil),
              notAfter: millis(signing.notAfter),
            };
    const next = { loadedAt: startedAt, keys, signer, newestNumber: rows[0]?.keyNumber ?? 0 };
    if (startedAt >= ring.loadedAt) ring = next;
    return next;
  };

  /** The periodic re-read: requests arriving while one is under way share it. */
  let reloading: Promise<Ring> | undefined;
  const reload = (): Promise<Ring> => {
    reloading ??= load().finally(() => {
      reloading = undefined;
    });
    return reloading;
  };

  /** The ring, re-read when it is older than RELOAD_EVERY_MS; a failed re-read keeps what is known. */
  const current = async (): Promise<Ring> => {
    if (Date.now() - ring.loadedAt < RELOAD_EVERY_MS) return ring;
    try {
      return await reload();
    } catch (error) {
      if (!ring.loadedAt) throw error;
      return ring;
    }
  };

  let unknownKidReload: Promise<Ring> | undefined;
  /** A re-read for a kid nobody here knows, spaced so a stream of made-up kids costs one query per interval. */
  const reloadForUnknownKid = (): Promise<Ring> => {
    unknownKidReload ??= (async () => {
      try {
        const wait = ring.loadedAt + UNKNOWN_KID_RELOAD_MS - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        return await load();
      } finally {
        unknownKidReload = undefined;
      }
    })();
    return unknownKidReload;
  };

  /** The signer may sign now a token that ends at `until` (ms): it still signs, and it verifies that long. */
  const covers = (signer: Signer | undefined, until: number): signer is Signer =>
    !!signer && signer.signsUntil > Date.now() && signer.notAfter >= until;

  /**
   * Make generation `keyNumber`, the one after the newest this process has read. If another process made it since
   * (or made it first, racing), the insert changes nothing and the caller reads that key back: the number is taken
   * from what was read, never re-read here, so two processes cannot both rotate past one key. Rows that no longer
   * verify are deleted first, so a dead key's number does not block its successor. Calls in this process while
   * one is under way share it.
   */
  let creating: Promise<void> | undefined;
  const createKey = (keyNumber: number): Promise<void> => {
    creating ??= (async () => {
      try {
        const key = await newKey(keyNumber, settings);
        await storage.write(async (trx) => {
          await retireSigningKeys(trx, key.createdTime);
          await insertSigningKey(trx, key);
        });
      } finally {
        creating = undefined;
      }
    })();
    return creating;
  };

  /**
   * The key to sign a token ending at `until` with. When the newest one has stopped signing (or none exists yet),
   * the next generation is made. So is it when the newest leaves the JWKS before `until`: a key made while
   * LOCAL_TOKEN_MAX_HOURS was lower than this process's — the new key covers the longest token allowed here.
   */
  const signer = async (until: number): Promise<Signer> => {
    let known = await current();
    if (covers(known.signer, until)) return known.signer;
    for (let attempt = 0; attempt < 3; attempt++) {
      known = await load();
      if (covers(known.signer, until)) return known.signer;
      await createKey(known.newestNumber + 1);
    }
    known = await load();
    if (covers(known.signer, until)) return known.signer;
    throw new Error('no signing key could be made in signing_keys');
  };

  // The first process on a database makes the first key now, so the JWKS is never empty.
  await signer(Date.now());

  return {
    maxTokenSeconds: settings.maxTokenSeconds,
    async jwks() {
      const known = await current();
      const now = Date.now();
      return { keys: [...known.keys.values()].filter((k) => k.notAfter > now).map((k) => k.jwk) };
    },
    async mint({ email, name, role, ttlSeconds, pane = false }) {
      const ttl = ttlSeconds ?? Math.min(DEFAULT_TTL_SECONDS, settings.maxTokenSeconds);
      if (!(ttl > 0 && ttl <= settings.maxTokenSeconds))
        throw new Error(
          `a token may live at most ${settings.maxTokenSeconds / 3600} hours (LOCAL_TOKEN_MAX_HOURS)`,
        );
      const expiresAt = Math.floor(Date.now() / 1000) + ttl;
      const key = await signer(expiresAt * 1000);
      return new SignJWT({ email, name: name ?? email, roles: [role] })
        .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' })
        .setSubject(`${pane ? PANE_SUBJECT_PREFIX : ''}${email.toLowerCase()}`)
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(expiresAt)
        .sign(key.privateKey);
    },
    async verificationKey(kid) {
      const live = (known: Ring) => {
        const hit = known.keys.get(kid);
        return hit && hit.notAfter > Date.now() ? hit.key : undefined;
      };
      try {
        const found = live(await current());
        if (found) return found;
        return live(await reloadForUnknownKid());
      } catch (error) {
        throw new KeysUnavailable(error);
      }
    },
  };
}

/**
 * Mint one token with the keys of the database `store` names, as `npm run token` does: opens its own connection,
 * imports an old key file from the data folder if one is there, and closes again.
 */
export async function mintLocalToken(
  store: StorageOptions & { settings?: LocalKeySettings },
  claims: Parameters<LocalIssuer['mint']>[0],
): Promise<string> {
  const storage = await openStorage({ ...store, poolSize: store.poolSize ?? 2 });
  try {
    const issuer = await openLocalIssuer({ storage, dataDir: store.dataDir, settings: store.settings });
    return await issuer.mint(claims);
  } finally {
    await storage.close();
  }
}
