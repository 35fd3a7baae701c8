import fs from 'node:fs';
import path from 'node:path';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { MAX_BODY_BYTES } from '../shared/api-types';
import type { FieldRegistry } from './settings/field-registry';
import { registerAuth } from './auth/auth.plugin';
import { authRoutes } from './auth/auth.routes';
import type { LocalIssuer } from './auth/local-issuer';
import type { TokenVerifier } from './auth/verifier';
import { caseRoutes } from './cases/case.routes';
import { coqlRoutes } from './coql/coql.routes';
import { caseZohoRoutes } from './cases/case-zoho.routes';
import type { ServerConfig } from './config';
import type { Storage } from './db/database';
import { isBadValueForDatabase, isConcurrencyRollback, isUnavailable } from './db/errors';
import { emailRoutes, emailUnlinkRoutes } from './emails/email.routes';
import { activityRoutes } from './activities/activity.routes';
import { historyRoutes } from './history/history.routes';
import { solutionRoutes } from './solutions/solution.routes';
import { attachmentRoutes } from './attachments/attachment.routes';
import type { BlobStore } from './attachments/blob-store';
import { mailRoutes } from './mail/mail.routes';
import { mailboxRoutes } from './mailboxes/mailbox.routes';
import { reportRoutes } from './reports/report.routes';
import { importRoutes } from './imports/import.routes';
import { webFormAdminRoutes, webFormPublicRoutes } from './webforms/webform.routes';
import type { Mailer } from './mail/mailer';
import type { Outbox } from './outbox/outbox';
import { sentEmailRoutes } from './emails/sent-email.routes';
import { ruleRoutes } from './rules/rules.routes';
import { watchRoutes } from './notifications/watch.routes';
import type { AppDeps } from './http/context';
import { HttpError } from './http/errors';
import { limitFailedAuth } from './http/failure-limit';
import { LIMIT_KEY_PREFIX, openLimitStore } from './http/limit-store';
import { strictJsonBodies } from './http/text-input';
import { openApiRoute, registerOpenApi } from './http/openapi-document';
import { serializerCompiler, validatorCompiler } from './http/schema';
import { lookupRoutes } from './lookups/lookup.routes';
import { noteRoutes } from './notes/note.routes';
import { fieldRoutes } from './settings/fields.routes';
import { userRoutes } from './users/user.routes';
import { viewRoutes } from './views/views.routes';
import { readUntypedBodiesAsJson } from './zoho/untyped-json';

export interface AppOptions {
  config: ServerConfig;
  storage: Storage;
  fields: FieldRegistry;
  verifier: TokenVerifier;
  issuer?: LocalIssuer;
  /** Outgoing effects after commit; its dispatcher runs beside the app (server.ts). */
  outbox: Outbox;
  mailer?: Mailer;
  /** Attachment bytes; opened and closed by server.ts, which shares it with the mailbox capture. */
  blobs: BlobStore;
}

