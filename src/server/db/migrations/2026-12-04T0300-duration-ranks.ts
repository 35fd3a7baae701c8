import { type Kysely, sql } from 'kysely';
import type { Engine } from '../engine';

/**
 * First response and resolution at scale (issue 12): each duration and the week it is reported in become generated
 * columns of `case_metrics`, indexed per week and per owner in duration order, so a median or a p90 is read by
 * stepping an index to its rank instead of sorting every case in range (at 1,000,000 cases an 11-month report
 * sorted 410,000 rows: 760 ms on SQLite). The expressions are the dialect's `utcWeekStart` and
 * `millisecondsBetween` as of this migration. Generated, so no writer can leave them stale; SQLite can add only
 * virtual ones to an existing table (their index entries are computed on write), PostgreSQL stores them.
 *
 * - `response_ms`: first inbound email to first response; null until answered. `response_week`: the Monday (UTC)
 *   of the case's creation, the cohort's week.
 * - `resolution_ms`: creation to the last change to Closed, only while the case is Closed. `resolution_week`: the
 *   Monday of that last close.
 * - `case_metrics_awaiting`: the few cases with an inbound email and no response yet, counted per range.
 */
export function durationRanks(engine: Engine) {
  const postgres = engine === 'postgres';
  const week = (column: string) =>
    postgres
      ? `date_trunc('week', ${column} at time zone 'UTC')::date`
      : `date(substr(${column}, 1, 10), '-6 days', 'weekday 1')`;
  const ms = (start: string, end: string) =>
    postgres
      ? `round(date_part('epoch', ${end} - ${start}) * 1000)::bigint`
      : `cast(round((julianday(${end}) - julianday(${start})) * 86400000) as integer)`;
  const generated = (name: string, type: string, expression: string) =>
    `${name} ${type} generated always as (${expression}) ${postgres ? 'stored' : 'virtual'}`;
  const columns = [
    generated('response_week', postgres ? 'date' : 'text', week('created_time')),
    generated(
      'response_ms',
      postgres ? 'bigint' : 'integer',
      ms('first_inbound_time', 'first_response_time'),
    ),
    generated('resolution_week', postgres ? 'date' : 'text', week('last_closed_time')),
    generated(
      'resolution_ms',
      postgres ? 'bigint' : 'integer',
      `case when status = 'Closed' then ${ms('created_time', 'last_closed_time')} end`,
    ),
  ];
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const statements = [
        // One ALTER on PostgreSQL: the stored columns rewrite the table once.
        ...(postgres
          ? [`alter table case_metrics ${columns.map((c) => `add column ${c}`).join(', ')}`]
          : columns.map((c) => `alter table case_metrics add column ${c}`)),
        // Covering: the range and the scope's columns are checked in the index while it is stepped.
        `create index case_metrics_response_week on case_metrics
          (response_week, response_ms, created_time, owner_id, case_origin, type) where response_ms is not null`,
        `create index case_metrics_response_owner on case_metrics
          (owner_id, response_ms, created_time, case_origin, type) where response_ms is not null`,
        `create index case_metrics_resolution_week on case_metrics
          (resolution_week, resolution_ms, last_closed_time, owner_id, case_origin, type)
          where resolution_ms is not null`,
        `create index case_metrics_resolution_owner on case_metrics
          (owner_id, resolution_ms, last_closed_time, case_origin, type) where resolution_ms is not null`,
        `create index case_metrics_awaiting on case_metrics (created_time, owner_id, case_origin, type)
          where first_inbound_time is not null and first_response_time is null`,
      ];
      for (const statement of statements) await sql.raw(statement).execute(db);
    },
  };
}
