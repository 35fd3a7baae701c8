import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../db/executor';
import { insertRows } from '../db/insert-rows';
import type { MailboxesTable, MailboxMessagesTable, RowId } from '../db/schema';

/** The only SQL of the mailbox module: settings, status, checkpoints, leases and the per-message record. */
export type MailboxRow = Selectable<MailboxesTable>;

export async function listMailboxes(db: Executor): Promise<MailboxRow[]> {
  return db.selectFrom('mailboxes').selectAll().orderBy('id').execute();
}

export async function findMailbox(db: Executor, id: string): Promise<MailboxRow | undefined> {
  return db.selectFrom('mailboxes').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertMailbox(trx: Executor, row: Insertable<MailboxesTable>): Promise<string> {
  const { id } = await trx.insertInto('mailboxes').values(row).returning('id').executeTakeFirstOrThrow();
  return String(id);
}

export async function updateMailbox(
  trx: Executor,
  id: string,
  patch: Updateable<MailboxesTable>,
): Promise<boolean> {
  const result = await trx.updateTable('mailboxes').set(patch).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteMailbox(trx: Executor, id: string): Promise<boolean> {
  // Children first: SQLite's cascades depend on the connection's foreign_keys pragma.
  for (const table of ['mailbox_messages', 'mailbox_checkpoints', 'mailbox_leases'] as const)
    await trx.deleteFrom(table).where('mailbox_id', '=', id).execute();
  const result = await trx.deleteFrom('mailboxes').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function recordPoll(
  trx: Executor,
  id: string,
  now: string,
  error: string | null,
): Promise<void> {
  await trx
    .updateTable('mailboxes')
    .set(
      error === null
        ? { last_poll_time: now, last_error: null }
        : { last_error: error, last_error_time: now },
    )
    .where('id', '=', id)
    .execute();
}

export async function countCaptured(trx: Executor, id: string, by: number): Promise<void> {
  await trx
    .updateTable('mailboxes')
    .set((eb) => ({ messages_captured: eb('messages_captured', '+', by) }))
    .where('id', '=', id)
    .execute();
}

export async function findCheckpoint(
  db: Executor,
  mailboxId: string,
  folder: string,
): Promise<{ uidValidity: string; lastUid: number } | undefined> {
  const row = await db
    .selectFrom('mailbox_checkpoints')
    .select(['uid_validity', 'last_uid'])
    .where('mailbox_id', '=', mailboxId)
    .where('folder', '=', folder)
    .executeTakeFirst();
  return row && { uidValidity: row.uid_validity, lastUid: Number(row.last_uid) };
}

/** Move the checkpoint forward (never back within one UIDVALIDITY; a new UIDVALIDITY starts over). */
export async function saveCheckpoint(
  trx: Executor,
  mailboxId: string,
  folder: string,
  uidValidity: string,
  lastUid: number,
  now: string,
): Promise<void> {
  const current = await findCheckpoint(trx, mailboxId, folder);
  if (!current) {
    await trx
      .insertInto('mailbox_checkpoints')
      .values({
        mailbox_id: mailboxId,
        folder,
        uid_validity: uidValidity,
        last_uid: lastUid,
        modified_time: now,
      })
      .execute();
    return;
  }
  if (current.uidValidity === uidValidity && current.lastUid >= lastUid) return;
  await trx
    .updateTable('mailbox_checkpoints')
    .set({ uid_validity: uidValidity, last_uid: lastUid, modified_time: now })
    .where('mailbox_id', '=', mailboxId)
    .where('folder', '=', folder)
    .execute();
}

/**
 * Take or renew the lease on a mailbox: succeeds when nobody holds it, its holder's lease has run out, or the
 * caller already holds it. One statement per engine path, so two processes racing cannot both win.
 */
export async function acquireLease(
  trx: Executor,
  mailboxId: string,
  holder: string,
  now: string,
  until: string,
): Promise<boolean> {
  await insertRows(trx, 'mailbox_leases', [{ mailbox_id: mailboxId, holder, lease_until: until }], {
    skipConflictsOn: ['mailbox_id'],
  });
  const result = await trx
    .updateTable('mailbox_leases')
    .set({ holder, lease_until: until })
    .where('mailbox_id', '=', mailboxId)
    .where((eb) => eb.or([eb('holder', '=', holder), eb('lease_until', '<', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function releaseLease(trx: Executor, mailboxId: string, holder: string): Promise<void> {
  await trx
    .deleteFrom('mailbox_leases')
    .where('mailbox_id', '=', mailboxId)
    .where('holder', '=', holder)
    .execute();
}

export async function leaseHolder(db: Executor, mailboxId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('mailbox_leases')
    .select('holder')
    .where('mailbox_id', '=', mailboxId)
    .executeTakeFirst();
  return row?.holder;
}

/** Record what became of one message; a replay of the same UID is skipped (false). */
export async function recordMessage(trx: Executor, row: Insertable<MailboxMessagesTable>): Promise<boolean> {
  const inserted = await insertRows<'mailbox_messages', { id: RowId }>(trx, 'mailbox_messages', [row], {
    skipConflictsOn: ['mailbox_id', 'folder', 'uid_validity', 'uid'],
    returning: ['id'],
  });
  return inserted.length > 0;
}

export async function messagesOf(
  db: Executor,
  mailboxId: string,
  limit: number,
): Promise<Selectable<MailboxMessagesTable>[]> {
  return db
    .selectFrom('mailbox_messages')
    .selectAll()
    .where('mailbox_id', '=', mailboxId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Whether a message is already on a case: linked (by the pane, a send, or us) or converted. */
export async function caseOfKnownMessage(db: Executor, messageId: string): Promise<string | undefined> {
  const link = await db
    .selectFrom('email_links')
    .select('case_id')
    .where('internet_message_id', '=', messageId)
    .orderBy('id')
    .executeTakeFirst();
  if (link) return String(link.case_id);
  const conversion = await db
    .selectFrom('email_conversions')
    .select('case_id')
    .where('internet_message_id', '=', messageId)
    .executeTakeFirst();
  return conversion?.case_id === null || conversion === undefined ? undefined : String(conversion.case_id);
}
