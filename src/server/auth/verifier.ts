import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Role } from '../../shared/api-types';
import {
  KeysUnavailable,
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  PANE_SUBJECT_PREFIX,
  type LocalIssuer,
} from './local-issuer';
import { roleFromClaims } from './roles';

/** Who is calling, as established from a verified token. */
export interface Principal {
  /** Stable across sessions: issuer + subject (Entra: object id). */
  externalId: string;
  email: string;
  name: string;
  role: Role;
  /**
   * The pane's local sign-in: email and name are the client's word, so the user row it maps to keeps what it was
   * given on first sight, and its stored role (not the token's) is the one that counts.
   */
  paneSignIn: boolean;
}

export class TokenError extends Error {
  constructor(
    message: string,
    readonly code: 'INVALID_TOKEN' | 'AUTHENTICATION_FAILURE',
  ) {
    super(message);
  }
}

export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

interface VerifierSettings {
  keys: JWTVerifyGetKey;
  issuer: string;
  audience: string[];
  algorithms: string[];
  defaultRole: Role;
  /** Only the local issuer mints pane sign-ins. */
  paneSubjects: boolean;
}

function principalFrom(payload: JWTPayload, settings: VerifierSettings): Principal {
  const claims = payload as JWTPayload & Record<string, unknown>;
  const email = [claims.email, claims.preferred_username, claims.upn].find(
    (v): v is string => typeof v === 'string',
  );
  const subject = typeof claims.oid === 'string' ? claims.oid : payload.sub;
  if (!email || !subject) throw new TokenError('token has no subject or email', 'AUTHENTICATION_FAILURE');
  return {
    externalId: `${payload.iss}|${subject}`,
    email: email.toLowerCase(),
    name: typeof claims.name === 'string' && claims.name ? claims.name : email,
    role: roleFromClaims(claims.roles, settings.defaultRole),
    paneSignIn: settings.paneSubjects && subject.startsWith(PANE_SUBJECT_PREFIX),
  };
}

const VERIFIED_CACHE_SIZE = 10_000;

/**
 * Verifies signature, issuer, audience and expiry. A token already verified is remembered until it expires, so
 * an agent's pane does not pay for a signature check on every call; the expiry is still checked every time.
 */
function verifierFrom(settings: VerifierSettings): TokenVerifier {
  const verified = new Map<string, { principal: Principal; expiresAt: number }>();
  return {
    async verify(token) {
      const hit = verified.get(token);
      if (hit) {
        if (Date.now() < hit.expiresAt) return hit.principal;
        verified.delete(token);
      }
      try {
        const { payload } = await jwtVerify(token, settings.keys, {
          issuer: settings.issuer,
          audience: settings.audience,
          algorithms: settings.algorithms,
          requiredClaims: ['exp'],
          clockTolerance: 30,
        });
        const principal = principalFrom(payload, settings);
        if (verified.size >= VERIFIED_CACHE_SIZE) verified.clear();
        verified.set(token, { principal, expiresAt: (payload.exp as number) * 1000 });
        return principal;
      } catch (error) {
        if (error instanceof TokenError) throw error;
        // The keys could not be read: say so (503 through the error handler), not that the token is bad.
        if (error instanceof KeysUnavailable) throw error.cause;
        const expired = error instanceof errors.JWTExpired;
        throw new TokenError(expired ? 'token expired' : 'invalid oauth token', 'INVALID_TOKEN');
      }
    },
  };
}

/**
 * The local issuer's tokens, verified with the keys in the database: a kid this process has not seen yet (a key
 * another node rotated to a moment ago) is looked up there before the token is refused.
 */
export function localVerifier(issuer: LocalIssuer): TokenVerifier {
  return verifierFrom({
    keys: async (header) => {
      const key = header.kid ? await issuer.verificationKey(header.kid) : undefined;
      if (!key) throw new errors.JWKSNoMatchingKey();
      return key;
    },
    issuer: LOCAL_ISSUER,
    audience: [LOCAL_AUDIENCE],
    algorithms: ['ES256'],
    defaultRole: 'viewer',
    paneSubjects: true,
  });
}

/** Microsoft Entra ID (v2.0 tokens) for production: keys from the tenant's JWKS, audience = the API's app id. */
export function entraVerifier(options: {
  tenantId: string;
  clientId: string;
  defaultRole: Role;
  jwksUrl?: string;
  issuer?: string;
}): TokenVerifier {
  const { tenantId, clientId } = options;
  return verifierFrom({
    keys: createRemoteJWKSet(
      new URL(options.jwksUrl ?? `https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys`),
    ),
    issuer: options.issuer ?? `https://login.microsoftonline.com/${tenantId}/v2.0`,
    audience: [clientId, `api://${clientId}`],
    algorithms: ['RS256'],
    defaultRole: options.defaultRole,
    paneSubjects: false,
  });
}
