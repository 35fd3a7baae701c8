/* eslint-disable @typescript-eslint/no-require-imports -- autocannon ships no types; typed locally below */
import { percentile } from './stats';

interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
}
interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  requests: { total: number };
}
interface AutocannonInstance {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  on(event: 'done', fn: (result: AutocannonResult) => void): void;
  stop(): void;
}
type Autocannon = (
  options: Record<string, unknown>,
  done: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;
const autocannon = require('autocannon') as Autocannon;

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds; the run also stops after `maxRequests` when given. */
  duration: number;
  maxRequests?: number;
  token: string;
  /** Builds each request: path and, for writes, the body. Called once per request sent. */
  next: () => { method: 'GET' | 'POST'; path: string; body?: string };
}

export interface LoadResult {
  connections: number;
  seconds: number;
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** 2xx responses per second. */
  rate: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
}

/**
 * One autocannon run against a live server. Latencies come from autocannon's per-response hrtime (float ms),
 * collected here, because its own histogram rounds to whole milliseconds.
 */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.duration,
        amount: options.maxRequests,
        timeout: 30,
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
        requests: [
          {
            setupRequest: (request: AutocannonRequest) => {
              const r = options.next();
              request.method = r.method;
              request.path = r.path;
              request.body = r.body;
              return request;
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const ok = latencies.length;
        latencies.sort((a, b) => a - b);
        const seconds = result.duration;
        resolve({
          connections: options.connections,
          seconds,
          requests: result.requests.total,
          ok,
          non2xx: result.non2xx,
          errors: result.errors + result.timeouts,
          rate: ok / seconds,
          p50: percentile(latencies, 50),
          p95: percentile(latencies, 95),
          p99: percentile(latencies, 99),
          max: latencies[latencies.length - 1] ?? NaN,
          statuses,
        });
      },
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status >= 200 && status < 300) latencies.push(ms);
    });
  });
}
