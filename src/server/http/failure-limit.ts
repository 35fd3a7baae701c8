import type { FastifyInstance } from 'fastify';
import type { LimitStore } from './limit-store';

const WINDOW_MS = 60_000;

/**
 * Counts 401 and 403 answers per client IP in a one-minute window; an IP past `max` gets 429 on every request
 * (except /health) until its window ends. Token guessing and probing of permissions show up as refusals, while a
 * working client almost never gets one. Only refusals of requests that carry an Authorization header count: any
 * web page the agent visits can make the browser send plain requests to the loopback API (and be refused), and
 * counting those would let it lock the agent's own pane out, as all of them share 127.0.0.1; a page cannot add
 * that header cross-origin without a CORS preflight, which a foreign origin fails. The address is the TCP peer,
 * or the visitor's behind a proxy named in TRUSTED_PROXIES. The counts live in the limit store, so behind a load
 * balancer every node sees the refusals the others gave; if the store is unreachable, nobody is held back.
 */
export function limitFailedAuth(app: FastifyInstance, max: number, store: LimitStore): void {
  if (max <= 0) return;
  const key = (ip: string) => `auth-failures:${ip}`;

  app.addHook('onRequest', async (request, reply) => {
    if (request.url === '/health') return;
    const seen = await store.peek(key(request.ip)).catch(() => undefined);
    if (!seen || seen.count < max || seen.resetInMs <= 0) return;
    await reply
      .code(429)
      .header('retry-after', String(Math.ceil(seen.resetInMs / 1000)))
      .send({
        code: 'TOO_MANY_REQUESTS',
        details: { retry_after_ms: seen.resetInMs },
        message: `too many refused requests (401/403) from this address: at most ${max} a minute`,
        status: 'error',
      });
    return reply;
  });

  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode !== 401 && reply.statusCode !== 403) return;
    if (request.headers.authorization === undefined) return;
    await store.hit(key(request.ip), WINDOW_MS).catch(() => undefined);
  });
}
