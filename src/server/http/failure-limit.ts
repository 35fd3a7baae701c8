import type { FastifyInstance } from 'fastify';

const WINDOW_MS = 60_000;
/** More addresses than this in one window: forget the finished windows (and, if still too many, all). */
const MAX_TRACKED = 50_000;

/**
 * Counts 401 and 403 answers per client IP in a one-minute window; an IP past `max` gets 429 on every request
 * (except /health) until its window ends. Token guessing and probing of permissions show up as refusals, while a
 * working client almost never gets one. Only refusals of requests that carry an Authorization header count: any
 * web page the agent visits can make the browser send plain requests to the loopback API (and be refused), and
 * counting those would let it lock the agent's own pane out, as all of them share 127.0.0.1; a page cannot add
 * that header cross-origin without a CORS preflight, which a foreign origin fails. The address is the TCP peer
 * (trustProxy is off): behind a proxy all its clients share one budget.
 */
export function limitFailedAuth(app: FastifyInstance, max: number): void {
  if (max <= 0) return;
  const windows = new Map<string, { count: number; resetAt: number }>();

  app.addHook('onRequest', async (request, reply) => {
    if (request.url === '/health') return;
    const entry = windows.get(request.ip);
    if (!entry || entry.count < max) return;
    const left = entry.resetAt - Date.now();
    if (left <= 0) {
      windows.delete(request.ip);
      return;
    }
    await reply
      .code(429)
      .header('retry-after', String(Math.ceil(left / 1000)))
      .send({
        code: 'TOO_MANY_REQUESTS',
        details: { retry_after_ms: left },
        message: `too many refused requests (401/403) from this address: at most ${max} a minute`,
        status: 'error',
      });
    return reply;
  });

  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode !== 401 && reply.statusCode !== 403) return;
    if (request.headers.authorization === undefined) return;
    const now = Date.now();
    let entry = windows.get(request.ip);
    if (!entry || entry.resetAt <= now) {
      if (windows.size >= MAX_TRACKED) {
        for (const [ip, w] of windows) if (w.resetAt <= now) windows.delete(ip);
        if (windows.size >= MAX_TRACKED) windows.clear();
      }
      entry = { count: 0, resetAt: now + WINDOW_MS };
      windows.set(request.ip, entry);
    }
    entry.count++;
  });
}
