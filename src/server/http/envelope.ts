import { apiError } from './errors';

/** A record id from the path; anything else is a 400, never a database error. */
export function recordIdParam(value: string): string {
  if (!/^[1-9][0-9]{0,18}$/.test(value) || BigInt(value) > 9_223_372_036_854_775_807n)
    throw apiError(400, 'INVALID_URL_PATTERN', 'the record id in the URL is not valid', {
      id: value.slice(0, 30),
    });
  return value;
}
