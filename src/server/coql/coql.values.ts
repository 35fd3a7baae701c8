import { isRecordId } from '../../shared/validation';
import { parseCaseNumber } from '../cases/case.mapper';
import type { Value } from './coql.ast';
import { invalidQuery } from './coql.errors';
import type { ResolvedField } from './coql.fields';

/** Values written in a query, turned into what the columns store; a value of the wrong type is INVALID_QUERY. */

/** A value ready to bind: text, a number, or a boolean (the dialect turns it into 1/0 for SQLite). */
export type SqlValue = string | number | boolean;

function mismatch(field: ResolvedField, expected: string): never {
  throw invalidQuery('invalid datatype found', field.key, { expected_data_type: expected });
}

/**
 * Whether text starts with a real calendar date from the year 1 on: Date.parse rolls 2026-02-31 over into March,
 * and PostgreSQL has no year 0, so both are refused here rather than matched wrongly or failed by the database.
 */
function calendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d\d)-(\d\d)/.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(2000, month - 1, day));
  d.setUTCFullYear(year);
  return year >= 1 && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** A written value as the column stores it, or INVALID_QUERY when it cannot be one. */
export function bindValue(field: ResolvedField, v: Value): SqlValue {
  const text = v.kind === 'boolean' ? undefined : v.value;
  switch (field.type) {
    case 'id':
    case 'lookup':
      return text !== undefined && isRecordId(text) ? text : mismatch(field, 'record id');
    case 'number': {
      const n = text === undefined ? NaN : Number(text);
      return text !== undefined && /^-?\d+(\.\d+)?$/.test(text.trim()) && Number.isFinite(n)
        ? n
        : mismatch(field, 'number');
    }
    case 'autonumber':
      return (text !== undefined && parseCaseNumber(text)) || mismatch(field, 'case number');
    case 'datetime': {
      const t = text !== undefined && calendarDate(text) ? Date.parse(text) : NaN;
      // The year 1 in a time zone east of UTC is still the year 0 in UTC.
      return Number.isNaN(t) || new Date(t).getUTCFullYear() < 1
        ? mismatch(field, 'datetime')
        : new Date(t).toISOString();
    }
    case 'date':
      return text !== undefined && text.length === 10 && calendarDate(text) ? text : mismatch(field, 'date');
    case 'boolean':
      if (v.kind === 'boolean') return v.value;
      return text === 'true' || text === 'false' ? text === 'true' : mismatch(field, 'boolean');
    case 'email':
      return text !== undefined ? text.toLowerCase() : mismatch(field, 'text');
    default:
      return text !== undefined ? text : mismatch(field, 'text');
  }
}

/** Zoho's like: `%` is the wildcard; `_` and `\` match themselves (escaped for ESCAPE '\'). */
export function likePattern(field: ResolvedField, pattern: string): string {
  const escaped = pattern.replace(/[\\_]/g, (c) => `\\${c}`);
  return field.type === 'email' ? escaped.toLowerCase() : escaped;
}
