import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../db/executor';
import { insertRows } from '../db/insert-rows';
import type { EmailLinksTable, RowId } from '../db/schema';
import { refreshEmailMetrics } from '../reports/case-metrics.repository';

export type EmailLinkRow = Selectable<EmailLinksTable>;

/**
 * Claim a message for conversion. Only one caller ever gets `true` for a message id: on PostgreSQL a
 * concurrent insert of the same key waits for the first transaction and then does nothing.
 */
export async function claimConversion(
  trx: Executor,
  internetMessageId: string,
  now: string,
): Promise<boolean> {
  return (await claimConversions(trx, [internetMessageId], now)).has(internetMessageId);
}

/**
 * Claim several messages in one statement; returns the ids this caller got. Inserted in sorted order, so two such
 * statements claiming overlapping sets wait for one another in one direction only, never in a cycle.
 */
export async function claimConversions(
  trx: Executor,
  internetMessageIds: readonly string[],
  now: string,
): Promise<Set<string>> {
  if (internetMessageIds.length === 0) return new Set();
  const inserted = await insertRows(
    trx,
    'email_conversions',
    [...internetMessageIds]
      .sort()
      .map((id) => ({ internet_message_id: id, case_id: null, created_time: now })),
    { skipConflictsOn: ['internet_message_id'], returning: ['internet_message_id'] },
  );
  return new Set(inserted.map((row) => String(row.internet_message_id)));
}

