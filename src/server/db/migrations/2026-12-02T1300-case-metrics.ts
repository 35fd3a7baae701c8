import { type Kysely, sql } from 'kysely';
import { rebuildCaseMetrics } from '../../reports/case-metrics.repository';
import type { Engine } from '../engine';
import type { Database } from '../schema';
import { columnTypes } from './column-types';

/**
 * The reports' rollup (issue 12): `case_metrics` keeps per case what first response and resolution would otherwise
 * recompute from every email and timeline entry in range, and `case_closes` one row per change to Closed, so
 * created vs closed counts closes from an index instead of parsing the timeline's JSON. Both go with their case.
 * Existing history is backfilled here.
 */
export function caseMetrics(engine: Engine) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const { pk, ref, ts } = columnTypes(engine);
      for (const statement of [
        `create table case_metrics (
          case_id ${ref} primary key references cases (id) on delete cascade,
          first_inbound_time ${ts}, first_response_time ${ts}, last_closed_time ${ts})`,
        `create index case_metrics_last_closed on case_metrics (last_closed_time)`,
        `create table case_closes (
          id ${pk}, case_id ${ref} not null references cases (id) on delete cascade, time ${ts} not null)`,
        `create index case_closes_time on case_closes (time, case_id)`,
        `create index case_closes_case on case_closes (case_id)`,
      ])
        await sql.raw(statement).execute(db);
      await rebuildCaseMetrics(db as Kysely<Database>);
    },
  };
}
