import fs from 'node:fs';
import path from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type JWK, type KeyLike } from 'jose';
import type { Role } from '../../shared/api-types';

/** The embedded default's own token issuer: one signing key in the data folder, its JWKS served by the server. */
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

export interface LocalIssuer {
  jwks: { keys: JWK[] };
  /** `pane: true`: a token of the pane's local sign-in (subject `pane:<email>`). */
  mint(claims: {
    email: string;
    name?: string;
    role: Role;
    ttlSeconds?: number;
    pane?: boolean;
  }): Promise<string>;
}

interface KeyFile {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

async function loadOrCreateKey(dataDir: string): Promise<KeyFile> {
  const file = path.join(dataDir, 'auth', 'signing-key.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as KeyFile;
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const kid = `local-${Date.now().toString(36)}`;
  const key: KeyFile = {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ALG, use: 'sig' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' },
  };
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // wx: two processes starting together must not overwrite each other's key; the loser reads the winner's.
  try {
    fs.writeFileSync(file, JSON.stringify(key), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return JSON.parse(fs.readFileSync(file, 'utf8')) as KeyFile;
  }
  return key;
}

export async function openLocalIssuer(dataDir: string): Promise<LocalIssuer> {
  const key = await loadOrCreateKey(dataDir);
  const privateKey = (await importJWK(key.privateJwk, ALG)) as KeyLike;
  return {
    jwks: { keys: [key.publicJwk] },
    mint: ({ email, name, role, ttlSeconds = 12 * 3600, pane = false }) =>
      new SignJWT({ email, name: name ?? email, roles: [role] })
        .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' })
        .setSubject(`${pane ? PANE_SUBJECT_PREFIX : ''}${email.toLowerCase()}`)
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
        .sign(privateKey),
  };
}
