import type { FastifyRequest } from 'fastify';
import type { RecordResult } from '../../shared/api-types';
import type { FieldError } from '../../shared/validation';
import { apiError, failBatch, recordError } from '../http/errors';

/**
 * How a write of several records treats the invalid ones. Zoho writes each valid record and reports every record's
 * outcome (`per_record`, the default on the Zoho-shaped endpoints); `?all_or_nothing=true` asks for nothing to be
 * written when any record is refused, every record then reporting why or NOT_EXECUTED.
 */
export type BatchMode = 'per_record' | 'all_or_nothing';

export function batchModeOf(request: FastifyRequest): BatchMode {
  const value = (request.query as Record<string, unknown> | undefined)?.all_or_nothing;
  if (value === undefined || value === 'false') return 'per_record';
  if (value === 'true') return 'all_or_nothing';
  throw apiError(400, 'INVALID_DATA', 'all_or_nothing must be true or false', {
    param_name: 'all_or_nothing',
  });
}

/** Per record: refuse the whole request in all-or-nothing mode when any record has errors (nothing written). */
export function refuseIfAllOrNothing(mode: BatchMode, perRecord: (FieldError[] | null | undefined)[]): void {
  if (mode === 'all_or_nothing' && perRecord.some((e) => e && e.length)) throw failBatch(perRecord);
}

/** Merge written results and refusals back into request order. */
export function inRequestOrder(
  perRecord: (FieldError[] | null | undefined)[],
  written: RecordResult[],
): RecordResult[] {
  let next = 0;
  return perRecord.map((errors, index) =>
    errors && errors.length ? recordError(errors, index) : written[next++],
  );
}

/**
 * Zoho's status for a batch: the success status when every record was written, 400 when none was, and 207
 * (Multi-Status) when some were.
 */
export function batchStatus<S extends number>(results: RecordResult[], success: S): S | 207 | 400 {
  const failed = results.filter((r) => r.status === 'error').length;
  if (failed === 0) return success;
  return failed === results.length ? 400 : 207;
}
