import type { FastifyInstance } from 'fastify';
import { isValidEmail } from '../../shared/validation';
import type { ServerConfig } from '../config';
import { apiError } from '../http/errors';
import type { LocalIssuer } from './local-issuer';

const TOKEN_TTL_SECONDS = 8 * 3600;

function isLoopback(ip: string): boolean {
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1' || ip.startsWith('127.');
}

/** Public auth endpoints: how the pane should sign in, the local issuer's keys, and its loopback-only sign-in. */
export function authRoutes(app: FastifyInstance, config: ServerConfig, issuer?: LocalIssuer): void {
  app.get('/auth/config', async () =>
    config.auth.mode === 'entra'
      ? {
          mode: 'entra',
          tenantId: config.auth.tenantId,
          clientId: config.auth.clientId,
          apiScope: config.auth.apiScope,
        }
      : { mode: 'local' },
  );

  if (!issuer) return;
  app.get('/.well-known/jwks.json', async () => issuer.jwks);

  // The embedded default signs the Outlook user in as an agent without an identity provider. It answers only on
  // loopback: the embedded default is one machine; a team deployment uses Entra ID.
  app.post<{ Body: { email?: unknown; name?: unknown } }>('/auth/local/token', async (request) => {
    if (!config.localSignIn)
      throw apiError(403, 'NO_PERMISSION', 'local sign-in is turned off (LOCAL_SIGNIN=off)');
    if (!isLoopback(request.ip))
      throw apiError(403, 'NO_PERMISSION', 'local sign-in answers only on loopback');
    const { email, name } = (request.body ?? {}) as { email?: unknown; name?: unknown };
    if (typeof email !== 'string' || !isValidEmail(email))
      throw apiError(400, 'INVALID_DATA', 'email must be an email address', { api_name: 'email' });
    if (name !== undefined && (typeof name !== 'string' || name.length > 255))
      throw apiError(400, 'INVALID_DATA', 'name must be text of at most 255 characters', {
        api_name: 'name',
      });
    const accessToken = await issuer.mint({
      email,
      name: name || email,
      role: 'agent',
      ttlSeconds: TOKEN_TTL_SECONDS,
    });
    return { access_token: accessToken, token_type: 'Bearer', expires_in: TOKEN_TTL_SECONDS };
  });
}
