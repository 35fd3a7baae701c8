import { Kysely, sql } from 'kysely';
import type { Engine } from '../engine';
import { columnTypes } from './column-types';

/**
 * The acknowledgement a support mailbox may send to the customer of each new case it captures (issue 11,
 * section 1): on/off (0/1 on both engines) and the email template it is written from. No foreign key: a deleted
 * template turns the acknowledgement off in effect (nothing is sent), which the capture checks when it queues one.
 */
export function mailboxAcknowledgement(engine: Engine) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const { ref } = columnTypes(engine);
      await sql.raw(`alter table mailboxes add column ack_enabled integer not null default 0`).execute(db);
      await sql.raw(`alter table mailboxes add column ack_template_id ${ref}`).execute(db);
    },
  };
}
