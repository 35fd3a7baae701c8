import { type Kysely, sql } from 'kysely';
import { rebuildCaseMetrics } from '../../reports/case-metrics.repository';
import type { Engine } from '../engine';
import type { Database } from '../schema';
import { columnTypes } from './column-types';

/**
 * The reports' rollup (issue 12): `case_metrics` keeps per case what first response and resolution would otherwise
 * recompute from every email and timeline entry in range (with the case's created time, owner, status, origin and
 * type copied, so those reports need no join with cases), and `case_closes` one row per change to Closed, so
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
          created_time ${ts} not null, owner_id ${ref}, status text not null, case_origin text not null, type text,
          first_inbound_time ${ts}, first_response_time ${ts}, last_closed_time ${ts})`,
        // Covering: first response and resolution over a range, unfiltered or by owner, read only the index.
        `create index case_metrics_created on case_metrics
          (created_time, owner_id, first_inbound_time, first_response_time)`,
        `create index case_metrics_last_closed on case_metrics (last_closed_time, status, owner_id, created_time)`,
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
