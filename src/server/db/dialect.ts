import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Engine } from './engine';
import type { Executor } from './executor';

/**
 * Everything that differs between SQLite and PostgreSQL, chosen once when storage opens (`storage.dialect`) and
 * handed to repositories through the service context. Code outside `db/` never asks which engine it is on.
 * Values stay bound parameters; only fixed keywords, casts and statements differ.
 */
export interface Dialect {
  /** For logs and /health only: never branch on it outside db/. */
  readonly engine: Engine;
  /** Case-insensitive LIKE: SQLite's LIKE already is (for ASCII), PostgreSQL needs ILIKE. */
  readonly like: RawBuilder<unknown>;
  /** A boolean as a column stores and compares it: SQLite has no boolean type and keeps 1/0. */
  bool(value: boolean): boolean | number;
  /**
   * One custom field's value out of the cases.custom_fields JSON text, typed for comparison and aggregation:
   * SQLite's json_extract already yields numbers (and 1/0 for booleans); PostgreSQL's ->> yields text, so it is cast.
   */
  customFieldValue(apiName: string, type: 'number' | 'boolean' | 'text'): RawBuilder<unknown>;
  /**
   * The UTC day of a timestamp column, in a type the engine groups cheaply (SQLite: text, PostgreSQL: a date, which
   * grouped 460,000 rows in 63 ms where to_char's text took 142); cast as text it is YYYY-MM-DD on both.
   */
  utcDay(column: RawBuilder<unknown>): RawBuilder<unknown>;
  /**
   * The Monday (UTC) of the ISO week holding a timestamp column's day, in a type the engine groups and sorts
   * cheaply (SQLite: text, PostgreSQL: a date, whose text sorted 40% slower in a collation); cast as text it is
   * YYYY-MM-DD on both.
   */
  utcWeekStart(column: RawBuilder<unknown>): RawBuilder<unknown>;
  /**
   * Whole milliseconds from one timestamp column to another (an integer; PostgreSQL's bigint arrives as text):
   * exact for times stored to the millisecond, as the server writes them, so it equals Date.parse(end) -
   * Date.parse(start) of their text.
   */
  millisecondsBetween(start: RawBuilder<unknown>, end: RawBuilder<unknown>): RawBuilder<number | string>;
  /**
   * An ISO-8601 time bound as a timestamp where nothing else gives it a type (a VALUES list): PostgreSQL would take
   * it as text and refuse to compare it with a timestamptz; SQLite keeps times as text.
   */
  timestamp(iso: string): RawBuilder<unknown>;
  /**
   * Reserve `count` numbers of a counter, increasing, distinct across processes: a PostgreSQL sequence (no lock
   * held to the commit), on SQLite the counter row (its one writer already serialises them).
   */
  nextNumbers(trx: Executor, counter: NumberCounter, count: number): Promise<number[]>;
  /**
   * Take a lock held to the end of the transaction, or answer false at once when another process holds it.
   * SQLite has one writer, so a write transaction already is that lock.
   */
  tryTransactionLock(trx: Executor, key: number): Promise<boolean>;
  /** The subject holds every word (each 3 characters or more), from the engine's trigram index. */
  subjectHasWords(words: string[], candidates: number): Expression<SqlBool>[];
}

/** The counters both engines keep: `<name>_seq` on PostgreSQL, a `counters` row on SQLite. */
export type NumberCounter = 'case_number' | 'solution_number';

/** Escape LIKE wildcards so user text matches literally (ESCAPE '\' on both engines). */
export function likeLiteral(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const sqliteDialect: Dialect = {
  engine: 'sqlite',
  like: sql.raw('like'),
  bool: (value) => (value ? 1 : 0),
  customFieldValue: (apiName) => sql`json_extract(${sql.ref('cases.custom_fields')}, ${`$."${apiName}"`})`,
  utcDay: (column) => sql<string>`substr(${column}, 1, 10)`, // ISO-8601 text: the first ten characters
  // Six days back, then forward to the first Monday (weekday 1) on or after it.
  utcWeekStart: (column) => sql`date(substr(${column}, 1, 10), '-6 days', 'weekday 1')`,
  // julianday is whole milliseconds over 86,400,000, so each is off by under 0.03 ms and the rounded difference
  // of two is exact.
  millisecondsBetween: (start, end) =>
    sql<number>`cast(round((julianday(${end}) - julianday(${start})) * 86400000) as integer)`,
  timestamp: (iso) => sql`${iso}`,
  async nextNumbers(trx, counter, count) {
    const row = await trx
      .updateTable('counters')
      .set((eb) => ({ value: eb('value', '+', count) }))
      .where('name', '=', counter)
      .returning('value')
      .executeTakeFirstOrThrow();
    return Array.from({ length: count }, (_, i) => row.value - count + 1 + i);
  },
  tryTransactionLock: async () => true,
  subjectHasWords(words, candidates) {
    // FTS5 trigram index; each word quoted so its characters are never FTS syntax.
    const match = words.map((w) => `"${w.replace(/"/g, '""')}"`).join(' AND ');
    return [
      sql<SqlBool>`${sql.ref('cases.id')} in (select rowid from cases_fts where cases_fts match ${match} order by rowid desc limit ${candidates})`,
    ];
  },
};

const postgresDialect: Dialect = {
  engine: 'postgres',
  like: sql.raw('ilike'),
  bool: (value) => value,
  customFieldValue(apiName, type) {
    const text = sql`(${sql.ref('cases.custom_fields')}::jsonb ->> ${apiName})`;
    if (type === 'number') return sql`${text}::numeric`;
    if (type === 'boolean') return sql`${text}::boolean`;
    return text;
  },
  // timestamptz, formatted in UTC whatever the session's zone
  utcDay: (column) => sql`(${column} at time zone 'UTC')::date`,
  utcWeekStart: (column) => sql`date_trunc('week', ${column} at time zone 'UTC')::date`,
  // An interval between two timestamptz holds days of 24 hours and microseconds, so its epoch in seconds (a
  // double, a third faster than extract's numeric here) times 1,000, rounded, is exact to the millisecond.
  millisecondsBetween: (start, end) =>
    sql<string>`round(date_part('epoch', ${end} - ${start}) * 1000)::bigint`,
  timestamp: (iso) => sql`cast(${iso} as timestamptz)`,
  async nextNumbers(trx, counter, count) {
    const { rows } = await sql<{
      n: string;
    }>`select nextval(${`${counter}_seq`}) as n from generate_series(1, ${count})`.execute(trx);
    return rows.map((r) => Number(r.n)).sort((a, b) => a - b);
  },
  async tryTransactionLock(trx, key) {
    const { rows } = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${key}) as ok`.execute(trx);
    return rows[0].ok;
  },
  // pg_trgm GIN index on subject serves ILIKE '%word%'
  subjectHasWords: (words) =>
    words.map((w) => sql<SqlBool>`${sql.ref('cases.subject')} ilike ${`%${likeLiteral(w)}%`} escape '\\'`),
};

export function dialectFor(engine: Engine): Dialect {
  return engine === 'postgres' ? postgresDialect : sqliteDialect;
}
