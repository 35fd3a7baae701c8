import { Kysely, sql } from 'kysely';
import type { Engine } from '../engine';
import { columnTypes } from './column-types';

/** Following a case up: history, notes, activities, attachments, solutions, assignment and escalation rules. */
export function caseFollowUp(engine: Engine) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const { pk, ref, ts, bool } = columnTypes(engine);
      const statements = [
        `create table case_history (
          id ${pk}, case_id ${ref} not null references cases (id) on delete cascade, action text not null,
          changes text not null default '[]', actor_id ${ref}, time ${ts} not null)`,
        `create index case_history_case on case_history (case_id, id)`,
        `create table notes (
          id ${pk}, case_id ${ref} not null references cases (id) on delete cascade, title text, content text not null,
          created_by_id ${ref} not null, created_time ${ts} not null, modified_time ${ts} not null)`,
        `create index notes_case on notes (case_id)`,
        `create table activities (
          id ${pk}, case_id ${ref} not null references cases (id) on delete cascade, kind text not null,
          subject text not null, due_time ${ts}, end_time ${ts}, status text not null, description text,
          owner_id ${ref} not null, created_by_id ${ref} not null, created_time ${ts} not null, closed_time ${ts})`,
        `create index activities_case on activities (case_id, status)`,
        `create table attachments (
          id ${pk}, case_id ${ref} not null references cases (id) on delete cascade, file_name text not null,
          size bigint not null, content_type text not null, blob_key text not null, sha256 text not null,
          source_message_id text, created_by_id ${ref} not null, created_time ${ts} not null)`,
        `create index attachments_case on attachments (case_id)`,
        `create table solutions (
          id ${pk}, solution_number bigint not null unique, title text not null, question text, answer text not null,
          status text not null, owner_id ${ref} not null, created_by_id ${ref} not null, modified_by_id ${ref} not null,
          created_time ${ts} not null, modified_time ${ts} not null)`,
        `create index solutions_status on solutions (status, modified_time)`,
        `create table solution_cases (
          solution_id ${ref} not null references solutions (id) on delete cascade,
          case_id ${ref} not null references cases (id) on delete cascade, primary key (solution_id, case_id))`,
        `create table assignment_rules (
          id ${pk}, name text not null, position integer not null, criteria text, owner_id ${ref},
          round_robin_user_ids text not null default '[]', next_index integer not null default 0,
          active ${bool} not null, created_time ${ts} not null)`,
        `create table escalation_rules (
          id ${pk}, name text not null, criteria text, hours integer not null, escalate_to_id ${ref},
          to_owners_manager ${bool} not null, active ${bool} not null, created_time ${ts} not null)`,
        // Only one escalation rule is active at a time (spec): the database refuses a second.
        `create unique index escalation_rules_one_active on escalation_rules (active) where active = ${engine === 'postgres' ? 'true' : '1'}`,
        `create index cases_status_modified on cases (status, modified_time)`,
      ];
      if (engine === 'postgres') {
        statements.push(`create sequence solution_number_seq`);
        statements.push(`create index solutions_title_trgm on solutions using gin (title gin_trgm_ops)`);
      } else {
        statements.push(`insert into counters (name, value) values ('solution_number', 0)`);
      }
      for (const statement of statements) await sql.raw(statement).execute(db);
    },
  };
}
