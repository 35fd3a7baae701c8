import fs from 'node:fs';
import path from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type JWK, type KeyLike } from 'jose';
import type { Role } from '../../shared/api-types';

/** The embedded default's own token issuer: one signing key in the data folder, its JWKS served by the server. */
export const LOCAL_ISSUER = 'urn:casepane:local-issuer';
export const LOCAL_AUDIENCE = 'casepane-api';
const ALG = 'ES256';

export interface LocalIssuer {
  jwks: { keys: JWK[] };
  mint(claims: { email: string; name?: string; role: Role; ttlSeconds?: number }): Promise<string>;
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
    mint: ({ email, name, role, ttlSeconds = 12 * 3600 }) =>
      new SignJWT({ email, name: name ?? email, roles: [role] })
        .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' })
        .setSubject(email.toLowerCase())
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
        .sign(privateKey),
  };
}
