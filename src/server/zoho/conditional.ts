import type { FastifyRequest } from 'fastify';

/** If-Modified-Since as a time; a header that is not a date is ignored, as HTTP says. */
export function modifiedSince(request: FastifyRequest): Date | undefined {
  const header = request.headers['if-modified-since'];
  const time = typeof header === 'string' ? Date.parse(header) : Number.NaN;
  return Number.isNaN(time) ? undefined : new Date(time);
}