/** Take over a claim whose case was deleted (case_id set null); concurrent callers serialise on the row lock. */
export async function reclaimOrphanedConversion(trx: Executor, internetMessageId: string): Promise<boolean> {
  const row = await trx
    .updateTable('email_conversions')
    .set({ case_id: null })
    .where('internet_message_id', '=', internetMessageId)
    .where('case_id', 'is', null)
    .returning('internet_message_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function completeConversion(
  trx: Executor,
  internetMessageId: string,
  caseId: string,
): Promise<void> {
  await completeConversions(trx, [{ internetMessageId, caseId }]);
}

/** Record each claimed message's case, in one statement. */
export async function completeConversions(
  trx: Executor,
  conversions: readonly { internetMessageId: string; caseId: string }[],
): Promise<void> {
  if (conversions.length === 0) return;
  // One CASE over the message ids; the cast, because PostgreSQL types a CASE of untyped parameters as text.
  const caseIds = sql<RowId>`case internet_message_id ${sql.join(
    conversions.map((c) => sql`when ${c.internetMessageId} then cast(${c.caseId} as bigint)`),
    sql` `,
  )} end`;
  await trx
    .updateTable('email_conversions')
    .set({ case_id: caseIds })
    .where(
      'internet_message_id',
      'in',
      conversions.map((c) => c.internetMessageId),
    )
    .execute();
}

export async function findConversion(
  db: Executor,
  internetMessageId: string,
): Promise<string | null | undefined> {
  const row = await db
    .selectFrom('email_conversions')
    .select('case_id')
    .where('internet_message_id', '=', internetMessageId)
    .executeTakeFirst();
  return row === undefined ? undefined : row.case_id === null ? null : String(row.case_id);
}

/**
 * Link messages to cases in one statement (a link that exists already is left as it is), and refresh the first
 * inbound email and first response of the cases that gained one (the reports' rollup), in the same transaction.
 */
export async function insertEmailLinks(
  trx: Executor,
  rows: readonly Insertable<EmailLinksTable>[],
): Promise<void> {
  if (rows.length === 0) return;
  const inserted = await insertRows<'email_links', { case_id: RowId }>(trx, 'email_links', rows, {
    skipConflictsOn: ['internet_message_id', 'case_id'],
    returning: ['case_id'],
  });
  await refreshEmailMetrics(trx, [...new Set(inserted.map((row) => String(row.case_id)))]);
}

/**
 * Link a message to a case; linking the same message to the same case again returns the existing link. A new link
 * refreshes the case's first inbound email and first response (the reports' rollup) in the same transaction.
 */
export async function insertEmailLink(
  trx: Executor,
  row: Insertable<EmailLinksTable>,
): Promise<{ id: string; created: boolean }> {
  const [inserted] = await insertRows<'email_links', { id: RowId }>(trx, 'email_links', [row], {
    skipConflictsOn: ['internet_message_id', 'case_id'],
    returning: ['id'],
  });
  if (inserted) {
    await refreshEmailMetrics(trx, [String(row.case_id)]);
    return { id: String(inserted.id), created: true };
  }
  const existing = await trx
    .selectFrom('email_links')
    .select('id')
    .where('internet_message_id', '=', row.internet_message_id)
    .where('case_id', '=', row.case_id)
    .executeTakeFirstOrThrow();
  return { id: String(existing.id), created: false };
}

export async function emailLinksOfCase(
  db: Executor,
  caseId: string,
  limit: number,
  offset: number,
): Promise<EmailLinkRow[]> {
  return db
    .selectFrom('email_links')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('linked_time', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

/** Case ids linked to a message, and to its thread; two index lookups, no join with the cases table. */
export async function caseIdsForMessage(
  db: Executor,
  internetMessageId: string | undefined,
  conversationId: string | undefined,
  limit: number,
): Promise<{ byMessage: string[]; byThread: string[] }> {
  const byMessage = internetMessageId
    ? (
        await db
          .selectFrom('email_links')
          .select('case_id')
          .where('internet_message_id', '=', internetMessageId)
          .limit(limit)
          .execute()
      ).map((r) => String(r.case_id))
    : [];
  const byThread = conversationId
    ? (
        await db
          .selectFrom('email_links')
          .select('case_id')
          .distinct()
          .where('conversation_id', '=', conversationId)
          .limit(limit)
          .execute()
      ).map((r) => String(r.case_id))
    : [];
  return { byMessage, byThread };
}

export async function findEmailLink(db: Executor, id: string): Promise<EmailLinkRow | undefined> {
  return db.selectFrom('email_links').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Unlink a message; its case's first inbound email and first response are recomputed without it. */
export async function deleteEmailLink(trx: Executor, id: string): Promise<void> {
  const row = await trx
    .deleteFrom('email_links')
    .where('id', '=', id)
    .returning('case_id')
    .executeTakeFirst();
  if (row) await refreshEmailMetrics(trx, [String(row.case_id)]);
}

/** Case ids linked to any of these messages (the thread's earlier mail), newest link first. */
export async function casesLinkedToMessages(db: Executor, messageIds: readonly string[]): Promise<string[]> {
  if (messageIds.length === 0) return [];
  const rows = await db
    .selectFrom('email_links')
    .select('case_id')
    .where('internet_message_id', 'in', messageIds)
    .orderBy('id', 'desc')
    .limit(20)
    .execute();
  return [...new Set(rows.map((r) => String(r.case_id)))];
}

/** The case a [Case #n] reference names, with the addresses allowed to attach mail to it. */
export async function caseForReference(
  db: Executor,
  caseNumber: number,
): Promise<{ id: string; emails: string[]; accountDomains: string[] } | undefined> {
  const row = await db
    .selectFrom('cases')
    .leftJoin('contacts', 'contacts.id', 'cases.related_to_id')
    .select([
      'cases.id',
      'cases.email_lower',
      'cases.account_name_id',
      'contacts.email_lower as contact_email',
    ])
    .where('cases.case_number', '=', caseNumber)
    .executeTakeFirst();
  if (!row) return undefined;
  const emails = [row.email_lower, row.contact_email].filter((e): e is string => !!e);
  let accountDomains: string[] = [];
  if (row.account_name_id !== null) {
    const contacts = await db
      .selectFrom('contacts')
      .select('email_lower')
      .where('account_id', '=', row.account_name_id)
      .where('email_lower', 'is not', null)
      .limit(200)
      .execute();
    accountDomains = [...new Set(contacts.map((c) => String(c.email_lower).split('@')[1]).filter(Boolean))];
  }
  return { id: String(row.id), emails, accountDomains };
}
