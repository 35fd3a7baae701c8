import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { Role } from '../../shared/api-types';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, type LocalIssuer } from './local-issuer';
import { roleFromClaims } from './roles';

/** Who is calling, as established from a verified token. */
export interface Principal {
  /** Stable across sessions: issuer + subject (Entra: object id). */
  externalId: string;
  email: string;
  name: string;
  role: Role;
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
}

function principalFrom(payload: JWTPayload, defaultRole: Role): Principal {
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
    role: roleFromClaims(claims.roles, defaultRole),
  };
}

function verifierFrom(settings: VerifierSettings): TokenVerifier {
  return {
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, settings.keys, {
          issuer: settings.issuer,
          audience: settings.audience,
          algorithms: settings.algorithms,
          requiredClaims: ['exp'],
          clockTolerance: 30,
        });
        return principalFrom(payload, settings.defaultRole);
      } catch (error) {
        if (error instanceof TokenError) throw error;
        const expired = error instanceof errors.JWTExpired;
        throw new TokenError(expired ? 'token expired' : 'invalid oauth token', 'INVALID_TOKEN');
      }
    },
  };
}

export function localVerifier(issuer: LocalIssuer): TokenVerifier {
  return verifierFrom({
    keys: createLocalJWKSet(issuer.jwks),
    issuer: LOCAL_ISSUER,
    audience: [LOCAL_AUDIENCE],
    algorithms: ['ES256'],
    defaultRole: 'viewer',
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
  });
}
