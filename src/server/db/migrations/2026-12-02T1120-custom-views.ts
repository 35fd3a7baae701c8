import { Kysely, sql } from 'kysely';
import type { Engine } from '../engine';
import { columnTypes } from './column-types';

/**
 * Saved custom views of Cases (issue 12): criteria in the search grammar, sort, columns (a JSON list of API
 * names), an owner, and whether an admin shared it with the team (0/1 on both engines). The built-in views are
 * code (src/server/views/builtin-views.ts), not rows: they depend on the caller and the clock.
 */
export function customViews(engine: Engine) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const { pk, ref, ts } = columnTypes(engine);
      const run = (statement: string) => sql.raw(statement).execute(db);
      await run(
        `create table custom_views (
          id ${pk}, name text not null, criteria text, sort_by text, sort_order text,
          fields_json text not null, owner_id ${ref} not null references users(id),
          shared integer not null, created_time ${ts} not null, modified_time ${ts} not null)`,
      );
      await run(`create index custom_views_owner on custom_views (owner_id)`);
      // The queue's order (GET /Cases/actions/queue): priority rank, then oldest. Partial on open cases for My open
      // cases, Unassigned and All open (the built-in views say status <> 'Closed' literally, so both planners match
      // it); by status for Escalated and Waiting on customer. The expression is views.repository.ts PRIORITY_RANK.
      const rank = `(case priority when 'High' then 0 when 'Medium' then 1 when 'Low' then 2 else 3 end)`;
      await run(
        `create index cases_queue_owner on cases (owner_id, ${rank}, created_time, id) where status <> 'Closed'`,
      );
      await run(
        `create index cases_queue_open on cases (${rank}, created_time, id) where status <> 'Closed'`,
      );
      await run(`create index cases_queue_status on cases (status, ${rank}, created_time, id)`);
    },
  };
}
