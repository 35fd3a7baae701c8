import { apiError } from './errors';

/** Zoho's `page` and `per_page` on the related lists (at most 200 a page), refused by name when out of range. */
export function pageOf(query: Record<string, unknown>): { page: number; perPage: number } {
  const page = Number(query.page ?? 1);
  const perPage = Number(query.per_page ?? 200);
  if (
    !Number.isInteger(page) ||
    page < 1 ||
    page > 100_000 ||
    !Number.isInteger(perPage) ||
    perPage < 1 ||
    perPage > 200
  )
    throw apiError(400, 'INVALID_DATA', 'page must be ≥ 1 and per_page from 1 to 200', {
      param_name: 'per_page',
    });
  return { page, perPage };
}
