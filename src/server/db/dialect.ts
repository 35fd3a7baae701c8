import { sql, type RawBuilder } from 'kysely';
import type { Engine } from './engine';

/**
 * SQL that differs between SQLite and PostgreSQL, for code that composes queries at run time (COQL). Values stay
 * bound parameters; only fixed keywords and casts differ.
 */

/** Case-insensitive LIKE: SQLite's LIKE already is (for ASCII), PostgreSQL needs ILIKE. */
export function likeOperator(engine: Engine): RawBuilder<unknown> {
  return sql.raw(engine === 'postgres' ? 'ilike' : 'like');
}

/**
 * One custom field's value out of the cases.custom_fields JSON text, typed for comparison and aggregation:
 * SQLite's json_extract already yields numbers (and 1/0 for booleans); PostgreSQL's ->> yields text, so it is cast.
 */
export function customFieldValue(
  engine: Engine,
  apiName: string,
  type: 'number' | 'boolean' | 'text',
): RawBuilder<unknown> {
  const column = sql.ref('cases.custom_fields');
  if (engine === 'sqlite') return sql`json_extract(${column}, ${`$."${apiName}"`})`;
  const text = sql`(${column}::jsonb ->> ${apiName})`;
  if (type === 'number') return sql`${text}::numeric`;
  if (type === 'boolean') return sql`${text}::boolean`;
  return text;
}

/** A boolean as the engine compares it with what customFieldValue yields: 1/0 on SQLite. */
export function boolValue(engine: Engine, value: boolean): boolean | number {
  return engine === 'postgres' ? value : value ? 1 : 0;
}

/**
 * The UTC day (YYYY-MM-DD) of a timestamp column: SQLite keeps ISO-8601 text, so it is the first ten characters;
 * PostgreSQL keeps timestamptz, formatted in UTC whatever the session's zone.
 */
export function utcDay(engine: Engine, column: RawBuilder<unknown>): RawBuilder<string> {
  if (engine === 'sqlite') return sql<string>`substr(${column}, 1, 10)`;
  return sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD')`;
}