// The pane shows email content; even if a bug let markup through, the browser would refuse to run it.
const PANE_CSP = [
  "default-src 'self'",
  "script-src 'self' https://appsforoffice.microsoft.com",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "connect-src 'self' https://login.microsoftonline.com",
  "frame-src 'self' https://login.microsoftonline.com",
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');

const Health = (description: string) =>
  Type.Object(
    {
      status: Type.String(),
      database: Type.String(),
      write_worker: Type.Optional(
        Type.String({
          description:
            "SQLite's write worker: not started (no conversion yet), starting, running, or unavailable (writes stay on the HTTP thread)",
        }),
      ),
    },
    { description },
  );
const healthSchema = {
  summary: 'Liveness and database check',
  security: [],
  response: { 200: Health('Healthy'), 503: Health('Database unavailable') },
};

/** A 503 the client may retry after `seconds`: nothing of its request was stored. */
function tryAgain(reply: FastifyReply, seconds: number, message: string) {
  return reply
    .code(503)
    .header('retry-after', String(seconds))
    .send({ code: 'SERVICE_UNAVAILABLE', details: {}, message, status: 'error' });
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config, storage, fields } = options;
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: MAX_BODY_BYTES,
    // Zoho record ids are numeric strings; keep query strings as given.
    routerOptions: { maxParamLength: 200 },
    // Forwarding headers are believed only from the proxies TRUSTED_PROXIES names: per-IP limits then count the
    // visitor, not the proxy, and links keep the visitor's scheme; anyone else could pick an address per request.
    trustProxy: config.trustedProxies.length ? config.trustedProxies : false,
    // On shutdown, do not wait for clients that stopped mid-upload.
    forceCloseConnections: true,
  });
  strictJsonBodies(app);
  // Before any route: every route's schemas are checked by this compiler and collected into /openapi.json.
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await registerOpenApi(app);
  const limits = await openLimitStore(config.redisUrl, app.log);
  app.addHook('onClose', () => limits.close());
  // Read per request: an admin's layout change applies to the next request.
  const deps: AppDeps = {
    storage,
    get fields() {
      return fields.current();
    },
  };

  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) {
      // A 5xx the code chose (a store that cannot be read) still tells the operator what happened underneath.
      if (error.statusCode >= 500) request.log.warn({ err: error.cause ?? error }, error.message);
      return reply.code(error.statusCode).headers(error.headers).send(error.body);
    }
    const status = error.statusCode ?? 500;
    if (status === 413)
      return reply.code(413).send({
        code: 'LIMIT_EXCEEDED',
        details: { max_bytes: MAX_BODY_BYTES },
        message: 'the request body is larger than 1 MiB',
        status: 'error',
      });
    if (status === 429)
      return reply
        .code(429)
        .send({ code: 'TOO_MANY_REQUESTS', details: {}, message: error.message, status: 'error' });
    if (status === 415)
      return reply.code(415).send({
        code: 'INVALID_DATA',
        details: { expected_data_type: 'application/json' },
        message: 'send JSON with Content-Type: application/json',
        status: 'error',
      });
    if (status >= 400 && status < 500) {
      return reply.code(status).send({
        code: 'INVALID_DATA',
        details: { expected_data_type: 'jsonobject' },
        message: `malformed request: ${error.message}`,
        status: 'error',
      });
    }
    if (isBadValueForDatabase(error)) {
      return reply.code(400).send({
        code: 'INVALID_DATA',
        details: {},
        message: 'a value could not be stored or compared as given',
        status: 'error',
      });
    }
    // Both are worth trying again: nothing of the request is stored, and the next try may find the database.
    if (isUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      return tryAgain(reply, 2, 'the database is unavailable; try again shortly');
    }
    if (isConcurrencyRollback(error)) {
      request.log.warn({ err: error }, 'write rolled back for a concurrent one');
      return tryAgain(reply, 1, 'the change met a concurrent change and nothing of it was stored; try again');
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply
      .code(500)
      .send({ code: 'INTERNAL_ERROR', details: {}, message: 'unexpected server error', status: 'error' });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      code: 'INVALID_URL_PATTERN',
      details: {},
      message: `no route ${request.method} ${request.url.split('?')[0].slice(0, 200)}`,
      status: 'error',
    }),
  );
  // PostgreSQL cannot hold a NUL in text and no client means one: refuse it in any query value or path part.
  app.addHook('preValidation', async (request) => {
    const values = [
      ...Object.values((request.query ?? {}) as Record<string, unknown>),
      ...Object.values((request.params ?? {}) as Record<string, unknown>),
    ];
    if (values.flat().some((v) => typeof v === 'string' && v.includes('\u0000')))
      throw new HttpError(400, {
        code: 'INVALID_DATA',
        details: {},
        message: 'a query parameter contains a NUL character',
        status: 'error',
      });
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
  });
  // Writes, and reads of the settings, see every field change any node has committed (one small query); other
  // reads take the copy refreshed every few seconds. An unreachable database fails the request itself, not here.
  app.addHook('preHandler', async (request) => {
    if (request.method === 'GET' && !request.url.includes('/settings/')) return;
    await fields.ensureCurrent().catch(() => undefined);
  });
  // Before any route and its own hooks: a refused IP is answered before tokens are checked or bodies read.
  limitFailedAuth(app, config.authFailuresPerMinute, limits);

  if (config.corsOrigins.length) {
    await app.register(cors, {
      origin: config.corsOrigins,
      allowedHeaders: ['Authorization', 'Content-Type'],
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    });
  }

  app.get('/health', { schema: healthSchema }, async (_request, reply) => {
    try {
      await storage.ping();
      return { status: 'ok', database: storage.engine, write_worker: storage.writeWorker?.() };
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: storage.engine });
    }
  });
  openApiRoute(app, () => deps.fields);
  const servesPane = !!config.addinDir && fs.existsSync(path.join(config.addinDir, 'taskpane.html'));
  authRoutes(app, config, options.issuer, servesPane);
  await webFormPublicRoutes(app, storage, () => deps.fields, { perMinute: config.webFormsPerMinute, limits });

  // Everything under /crm: authenticated, authorised, rate-limited per user.
  await app.register(async (crm) => {
    readUntypedBodiesAsJson(crm);
    registerAuth(crm, storage, options.verifier);
    await crm.register(rateLimit, {
      max: config.rateLimitPerMinute,
      timeWindow: 60_000,
      hook: 'preHandler',
      // Shared by every node when REDIS_URL is set; served without a limit while that store is unreachable.
      redis: limits.redis,
      nameSpace: `${LIMIT_KEY_PREFIX}crm:`,
      skipOnError: true,
      keyGenerator: (request) => request.currentUser?.id ?? request.ip,
      errorResponseBuilder: (_request, context) => ({
        statusCode: 429,
        code: 'TOO_MANY_REQUESTS',
        details: { retry_after_ms: context.ttl },
        message: `rate limit of ${context.max} requests per minute exceeded`,
        status: 'error',
      }),
    });
    caseRoutes(crm, deps);
    coqlRoutes(crm, deps);
    caseZohoRoutes(crm, deps);
    emailRoutes(crm, deps);
    emailUnlinkRoutes(crm, deps);
    historyRoutes(crm, deps);
    activityRoutes(crm, deps);
    solutionRoutes(crm, deps);
    await attachmentRoutes(crm, deps, options.blobs);
    ruleRoutes(crm, deps);
    importRoutes(crm, deps, { tmpDir: path.join(config.dataDir, 'tmp'), limits: config.importLimits });
    webFormAdminRoutes(crm, deps, config.publicOrigin);
    mailRoutes(crm, deps, { outbox: options.outbox, mailer: options.mailer });
    lookupRoutes(crm, deps);
    userRoutes(crm, deps);
    noteRoutes(crm, deps);
    fieldRoutes(crm, deps, fields);
    watchRoutes(crm, deps, { settings: config.notifications, publicOrigin: config.publicOrigin });
    mailboxRoutes(crm, deps);
    await viewRoutes(crm, deps);
    reportRoutes(crm, deps);
    await crm.register(sentEmailRoutes, { deps });
    // Notifications need no answer in the request: once a write has committed, its callbacks leave at once
    // rather than at the next poll.
    crm.addHook('onResponse', async (request) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') options.outbox.kick();
    });
  });

  if (servesPane && config.addinDir) {
    await app.register(fastifyStatic, {
      root: config.addinDir,
      prefix: '/',
      index: false,
      setHeaders: (res, file) => {
        if (file.endsWith('.html')) res.header('content-security-policy', PANE_CSP);
      },
    });
  }
  return app;
}
