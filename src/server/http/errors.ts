import type { ApiError, RecordResult } from '../../shared/api-types';

/** A request that ends with a Zoho-shaped error body; thrown by routes and services, rendered by the error handler. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: ApiError | { data: RecordResult[] },
  ) {
    super('message' in body ? body.message : 'record errors');
  }
}

export function apiError(
  statusCode: number,
  code: string,
  message: string,
  details: Record<string, unknown> = {},
): HttpError {
  return new HttpError(statusCode, { code, details, message, status: 'error' });
}

/** Per-record failure: nothing was written (all-or-nothing), each record says why or that it was not run. */
export function recordErrors(statusCode: number, results: RecordResult[]): HttpError {
  return new HttpError(statusCode, { data: results });
}

export const notFound = (id: string) =>
  new HttpError(404, {
    data: [
      {
        code: 'INVALID_DATA',
        details: { id },
        message: 'the related id given seems to be invalid',
        status: 'error',
      },
    ],
  });
