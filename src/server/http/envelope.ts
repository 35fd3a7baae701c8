import { MAX_RECORDS_PER_CALL } from '../../shared/api-types';
import { apiError } from './errors';

/** The `data` array of a Zoho-style write body, with its count checked (1 to 100 records). */
export function recordsOf(body: unknown, max = MAX_RECORDS_PER_CALL): unknown[] {
  if (body === undefined || body === null || body === '')
    throw apiError(400, 'MANDATORY_NOT_FOUND', 'the request body must be {"data": [...]}', {
      api_name: 'data',
    });
  if (typeof body !== 'object' || Array.isArray(body))
    throw apiError(400, 'INVALID_DATA', 'the request body must be a JSON object {"data": [...]}', {
      expected_data_type: 'jsonobject',
    });
  const data = (body as { data?: unknown }).data;
  if (data === undefined)
    throw apiError(400, 'MANDATORY_NOT_FOUND', 'required field not found: data', { api_name: 'data' });
  if (!Array.isArray(data))
    throw apiError(400, 'INVALID_DATA', 'data must be a list of records', {
      api_name: 'data',
      expected_data_type: 'jsonarray',
    });
  if (data.length === 0)
    throw apiError(400, 'MANDATORY_NOT_FOUND', 'data must hold at least one record', { api_name: 'data' });
  if (data.length > max)
    throw apiError(400, 'LIMIT_EXCEEDED', `at most ${max} records per call`, {
      api_name: 'data',
      limit: max,
    });
  return data;
}

/** A record id from the path; anything else is a 400, never a database error. */
export function recordIdParam(value: string): string {
  if (!/^[1-9][0-9]{0,18}$/.test(value) || BigInt(value) > 9_223_372_036_854_775_807n)
    throw apiError(400, 'INVALID_URL_PATTERN', 'the record id in the URL is not valid', {
      id: value.slice(0, 30),
    });
  return value;
}
