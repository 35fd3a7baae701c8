import { Kysely, sql } from 'kysely';
import type { Engine } from '../engine';
import { columnTypes } from './column-types';

/**
 * The first schema. Written as plain DDL per engine: the two differ in id columns, text search and
 * sequences, and DDL is clearer read as SQL than as builder calls.
 */
export function initial(engine: Engine) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const { pk, ref, ts } = columnTypes(engine);
      const statements = [
        `create table users (
          id ${pk}, external_id text not null unique, email text not null, full_name text not null,
          role text not null, manager_id ${ref}, status text not null default 'active', created_time ${ts} not null)`,
        `create index users_email on users (email)`,
        `create table accounts (id ${pk}, account_name text not null, created_time ${ts} not null)`,
        `create index accounts_name on accounts (account_name)`,
        `create table products (id ${pk}, product_name text not null, created_time ${ts} not null)`,
        `create table deals (id ${pk}, deal_name text not null, account_id ${ref}, created_time ${ts} not null)`,
        `create table contacts (
          id ${pk}, first_name text, last_name text not null, email text, email_lower text, phone text,
          account_id ${ref}, owner_id ${ref}, created_time ${ts} not null, modified_time ${ts} not null)`,
        `create index contacts_email_lower on contacts (email_lower)`,
        `create table cases (
          id ${pk}, case_number bigint not null unique, subject text not null, status text not null,
          priority text, case_origin text not null, type text, case_reason text, email text, email_lower text,
          phone text, reported_by text, description text, internal_comments text, solution text, add_comment text,
          owner_id ${ref}, related_to_id ${ref}, account_name_id ${ref}, product_name_id ${ref}, deal_name_id ${ref},
          custom_fields text not null default '{}', created_time ${ts} not null, modified_time ${ts} not null,
          created_by_id ${ref} not null, modified_by_id ${ref} not null, version integer not null default 1)`,
        // Link-to-case suggestions: open cases of one sender; lists sorted by change.
        `create index cases_email_status on cases (email_lower, status)`,
        `create index cases_phone on cases (phone)`,
        `create index cases_owner_status on cases (owner_id, status)`,
        `create index cases_modified on cases (modified_time)`,
        `create index cases_created on cases (created_time)`,
        `create table email_links (
          id ${pk}, case_id ${ref} not null references cases (id) on delete cascade,
          internet_message_id text not null, conversation_id text, item_id text, mailbox text,
          from_name text, from_email text not null, to_json text not null, cc_json text not null,
          subject text, sent_time ${ts}, body_text text, linked_time ${ts} not null, linked_by_id ${ref} not null,
          unique (internet_message_id, case_id))`,
        `create index email_links_conversation on email_links (conversation_id)`,
        `create index email_links_case on email_links (case_id)`,
        `create table email_conversions (
          internet_message_id text primary key, case_id ${ref} references cases (id) on delete set null,
          created_time ${ts} not null)`,
      ];
      if (engine === 'postgres') {
        statements.push(
          `create sequence case_number_seq`,
          // Trigram index: substring search on subjects in any language (Polish, Chinese) without a stemmer.
          `create extension if not exists pg_trgm`,
          `create index cases_subject_trgm on cases using gin (subject gin_trgm_ops)`,
        );
      } else {
        statements.push(
          `create table counters (name text primary key, value integer not null)`,
          `insert into counters (name, value) values ('case_number', 0)`,
          `create virtual table cases_fts using fts5(subject, content='cases', content_rowid='id', tokenize='trigram')`,
          `create trigger cases_fts_insert after insert on cases begin
             insert into cases_fts (rowid, subject) values (new.id, new.subject); end`,
          `create trigger cases_fts_delete after delete on cases begin
             insert into cases_fts (cases_fts, rowid, subject) values ('delete', old.id, old.subject); end`,
          `create trigger cases_fts_update after update of subject on cases begin
             insert into cases_fts (cases_fts, rowid, subject) values ('delete', old.id, old.subject);
             insert into cases_fts (rowid, subject) values (new.id, new.subject); end`,
        );
      }
      for (const statement of statements) await sql.raw(statement).execute(db);
    },
  };
}
