import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../db/executor';
import type { NotificationChannelsTable } from '../db/schema';

export type ChannelRow = Selectable<NotificationChannelsTable>;
export type NewChannel = Insertable<NotificationChannelsTable>;
export type ChannelPatch = Updateable<NotificationChannelsTable>;

/** Channels still running at `now`: what a case change is told to. */
export async function liveChannels(db: Executor, now: string): Promise<ChannelRow[]> {
  return db.selectFrom('notification_channels').selectAll().where('channel_expiry', '>', now).execute();
}

export async function channelById(db: Executor, id: string): Promise<ChannelRow | undefined> {
  return db.selectFrom('notification_channels').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The owner's channels (every owner's when `ownerId` is undefined), optionally only those channel ids. */
export async function channelsOf(
  db: Executor,
  ownerId: string | undefined,
  channelIds?: string[],
): Promise<ChannelRow[]> {
  let q = db.selectFrom('notification_channels').selectAll();
  if (ownerId !== undefined) q = q.where('owner_id', '=', ownerId);
  if (channelIds) q = q.where('channel_id', 'in', channelIds);
  return q.orderBy('id').execute();
}

export async function countChannelsOf(db: Executor, ownerId: string): Promise<number> {
  const row = await db
    .selectFrom('notification_channels')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('owner_id', '=', ownerId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertChannel(trx: Executor, row: NewChannel): Promise<void> {
  await trx.insertInto('notification_channels').values(row).execute();
}

export async function updateChannel(trx: Executor, id: string, patch: ChannelPatch): Promise<void> {
  await trx.updateTable('notification_channels').set(patch).where('id', '=', id).execute();
}

export async function deleteChannels(trx: Executor, ids: string[]): Promise<void> {
  if (ids.length) await trx.deleteFrom('notification_channels').where('id', 'in', ids).execute();
}
