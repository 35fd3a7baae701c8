import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';

/**
 * Where request counts live. In each process's memory by default (one node); in Redis when REDIS_URL is set, so
 * several nodes behind a load balancer share one count per user and per address and N nodes never allow N times
 * the limit. @fastify/rate-limit keeps its own counters in the same Redis (it is given `redis`); the refusal
 * limiter (failure-limit.ts) counts through `hit` and `peek`.
 *
 * When Redis cannot be reached at start the server does not start (a limit the operator asked to share must not
 * silently become per node). When it goes away later, requests are served without limits and an error is logged
 * at most once a minute: losing the limit store for a while must not take the API down with it.
 */
export interface LimitStore {
  readonly kind: 'memory' | 'redis';
  /** The client @fastify/rate-limit's Redis store takes; undefined in memory mode. */
  readonly redis?: Redis;
  /** Count one event for `key` in a fixed window of `windowMs` starting at its first event. */
  hit(key: string, windowMs: number): Promise<WindowCount>;
  /** The count so far, without counting. */
  peek(key: string): Promise<WindowCount>;
  close(): Promise<void>;
}

export interface WindowCount {
  count: number;
  /** Milliseconds until the window ends (0 when there is none). */
  resetInMs: number;
}

/** More keys than this in memory: forget the finished windows (and, if still too many, all). */
const MAX_TRACKED = 50_000;
/** Redis keys of this server, apart from anything else in the same Redis. */
export const LIMIT_KEY_PREFIX = 'casepane:limit:';

function memoryStore(): LimitStore {
  const windows = new Map<string, { count: number; resetAt: number }>();
  const read = (key: string, now: number) => {
    const entry = windows.get(key);
    if (entry && entry.resetAt <= now) windows.delete(key);
    return entry && entry.resetAt > now ? entry : undefined;
  };
  return {
    kind: 'memory',
    async hit(key, windowMs) {
      const now = Date.now();
      let entry = read(key, now);
      if (!entry) {
        if (windows.size >= MAX_TRACKED) {
          for (const [k, w] of windows) if (w.resetAt <= now) windows.delete(k);
          if (windows.size >= MAX_TRACKED) windows.clear();
        }
        entry = { count: 0, resetAt: now + windowMs };
        windows.set(key, entry);
      }
      entry.count++;
      return { count: entry.count, resetInMs: entry.resetAt - now };
    },
    async peek(key) {
      const now = Date.now();
      const entry = read(key, now);
      return entry ? { count: entry.count, resetInMs: entry.resetAt - now } : { count: 0, resetInMs: 0 };
    },
    async close() {},
  };
}

// One round trip, atomic: the window starts with its first event and ends on its own (PEXPIRE).
const HIT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}`;
const PEEK = `local n = redis.call('GET', KEYS[1])
if not n then return {0, 0} end
return {tonumber(n), redis.call('PTTL', KEYS[1])}`;

async function redisStore(url: string, log: FastifyBaseLogger): Promise<LimitStore> {
  const redis = new Redis(url, {
    lazyConnect: true,
    // Fail at once while disconnected instead of queueing: a request never waits for Redis to come back.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 5000,
  });
  let lastComplaint = 0;
  redis.on('error', (error: Error) => {
    if (Date.now() - lastComplaint < 60_000) return;
    lastComplaint = Date.now();
    log.error(
      { err: error },
      'the limit store (REDIS_URL) is unreachable: requests are served without limits',
    );
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(`REDIS_URL: cannot reach the limit store (${(error as Error).message})`);
  }
  const counted = (reply: unknown): WindowCount => {
    const [count, ttl] = reply as [number, number];
    return { count, resetInMs: Math.max(0, ttl) };
  };
  return {
    kind: 'redis',
    redis,
    async hit(key, windowMs) {
      return counted(await redis.eval(HIT, 1, LIMIT_KEY_PREFIX + key, windowMs));
    },
    async peek(key) {
      return counted(await redis.eval(PEEK, 1, LIMIT_KEY_PREFIX + key));
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

export async function openLimitStore(
  redisUrl: string | undefined,
  log: FastifyBaseLogger,
): Promise<LimitStore> {
  return redisUrl ? redisStore(redisUrl, log) : memoryStore();
}
