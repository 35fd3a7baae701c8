import { sql } from 'kysely';
import type { Executor } from '../db/executor';
import type { RowId } from '../db/schema';
import { insertRows } from '../db/insert-rows';

/**
 * The reports' rollup (migration 2026-12-02T1300-case-metrics): per case, the time of its first inbound email, of
 * the first response at or after it and of its last change of Status to Closed, with a copy of the case's created
 * time, owner, status, origin and type (`case_metrics`), and one row per change to Closed (`case_closes`). Written
 * in the transaction of the change that moves them — a case inserted or updated (case.repository), a mail linked or
 * unlinked (email.repository), a timeline entry recorded (history.service) — and gone with the case (on delete
 * cascade), so the first response, resolution and created-vs-closed reports read an index of them instead of
 * recomputing the timeline and the mail of every case in range.
 */

interface Change {
  api_name: string;
  new: unknown;
}

/** Whether a timeline entry's changes (the JSON list of {api_name, old, new}) set Status to Closed. */
export function setsClosed(changes: readonly Change[] | string): boolean {
  const list = typeof changes === 'string' ? (JSON.parse(changes) as Change[]) : changes;
  return list.some((c) => c.api_name === 'Status' && c.new === 'Closed');
}

/** What the reports filter and group by, copied from the case so the timed reports read one index, no join. */
export interface CaseFacts {
  case_id: RowId;
  created_time: string;
  owner_id: RowId | null;
  status: string;
  case_origin: string;
  type: string | null;
}

/** New cases: their rollup rows, in the transaction of the insert (every later write here is an update). */
export async function noteCasesCreated(trx: Executor, rows: readonly CaseFacts[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 400) await insertRows(trx, 'case_metrics', rows.slice(i, i + 400));
}

/** A case updated: the copied columns follow (only those the update sets). */
export async function noteCaseChanged(
  trx: Executor,
  caseId: string,
  patch: Partial<Omit<CaseFacts, 'case_id' | 'created_time'>>,
): Promise<void> {
  const set = Object.fromEntries(
    (['owner_id', 'status', 'case_origin', 'type'] as const)
      .filter((k) => patch[k] !== undefined)
      .map((k) => [k, patch[k]]),
  );
  if (Object.keys(set).length)
    await trx.updateTable('case_metrics').set(set).where('case_id', '=', caseId).execute();
}

/** Changes of Status to Closed at these times (a timeline entry each): counted, and the last one kept per case. */
export async function noteCloses(
  trx: Executor,
  closes: readonly { caseId: string; time: string }[],
): Promise<void> {
  if (!closes.length) return;
  await insertRows(
    trx,
    'case_closes',
    closes.map((c) => ({ case_id: c.caseId, time: c.time })),
  );
  const last = new Map<string, string>();
  for (const c of closes) {
    const seen = last.get(c.caseId);
    if (seen === undefined || Date.parse(c.time) > Date.parse(seen)) last.set(c.caseId, c.time);
  }
  // Raised only, in one statement: every time written is ISO-8601 UTC (toISOString), so text order on SQLite is
  // time order, as timestamptz order is on PostgreSQL.
  for (const [caseId, time] of last)
    await trx
      .updateTable('case_metrics')
      .set({ last_closed_time: time })
      .where('case_id', '=', caseId)
      .where((eb) => eb.or([eb('last_closed_time', 'is', null), eb('last_closed_time', '<', time)]))
      .execute();
}

/**
 * First inbound email and first response of these cases, recomputed from their mail in one statement (a round trip
 * each for the mail, the users and the update showed in the create path's profile). Outgoing: sent from the case,
 * or linked mail whose sender is a Casepane user (an agent's reply filed from Outlook) — as the users are when the
 * mail is linked or unlinked; inbound: any other linked mail. A message's time is its Date, else when it was
 * linked. Every time written is ISO-8601 UTC, so `min` over text (SQLite) is time order, as over timestamptz.
 */
export async function refreshEmailMetrics(trx: Executor, caseIds: readonly string[]): Promise<void> {
  if (caseIds.length === 0) return;
  const ids = sql.join(caseIds);
  await sql`
    with mail as (
      select l.case_id, coalesce(l.sent_time, l.linked_time) as at,
        case when l.direction = 'sent'
          or exists (select 1 from users u where lower(u.email) = lower(l.from_email)) then 1 else 0 end as outgoing
      from email_links l where l.case_id in (${ids})
    ), inbound as (select case_id, min(at) as at from mail where outgoing = 0 group by case_id)
    update case_metrics set
      first_inbound_time = (select i.at from inbound i where i.case_id = case_metrics.case_id),
      first_response_time = (
        select min(m.at) from mail m join inbound i on i.case_id = m.case_id
        where m.case_id = case_metrics.case_id and m.outgoing = 1 and m.at >= i.at
      )
    where case_id in (${ids})`.execute(trx);
}

/**
 * The rollup recomputed from the raw rows: the migration's backfill, and tests that write history straight into
 * the database. Closes are confirmed by parsing each candidate entry's JSON (the LIKE only narrows); mail is
 * recomputed case by case. Runs in the caller's transaction (the migration's, on PostgreSQL).
 */
export async function rebuildCaseMetrics(db: Executor): Promise<void> {
  await db.deleteFrom('case_closes').execute();
  await db.deleteFrom('case_metrics').execute();
  await db
    .insertInto('case_metrics')
    .columns(['case_id', 'created_time', 'owner_id', 'status', 'case_origin', 'type'])
    .expression((eb) =>
      eb.selectFrom('cases').select(['id', 'created_time', 'owner_id', 'status', 'case_origin', 'type']),
    )
    .execute();
  let after = 0;
  for (;;) {
    const page = await db
      .selectFrom('case_history')
      .select(['id', 'case_id', 'time', 'changes'])
      .where('id', '>', after)
      .where('changes', 'like', '%"new":"Closed"%')
      .orderBy('id')
      .limit(5000)
      .execute();
    if (!page.length) break;
    after = Number(page[page.length - 1].id);
    const closes = page
      .filter((r) => setsClosed(r.changes))
      .map((r) => ({ caseId: String(r.case_id), time: r.time }));
    await noteCloses(db, closes);
  }
  let lastCase = 0;
  for (;;) {
    const ids = await db
      .selectFrom('email_links')
      .select('case_id')
      .distinct()
      .where('case_id', '>', lastCase)
      .orderBy('case_id')
      .limit(1000)
      .execute();
    if (!ids.length) break;
    lastCase = Number(ids[ids.length - 1].case_id);
    await refreshEmailMetrics(
      db,
      ids.map((row) => String(row.case_id)),
    );
  }
}
