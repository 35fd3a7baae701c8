import { Kysely, sql } from 'kysely';
import type { Engine } from '../engine';
import { columnTypes } from './column-types';

/**
 * Outgoing effects (mail first) written in the transaction of the change that causes them and delivered after
 * its commit: a rolled-back write leaves no row, a process that dies after the commit leaves a pending one.
 */
export function outbox(engine: Engine) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const { pk, ts } = columnTypes(engine);
      await sql
        .raw(
          `create table outbox (
            id ${pk}, kind text not null, payload text not null, status text not null,
            attempts integer not null, next_attempt_time ${ts} not null, lease_until ${ts},
            last_error text, created_time ${ts} not null, done_time ${ts})`,
        )
        .execute(db);
      await sql.raw(`create index outbox_due on outbox (status, next_attempt_time)`).execute(db);
    },
  };
}
