import { Kysely, sql } from 'kysely';
import type { Engine } from '../engine';
import { columnTypes } from './column-types';

/** Sent emails and templates, Web-to-Case forms, and idempotent imports. */
export function mailAndIntake(engine: Engine) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const { pk, ref, ts, bool } = columnTypes(engine);
      const statements = [
        `alter table email_links add column direction text not null default 'received'`,
        `create table email_templates (
          id ${pk}, name text not null, subject text not null, body text not null, created_time ${ts} not null)`,
        `create table web_forms (
          id ${pk}, form_key text not null unique, name text not null, language text not null, fields text not null,
          return_url text, active ${bool} not null, created_time ${ts} not null)`,
        `create table imports (
          id ${pk}, import_key text not null unique, file_name text not null, status text not null,
          total_rows integer not null default 0, created_rows integer not null default 0,
          skipped_rows integer not null default 0, failed_rows integer not null default 0, report text not null default '[]',
          created_by_id ${ref} not null, created_time ${ts} not null, finished_time ${ts})`,
        `create table import_rows (
          import_key text not null, row_number integer not null, case_id ${ref}, primary key (import_key, row_number))`,
      ];
      for (const statement of statements) await sql.raw(statement).execute(db);
    },
  };
}
