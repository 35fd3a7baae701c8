import { type Kysely, sql } from 'kysely';
import { OPEN_CASE_DIMENSIONS, rebuildOpenCaseCounts } from '../../reports/open-case-counts.repository';
import type { Engine } from '../engine';
import type { Database } from '../schema';
import { columnTypes } from './column-types';

/**
 * The open-case reports' counters (issue 12): `open_case_counts` holds signed counts of open cases per combination
 * of status, owner, priority, origin, type and reason, so those reports sum a few thousand rows instead of counting
 * every open case's index entry (400,000 at 1,000,000 cases). Triggers on `cases` append a row per change (+1 for a
 * case that becomes open in a combination, -1 for one that leaves it), so no writer can miss one and concurrent
 * writers never wait on a shared counter row; the server folds the appended rows into one per combination now and
 * then (open-case-counts.repository: compactOpenCaseCounts).
 */
export function openCaseCounts(engine: Engine) {
  const dims = OPEN_CASE_DIMENSIONS.join(', ');
  const values = (row: 'new' | 'old', n: number) =>
    `${OPEN_CASE_DIMENSIONS.map((d) => `${row}.${d}`).join(', ')}, ${n}`;
  const changed = OPEN_CASE_DIMENSIONS.map((d) =>
    engine === 'postgres' ? `old.${d} is distinct from new.${d}` : `old.${d} is not new.${d}`,
  ).join(' or ');
  const triggers =
    engine === 'postgres'
      ? [
          `create function open_case_counts_note() returns trigger language plpgsql as $$
          begin
            if tg_op in ('UPDATE', 'DELETE') and old.status <> 'Closed' then
              insert into open_case_counts (${dims}, n) values (${values('old', -1)});
            end if;
            if tg_op in ('UPDATE', 'INSERT') and new.status <> 'Closed' then
              insert into open_case_counts (${dims}, n) values (${values('new', 1)});
            end if;
            return null;
          end $$`,
          `create trigger open_case_counts_insert_delete after insert or delete on cases
            for each row execute function open_case_counts_note()`,
          `create trigger open_case_counts_update after update of ${dims} on cases
            for each row when (${changed}) execute function open_case_counts_note()`,
        ]
      : [
          `create trigger open_case_counts_insert after insert on cases when new.status <> 'Closed' begin
            insert into open_case_counts (${dims}, n) values (${values('new', 1)}); end`,
          `create trigger open_case_counts_delete after delete on cases when old.status <> 'Closed' begin
            insert into open_case_counts (${dims}, n) values (${values('old', -1)}); end`,
          `create trigger open_case_counts_update after update of ${dims} on cases when ${changed} begin
            insert into open_case_counts (${dims}, n) select ${values('old', -1)} where old.status <> 'Closed';
            insert into open_case_counts (${dims}, n) select ${values('new', 1)} where new.status <> 'Closed';
          end`,
        ];
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const { pk, ref } = columnTypes(engine);
      await sql
        .raw(
          `create table open_case_counts (id ${pk}, status text not null, owner_id ${ref}, priority text,
            case_origin text not null, type text, case_reason text, n integer not null)`,
        )
        .execute(db);
      for (const statement of triggers) await sql.raw(statement).execute(db);
      await rebuildOpenCaseCounts(db as Kysely<Database>);
    },
  };
}
