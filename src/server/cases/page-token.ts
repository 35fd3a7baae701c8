import { apiError } from '../http/errors';

/**
 * Zoho's page_token: page and per_page reach the first 2,000 records; past them a client follows the
 * next_page_token each page hands out. Ours carries where the next page starts and the order it was read in, as
 * base64url JSON; it holds nothing the client could not ask for with page and per_page, so it need not be secret,
 * only checked (a forged offset is still just an offset, bound as a parameter).
 */

export const DISCRETE_PAGINATION_LIMIT = 2000;
const TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

export interface PageToken {
  offset: number;
  sortBy: string;
  sortOrder: 'asc' | 'desc';
  expires: number;
}

export function encodePageToken(
  token: Omit<PageToken, 'expires'>,
  now = Date.now(),
): { token: string; expiry: string } {
  const expires = now + TOKEN_TTL_MS;
  const json = JSON.stringify({ o: token.offset, s: token.sortBy, d: token.sortOrder, e: expires });
  return { token: Buffer.from(json).toString('base64url'), expiry: new Date(expires).toISOString() };
}

const invalid = (message: string) => apiError(400, 'INVALID_DATA', message, { param_name: 'page_token' });

export function decodePageToken(raw: string, now = Date.now()): PageToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid('page_token is not a token this server handed out');
  }
  const { o, s, d, e } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<
    string,
    unknown
  >;
  if (
    typeof o !== 'number' ||
    !Number.isSafeInteger(o) ||
    o < 0 ||
    typeof s !== 'string' ||
    (d !== 'asc' && d !== 'desc') ||
    typeof e !== 'number'
  )
    throw invalid('page_token is not a token this server handed out');
  if (e < now) throw invalid('page_token has expired; start again from page 1');
  return { offset: o, sortBy: s, sortOrder: d, expires: e };
}
