import type { ListInfo } from '../../shared/api-types';
import { apiError } from './errors';

/** Zoho's related lists and module lists answer at most 200 records a page. */
export const MAX_PER_PAGE = 200;
/** Past this page an offset only costs the database (case lists stop earlier, at Zoho's 2,000 records). */
export const MAX_PAGE = 100_000;

/**
 * One paging parameter: a whole number in decimal digits from 1 to `max`, refused by name otherwise. `Number()` alone
 * would take "1e400" (Infinity), "1.5" and 2^63 (which SQLite refuses as an offset: a 500 the fuzz test found).
 */
export function pageNumber(
  query: Record<string, unknown>,
  name: string,
  fallback: number,
  max: number,
): number {
  const raw = query[name];
  if (raw === undefined) return fallback;
  const n = typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= 1 && n <= max))
    throw apiError(400, 'INVALID_DATA', `${name} must be a whole number from 1 to ${max}`, {
      param_name: name,
    });
  return n;
}

/** One page of a list: which, how long, and where it starts. */
export interface Page {
  page: number;
  perPage: number;
  offset: number;
}

/** Zoho's `page` and `per_page` (at most 200 a page), each refused by its name when out of range. */
export function pageOf(query: Record<string, unknown>): Page {
  const page = pageNumber(query, 'page', 1, MAX_PAGE);
  const perPage = pageNumber(query, 'per_page', MAX_PER_PAGE, MAX_PER_PAGE);
  return { page, perPage, offset: (page - 1) * perPage };
}

/**
 * Zoho's `info` for a page read with one row more than asked for (`limit: perPage + 1`): the extra row says whether
 * more follow, and is not shown.
 */
export function pageInfo<T>(rows: T[], { page, perPage }: Page): { data: T[]; info: ListInfo } {
  const data = rows.slice(0, perPage);
  return { data, info: { page, per_page: perPage, count: data.length, more_records: rows.length > perPage } };
}
