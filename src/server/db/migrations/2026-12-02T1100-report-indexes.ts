import { Kysely, sql } from 'kysely';

/**
 * The reports (src/server/reports/) count open cases by one or two columns and read the timeline by time. Each
 * index below starts with status so "not Closed" is a range of it and the grouped columns come from the index alone
 * (no table read per case); the timeline ones serve closes and escalations in a date range.
 */
export function reportIndexes() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const statement of [
        `create index cases_status_priority on cases (status, priority)`,
        `create index cases_status_origin on cases (status, case_origin)`,
        `create index cases_status_type_reason on cases (status, type, case_reason)`,
        `create index cases_status_created on cases (status, created_time)`,
        `create index case_history_time on case_history (time)`,
        `create index case_history_action_time on case_history (action, time)`,
      ])
        await sql.raw(statement).execute(db);
    },
  };
}
