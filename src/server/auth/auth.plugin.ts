import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Storage } from '../db/database';
import { nowIso } from '../db/executor';
import { apiError } from '../http/errors';
import type { CurrentUser } from '../http/context';
import { firstSightUser, upsertUser } from '../users/user.repository';
import { can, isRole, type Permission } from './roles';
import { type Principal, TokenError, type TokenVerifier } from './verifier';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The Cases permission a route needs; GET defaults to view, writes to edit. */
    permission?: Permission;
  }
}

/** `Authorization: Bearer <JWT>`, or Zoho's `Zoho-oauthtoken <JWT>` alias. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^(?:Bearer|Zoho-oauthtoken)\s+([A-Za-z0-9_\-.]+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

const USER_CACHE_MS = 60_000;

/**
 * Authenticates every request of the plugin scope it is registered in, and authorises it against the route's
 * permission. Users are created on first sight and refreshed from their token at most once a minute (a pane
 * sign-in's user is only read: see firstSightUser).
 */
export function registerAuth(app: FastifyInstance, storage: Storage, verifier: TokenVerifier): void {
  const cache = new Map<string, { user: CurrentUser; checked: number; fingerprint: string }>();

  async function userFor(principal: Principal): Promise<CurrentUser> {
    const fingerprint = `${principal.email}|${principal.name}|${principal.role}`;
    const hit = cache.get(principal.externalId);
    if (hit && hit.fingerprint === fingerprint && Date.now() - hit.checked < USER_CACHE_MS) return hit.user;
    // A pane sign-in's name and email are only the pane's word: they never overwrite a stored user, and its
    // stored role counts. An issuer's token (CLI, Entra) is the authority on its user: refresh from it.
    const row = principal.paneSignIn
      ? await firstSightUser(
          storage.db,
          { externalId: principal.externalId, email: principal.email, fullName: principal.name },
          nowIso(),
        )
      : await upsertUser(
          storage.db,
          {
            externalId: principal.externalId,
            email: principal.email,
            fullName: principal.name,
            role: principal.role,
          },
          nowIso(),
        );
    if (row.status !== 'active') throw apiError(403, 'NO_PERMISSION', 'this user is disabled');
    const user: CurrentUser = {
      id: String(row.id),
      email: row.email,
      name: row.full_name,
      role: principal.paneSignIn ? (isRole(row.role) ? row.role : 'viewer') : principal.role,
    };
    if (cache.size > 10_000) cache.clear();
    cache.set(principal.externalId, { user, checked: Date.now(), fingerprint });
    return user;
  }

  app.addHook('onRequest', async (request: FastifyRequest) => {
    const token = bearerToken(request.headers.authorization);
    if (!token) throw apiError(401, 'AUTHENTICATION_FAILURE', 'missing Authorization: Bearer <token>');
    let principal: Principal;
    try {
      principal = await verifier.verify(token);
    } catch (error) {
      if (error instanceof TokenError) throw apiError(401, error.code, error.message);
      throw error;
    }
    request.currentUser = await userFor(principal);
    const needed: Permission =
      request.routeOptions.config?.permission ??
      (request.method === 'GET' || request.method === 'HEAD' ? 'view' : 'edit');
    if (!can(request.currentUser.role, needed))
      throw apiError(
        403,
        'NO_PERMISSION',
        `permission denied: your role (${request.currentUser.role}) cannot ${needed} cases`,
        { permissions: [needed] },
      );
  });
}
