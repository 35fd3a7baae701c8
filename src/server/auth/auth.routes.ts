import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { isValidEmail } from '../../shared/validation';
import type { ServerConfig } from '../config';
import { apiError } from '../http/errors';
import { Loose, typed, ZohoError } from '../http/schema';
import type { LocalIssuer } from './local-issuer';

const TOKEN_TTL_SECONDS = 8 * 3600;

/** The TCP peer is this machine (trustProxy is off, so this is the socket's address, not a header's). */
function isLoopbackPeer(address: string | undefined): boolean {
  return !!address && (address === '::1' || /^(?:::ffff:)?127\./.test(address));
}

/**
 * The Host the client addressed is a loopback name, as written by a browser that loaded a loopback URL. A page on
 * a DNS name rebound to 127.0.0.1 still sends its own name; `localhost.`, `x.localhost` or a userinfo part are
 * refused rather than interpreted.
 */
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

/**
 * Headers a proxy adds. The local sign-in trusts the peer address, which a proxy on this host makes loopback for
 * every client it relays; a request that shows it came through one is refused, whatever it says.
 */
function forwardingHeader(headers: Record<string, unknown>): string | undefined {
  return Object.keys(headers).find(
    (name) =>
      name === 'forwarded' ||
      name === 'via' ||
      name.startsWith('x-forwarded-') ||
      ['x-real-ip', 'x-client-ip', 'true-client-ip', 'cf-connecting-ip', 'x-cluster-client-ip'].includes(
        name,
      ),
  );
}

/** Why a request may not use the local sign-in, or undefined when it may. */
function localSignInRefusal(
  request: FastifyRequest,
  config: ServerConfig,
  servesPane: boolean,
): string | undefined {
  if (!isLoopbackPeer(request.socket.remoteAddress)) return 'local sign-in answers only on loopback';
  const forwarded = forwardingHeader(request.headers);
  if (forwarded) return `local sign-in does not answer through a proxy (the request carries ${forwarded})`;
  const host = request.headers.host ?? '';
  if (!LOOPBACK_HOST.test(host))
    return 'local sign-in answers only requests addressed to localhost, 127.0.0.1 or [::1]';
  const origin = request.headers.origin;
  // The pane's page sends its origin with every POST; a missing one is not a browser showing the pane.
  if (!origin) return 'local sign-in answers only the task pane (the request has no Origin)';
  const allowed =
    config.localSignInOrigins.includes(origin) ||
    // Served by this API (ADDIN_DIR): the pane's origin is the one the request was sent to, over plain http.
    (servesPane && origin === `http://${host.toLowerCase()}`);
  if (!allowed) return `local sign-in answers only the task pane's origin, not ${origin.slice(0, 200)}`;
  return undefined;
}

const tags = ['Auth'];
const schemas = {
  config: {
    summary: 'How clients sign in',
    tags,
    security: [],
    response: {
      200: Type.Object(
        {
          mode: Type.Union([Type.Literal('local'), Type.Literal('entra')]),
          tenantId: Type.Optional(Type.String()),
          clientId: Type.Optional(Type.String()),
          apiScope: Type.Optional(Type.String()),
        },
        { description: 'Auth settings' },
      ),
    },
  },
  jwks: {
    summary: "The local issuer's signing keys (JWKS)",
    tags,
    security: [],
    response: { 200: Loose('{"keys": [JWK]}') },
  },
  token: {
    summary: "Local sign-in of the task pane (loopback peer, loopback Host, the pane's Origin, no proxy)",
    tags,
    security: [],
    body: Type.Object(
      {
        email: Type.String({ description: 'The Outlook user' }),
        name: Type.Optional(Type.String({ maxLength: 255 })),
      },
      { additionalProperties: true },
    ),
    response: {
      200: Type.Object(
        { access_token: Type.String(), token_type: Type.String(), expires_in: Type.Integer() },
        { description: 'A bearer token for /crm' },
      ),
      400: ZohoError('Invalid email or name (details.api_name)'),
      403: ZohoError('Not the task pane on this machine, or local sign-in turned off'),
    },
  },
};

/** Public auth endpoints: how the pane should sign in, the local issuer's keys, and its loopback-only sign-in. */
export function authRoutes(
  root: FastifyInstance,
  config: ServerConfig,
  issuer: LocalIssuer | undefined,
  servesPane: boolean,
): void {
  const app = typed(root);
  app.get('/auth/config', { schema: schemas.config }, async () =>
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
  app.get('/.well-known/jwks.json', { schema: schemas.jwks }, () => issuer.jwks());

  // The embedded default signs the Outlook user in as an agent without an identity provider, on the word of the
  // pane (the Outlook profile). It answers only the pane on this machine: a loopback peer, a loopback Host, the
  // pane's Origin and no proxy in between. A team deployment uses Entra ID.
  const gate = {
    // Before the body is read: a refused request gets nothing parsed, only its 403.
    onRequest: async (request: FastifyRequest) => {
      if (!config.localSignIn)
        throw apiError(403, 'NO_PERMISSION', 'local sign-in is turned off (LOCAL_SIGNIN=off)');
      const refusal = localSignInRefusal(request, config, servesPane);
      if (refusal) throw apiError(403, 'NO_PERMISSION', refusal);
    },
  };
  app.post('/auth/local/token', { ...gate, schema: schemas.token }, async (request, reply) => {
    const { email, name } = request.body;
    if (!isValidEmail(email))
      throw apiError(400, 'INVALID_DATA', 'email must be an email address', { api_name: 'email' });
    // LOCAL_TOKEN_MAX_HOURS caps every token of the issuer, the pane's too.
    const ttlSeconds = Math.min(TOKEN_TTL_SECONDS, issuer.maxTokenSeconds);
    const accessToken = await issuer.mint({
      email,
      name: name || email,
      role: 'agent',
      ttlSeconds,
      pane: true,
    });
    reply.header('cache-control', 'no-store');
    return { access_token: accessToken, token_type: 'Bearer', expires_in: ttlSeconds };
  });
}
