import { Kysely, sql } from 'kysely';
import type { Engine } from '../engine';
import { columnTypes } from './column-types';

/**
 * Zoho's Notification API channels (POST /crm/v6/actions/watch): who is told, where, of which case operations,
 * until when. Deliveries themselves are outbox rows written in the transaction of the change.
 * Flags are integers 0/1 on both engines, so the repository writes the same values everywhere.
 */
export function notificationChannels(engine: Engine) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const { pk, ref, ts } = columnTypes(engine);
      await sql
        .raw(
          `create table notification_channels (
            id ${pk}, channel_id text not null, owner_id ${ref} not null references users(id),
            events text not null, notify_url text not null, token text, secret text not null,
            channel_expiry ${ts} not null, notify_on_related_action integer not null,
            return_affected_field_values integer not null, created_time ${ts} not null, modified_time ${ts} not null)`,
        )
        .execute(db);
      // A channel id names one channel of its owner, as in Zoho (another user may pick the same number).
      await sql
        .raw(
          `create unique index notification_channels_owner on notification_channels (owner_id, channel_id)`,
        )
        .execute(db);
      // Every case change asks for the channels still running.
      await sql
        .raw(`create index notification_channels_expiry on notification_channels (channel_expiry)`)
        .execute(db);
    },
  };
}
