import crypto from 'node:crypto';
import type { FieldChange, TimelineAction } from '../../shared/followup-types';
import type { FieldValue } from '../../shared/validation';
import type { Executor } from '../db/executor';
import { insertOutboxRow } from '../outbox/outbox.repository';
import { type ChannelRow, liveChannels } from './channel.repository';
import type { Operation } from './events';

/**
 * Where case changes become notifications: called by the history writer (src/server/history), which every
 * create, edit and delete of a case passes through inside its transaction, whatever the path (API, bulk, clone,
 * import, Web-to-Case, email conversion, escalation). Each running channel that watches the operation gets an
 * outbox row in that same transaction: a rolled-back change leaves none, a committed one is delivered after the
 * commit even if this process dies first.
 */

/** The outbox kind of one callback to one channel. */
export const CRM_NOTIFICATION = 'crm_notification';

/** Zoho sends the ids of one operation together; a bulk change of many cases is split into callbacks of this many. */
const IDS_PER_CALLBACK = 100;

export interface CaseChange {
  caseId: string;
  action: TimelineAction;
  changes: FieldChange[];
}

/** What the outbox keeps for one callback; the channel's current URL, token and secret are read at delivery. */
export interface NotificationJob {
  channelRowId: string;
  /** Same on every retry of this callback: the receiver drops duplicates by it (X-Casepane-Delivery-Id). */
  deliveryId: string;
  operation: Operation;
  ids: string[];
  /** Per edited case, the api_names that changed. */
  affectedFields: Record<string, string[]>[];
  /** Per edited case, the new values (channels with return_affected_field_values only). */
  affectedValues?: Record<string, FieldValue>[];
  /** When the change was committed-to-be, ms since the epoch (Zoho's server_time). */
  serverTime: number;
}

/** Record fields changed: create or edit. Other timeline entries (a note, an email) are actions on related records. */
const OPERATION_OF: Partial<Record<TimelineAction, Operation>> = {
  created: 'create',
  cloned: 'create',
  imported: 'create',
  web_form: 'create',
  updated: 'edit',
  escalated: 'edit',
};
/** Written with the creation it belongs to (the assignment rule's owner): not an edit of its own. */
const PART_OF_CREATION: readonly TimelineAction[] = ['assigned'];

interface Group {
  ids: string[];
  fields: Map<string, Map<string, FieldValue>>;
}

/** Which callback a timeline entry belongs to; undefined: none (it is part of a creation). */
function kindOf(action: TimelineAction): 'create' | 'edit' | 'related' | undefined {
  if (PART_OF_CREATION.includes(action)) return undefined;
  return OPERATION_OF[action] === 'create' ? 'create' : OPERATION_OF[action] === 'edit' ? 'edit' : 'related';
}

function groupChanges(changes: CaseChange[]): { create: Group; edit: Group; related: Group } {
  const groups = { create: newGroup(), edit: newGroup(), related: newGroup() };
  for (const change of changes) {
    const kind = kindOf(change.action);
    if (!kind) continue;
    const group = groups[kind];
    let fields = group.fields.get(change.caseId);
    if (!fields) {
      group.ids.push(change.caseId);
      fields = new Map();
      group.fields.set(change.caseId, fields);
    }
    for (const c of change.changes) fields.set(c.api_name, c.new);
  }
  return groups;
}

function newGroup(): Group {
  return { ids: [], fields: new Map() };
}

function watches(channel: ChannelRow, operation: Operation): boolean {
  return (JSON.parse(channel.events) as string[]).includes(operation);
}

async function enqueue(trx: Executor, channel: ChannelRow, operation: Operation, group: Group, now: Date) {
  for (let i = 0; i < group.ids.length; i += IDS_PER_CALLBACK) {
    const ids = group.ids.slice(i, i + IDS_PER_CALLBACK);
    const job: NotificationJob = {
      channelRowId: String(channel.id),
      deliveryId: crypto.randomUUID(),
      operation,
      ids,
      affectedFields:
        operation === 'edit' ? ids.map((id) => ({ [id]: [...group.fields.get(id)!.keys()] })) : [],
      ...(operation === 'edit' && channel.return_affected_field_values
        ? { affectedValues: ids.map((id) => ({ id, ...Object.fromEntries(group.fields.get(id)!) })) }
        : {}),
      serverTime: now.getTime(),
    };
    await insertOutboxRow(trx, {
      kind: CRM_NOTIFICATION,
      payload: JSON.stringify(job),
      now: now.toISOString(),
    });
  }
}

/** Queue the callbacks of these case changes, in the caller's transaction. */
export async function emitCaseChanges(trx: Executor, changes: CaseChange[]): Promise<void> {
  if (changes.length === 0) return;
  const now = new Date();
  const channels = await liveChannels(trx, now.toISOString());
  if (channels.length === 0) return;
  const groups = groupChanges(changes);
  for (const channel of channels) {
    if (watches(channel, 'create')) await enqueue(trx, channel, 'create', groups.create, now);
    if (watches(channel, 'edit')) {
      await enqueue(trx, channel, 'edit', groups.edit, now);
      // A note, email or attachment on the case: told as an edit to channels that asked (Zoho's option).
      if (channel.notify_on_related_action) await enqueue(trx, channel, 'edit', groups.related, now);
    }
  }
}

/** Queue the callbacks of deleted cases, in the transaction that deletes them. */
export async function emitCasesDeleted(trx: Executor, caseIds: string[]): Promise<void> {
  if (caseIds.length === 0) return;
  const now = new Date();
  const channels = (await liveChannels(trx, now.toISOString())).filter((c) => watches(c, 'delete'));
  for (const channel of channels)
    await enqueue(trx, channel, 'delete', { ids: caseIds, fields: new Map() }, now);
}
