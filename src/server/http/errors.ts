import type { ApiError, RecordError, RecordResult } from '../../shared/api-types';
import type { FieldError } from '../../shared/validation';
import type { TransportedError } from '../db/write-operation';

/** A request that ends with a Zoho-shaped error body; thrown by routes and services, rendered by the error handler. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: ApiError | { data: RecordResult[] },
    /** Sent with the body, e.g. Retry-After on a 503. */
    readonly headers: Record<string, string> = {},
    /** What went wrong underneath, for the log of a 5xx (never sent to the client). */
    override readonly cause?: unknown,
  ) {
    super('message' in body ? body.message : 'record errors');
  }
}

/** An HttpError thrown in SQLite's write worker, as its class again; any other error as a plain Error. */
export function reviveHttpError({ name, message, fields }: TransportedError): Error {
  const { statusCode, body, headers } = fields;
  if (typeof statusCode === 'number' && typeof body === 'object' && body !== null)
    return new HttpError(
      statusCode,
      body as HttpError['body'],
      headers as Record<string, string>,
      fields.cause,
    );
  return Object.assign(new Error(message), { name }, fields);
}

export function apiError(
  statusCode: number,
  code: string,
  message: string,
  details: Record<string, unknown> = {},
  options: { headers?: Record<string, string>; cause?: unknown } = {},
): HttpError {
  return new HttpError(
    statusCode,
    { code, details, message, status: 'error' },
    options.headers,
    options.cause,
  );
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

/** One record's field errors in Zoho's shape: the first error in code/details, all of them in details.errors. */
export function recordError(errors: FieldError[], index: number, jsonRoot = '$.data'): RecordError {
  const first = errors[0];
  return {
    code: first.code,
    details: {
      api_name: first.api_name,
      json_path: `${jsonRoot}[${index}].${first.api_name}`,
      ...(first.maximum_length !== undefined ? { maximum_length: first.maximum_length } : {}),
      ...(first.expected_data_type !== undefined ? { expected_data_type: first.expected_data_type } : {}),
      errors,
    },
    message: first.message,
    status: 'error',
  };
}

const NOT_EXECUTED: RecordError = {
  code: 'NOT_EXECUTED',
  details: {},
  message: 'not written because another record in the request is invalid',
  status: 'error',
};

/** All-or-nothing: when any record is invalid, nothing is written and every record reports its outcome. */
export function failBatch(perRecord: (FieldError[] | null | undefined)[]): HttpError {
  return recordErrors(
    400,
    perRecord.map((errors, index) => (errors && errors.length ? recordError(errors, index) : NOT_EXECUTED)),
  );
}

/**
 * A client's value as an error message may quote it: text cut to `max` characters, anything else by its kind.
 * Never String(value): an object whose toString is not a function (`{"toString": 1}`) makes that throw.
 */
export function quoted(value: unknown, max = 60): string {
  if (typeof value === 'string') return value.slice(0, max);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : typeof value;
}
