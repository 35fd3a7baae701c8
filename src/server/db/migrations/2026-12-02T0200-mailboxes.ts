import { Kysely, sql } from 'kysely';
import type { Engine } from '../engine';
import { columnTypes } from './column-types';

/**
 * Support mailboxes read over IMAP (src/server/mailboxes): their settings and status, a checkpoint per folder
 * (UIDVALIDITY + last UID, written in the transaction of the message's effects), a lease so one process reads a
 * mailbox at a time, and one row per message seen (what became of it, or why it was skipped).
 * Flags are integers 0/1 on both engines.
 */
export function mailboxes(engine: Engine) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const { pk, ref, ts } = columnTypes(engine);
      const run = (statement: string) => sql.raw(statement).execute(db);
      await run(
        `create table mailboxes (
          id ${pk}, name text not null, host text not null, port integer not null,
          secure integer not null, starttls integer not null, username text not null,
          password text, access_token text, folder text not null, enabled integer not null,
          never_capture text not null, created_time ${ts} not null, modified_time ${ts} not null,
          last_poll_time ${ts}, messages_captured integer not null, last_error text, last_error_time ${ts})`,
      );
      await run(
        `create table mailbox_checkpoints (
          mailbox_id ${ref} not null references mailboxes(id) on delete cascade, folder text not null,
          uid_validity text not null, last_uid integer not null, modified_time ${ts} not null,
          primary key (mailbox_id, folder))`,
      );
      await run(
        `create table mailbox_leases (
          mailbox_id ${ref} primary key references mailboxes(id) on delete cascade,
          holder text not null, lease_until ${ts} not null)`,
      );
      await run(
        `create table mailbox_messages (
          id ${pk}, mailbox_id ${ref} not null references mailboxes(id) on delete cascade,
          folder text not null, uid_validity text not null, uid integer not null,
          internet_message_id text, outcome text not null, case_id ${ref}, detail text,
          created_time ${ts} not null)`,
      );
      // A message replayed after a crash (same folder generation and UID) is recorded once.
      await run(
        `create unique index mailbox_messages_uid on mailbox_messages (mailbox_id, folder, uid_validity, uid)`,
      );
      await run(`create index mailbox_messages_outcome on mailbox_messages (mailbox_id, outcome)`);
    },
  };
}
