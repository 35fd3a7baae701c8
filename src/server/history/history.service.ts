import type { FieldChange, TimelineAction, TimelineEntry } from '../../shared/followup-types';
import type { FieldValue } from '../../shared/validation';
import type { Executor } from '../db/executor';
import { namesOf } from '../lookups/lookup.repository';
import { emitCaseChanges, emitCasesDeleted } from '../notifications/emit';
import { noteCloses, setsClosed } from '../reports/case-metrics.repository';
import { historyOfCase, insertHistory, insertHistoryRows } from './history.repository';

export type HistoryAction = TimelineAction;
export type { FieldChange, TimelineEntry };

// Long texts are kept in full on the case; the timeline keeps enough to show what changed.
const KEEP = 500;
const clip = (v: FieldValue): FieldValue =>
  typeof v === 'string' && v.length > KEEP ? `${v.slice(0, KEEP)}…` : v;

export function diff(before: Record<string, FieldValue>, after: Record<string, FieldValue>): FieldChange[] {
  // Own values only: `before` may be a plain {}, whose `constructor` is not a stored value.
  const old = (name: string) => (Object.hasOwn(before, name) ? (before[name] ?? null) : null);
  return Object.entries(after)
    .filter(([name, value]) => old(name) !== (value ?? null))
    .map(([name, value]) => ({ api_name: name, old: clip(old(name)), new: clip(value ?? null) }));
}

export interface HistoryEntry {
  caseId: string;
  action: HistoryAction;
  actorId: string | null;
  time: string;
  changes: FieldChange[];
}

/**
 * Every change to a case is recorded here, in the transaction of the change; so this is also where the change is
 * told to the Notification API's channels (src/server/notifications/emit.ts), whichever path made it, and where the
 * reports' rollup learns of closes (src/server/reports/case-metrics.repository.ts).
 */
export async function recordMany(trx: Executor, entries: HistoryEntry[]): Promise<void> {
  await emitCaseChanges(
    trx,
    entries.map((e) => ({ caseId: e.caseId, action: e.action, changes: e.changes })),
  );
  await insertHistoryRows(
    trx,
    entries.map((e) => ({
      case_id: e.caseId,
      action: e.action,
      changes: JSON.stringify(e.changes),
      actor_id: e.actorId,
      time: e.time,
    })),
  );
  await noteCloses(
    trx,
    entries.filter((e) => setsClosed(e.changes)).map((e) => ({ caseId: e.caseId, time: e.time })),
  );
}

export async function record(
  trx: Executor,
  caseId: string,
  action: HistoryAction,
  actorId: string | null,
  time: string,
  changes: FieldChange[] = [],
): Promise<void> {
  await emitCaseChanges(trx, [{ caseId, action, changes }]);
  await insertHistory(trx, {
    case_id: caseId,
    action,
    changes: JSON.stringify(changes),
    actor_id: actorId,
    time,
  });
  if (setsClosed(changes)) await noteCloses(trx, [{ caseId, time }]);
}

/**
 * Cases deleted in this transaction: their timeline goes with them, but the channels watching deletions are told
 * (after the commit, like every other change).
 */
export async function recordDeleted(trx: Executor, caseIds: string[]): Promise<void> {
  await emitCasesDeleted(trx, caseIds);
}

export async function timeline(
  db: Executor,
  caseId: string,
  limit: number,
  offset: number,
): Promise<TimelineEntry[]> {
  const rows = await historyOfCase(db, caseId, limit, offset);
  const actors = await namesOf(
    db,
    'Users',
    rows.map((r) => r.actor_id).filter((id) => id !== null),
  );
  return rows.map((r) => ({
    id: String(r.id),
    action: r.action as HistoryAction,
    done_by:
      r.actor_id === null
        ? null
        : { id: String(r.actor_id), name: actors.get(String(r.actor_id))?.name ?? '' },
    audited_time: r.time,
    field_history: (JSON.parse(r.changes) as FieldChange[]).map((c) => ({
      api_name: c.api_name,
      _value: { old: c.old, new: c.new },
    })),
  }));
}
