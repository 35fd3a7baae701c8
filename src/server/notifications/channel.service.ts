import type { Storage } from '../db/database';
import type { Executor } from '../db/executor';
import type { CurrentUser } from '../http/context';
import { addressesOf, type AllowedPrivate, refusedAddress } from './address-guard';
import * as repo from './channel.repository';
import { eventNames, MODULE, OPERATIONS, type Operation } from './events';
import type { NotificationSettings } from './settings';
import { newSigningSecret } from './signature';
import { parseWatchItem, type WatchError, type WatchInput } from './watch.validation';

/**
 * Channels of the Notification API. Each belongs to the user who enabled it: only they read, change or disable
 * it; an admin also sees and disables everyone's (to stop a channel that hammers a receiver), but never changes
 * another user's. Every request is all-or-nothing: one refused item and nothing is written.
 */

export interface ItemResult {
  code: string;
  details: Record<string, unknown>;
  message: string;
  status: 'success' | 'error';
}
export type WatchOutcome = { ok: true; results: ItemResult[] } | { ok: false; results: ItemResult[] };

export interface ChannelContext {
  user: CurrentUser;
  settings: NotificationSettings;
  allowed: AllowedPrivate;
  /** The origin resource_uri starts with. */
  resourceBase: string;
}

/** At most this many items in one watch body (Zoho's batch size for writes). */
export const MAX_ITEMS = 100;

const NOT_EXECUTED: ItemResult = {
  code: 'NOT_EXECUTED',
  details: {},
  message: 'not written because another item in the request is invalid',
  status: 'error',
};

function errorResult(error: WatchError, index: number): ItemResult {
  return {
    code: error.code,
    details: { api_name: error.api_name, json_path: `$.watch[${index}].${error.api_name}` },
    message: error.message,
    status: 'error',
  };
}

function refuse(errors: (WatchError | undefined)[]): WatchOutcome {
  return { ok: false, results: errors.map((e, i) => (e ? errorResult(e, i) : NOT_EXECUTED)) };
}

/** The items of {"watch": [...]}, or the whole body's error. */
export function watchItems(body: unknown): unknown[] | WatchError {
  const watch = typeof body === 'object' && body !== null ? (body as { watch?: unknown }).watch : undefined;
  if (watch === undefined)
    return {
      code: 'MANDATORY_NOT_FOUND',
      api_name: 'watch',
      message: 'the request body must be {"watch": [...]}',
    };
  if (!Array.isArray(watch) || watch.length === 0)
    return { code: 'INVALID_DATA', api_name: 'watch', message: 'watch must be a non-empty list' };
  if (watch.length > MAX_ITEMS)
    return { code: 'LIMIT_EXCEEDED', api_name: 'watch', message: `at most ${MAX_ITEMS} items per call` };
  return watch;
}

/** Where notify_url leads, checked against the private ranges (the delivery checks again when it connects). */
export async function unreachableReason(
  url: string,
  allowed: AllowedPrivate,
): Promise<WatchError | undefined> {
  let addresses: string[];
  try {
    addresses = await addressesOf(new URL(url).hostname);
  } catch {
    return {
      code: 'INVALID_DATA',
      api_name: 'notify_url',
      message: 'the host of notify_url does not resolve',
    };
  }
  const refused = addresses.map((a) => refusedAddress(a, allowed)).find(Boolean);
  if (!refused) return undefined;
  return {
    code: 'INVALID_DATA',
    api_name: 'notify_url',
    message: `notify_url is refused: ${refused}; an admin may allow it with NOTIFY_ALLOW_PRIVATE_HOSTS`,
  };
}

/** Parse every item, then check every notify_url: errors by item, or the parsed inputs. */
async function parseAll(
  items: unknown[],
  mode: 'full' | 'patch',
  allowed: AllowedPrivate,
): Promise<{ inputs: WatchInput[]; errors: (WatchError | undefined)[] }> {
  const now = Date.now();
  const parsed = items.map((item) => parseWatchItem(item, mode, now));
  const errors = await Promise.all(
    parsed.map(async (p) => {
      if (!p.ok) return p.error;
      return p.value.notify_url ? unreachableReason(p.value.notify_url, allowed) : undefined;
    }),
  );
  const inputs = parsed.map((p) => (p.ok ? p.value : {}));
  const seen = new Set<string>();
  inputs.forEach((input, i) => {
    if (errors[i] || !input.channel_id) return;
    if (seen.has(input.channel_id))
      errors[i] = {
        code: 'DUPLICATE_DATA',
        api_name: 'channel_id',
        message: 'channel_id given twice in one request',
      };
    seen.add(input.channel_id);
  });
  return { inputs, errors };
}

export function eventsDetails(row: repo.ChannelRow, resourceBase: string) {
  return [
    {
      channel_expiry: row.channel_expiry,
      resource_uri: `${resourceBase}/crm/v6/${MODULE}`,
      resource_name: MODULE,
      channel_id: row.channel_id,
    },
  ];
}

/** POST /actions/watch: enable channels. */
export async function enableChannels(
  storage: Storage,
  ctx: ChannelContext,
  items: unknown[],
): Promise<WatchOutcome> {
  const { inputs, errors } = await parseAll(items, 'full', ctx.allowed);
  if (errors.some(Boolean)) return refuse(errors);
  return storage.write(async (trx) => {
    const existing = new Set(
      (
        await repo.channelsOf(
          trx,
          ctx.user.id,
          inputs.map((i) => i.channel_id!),
        )
      ).map((r) => r.channel_id),
    );
    const clash = inputs.map((input): WatchError | undefined =>
      existing.has(input.channel_id!)
        ? {
            code: 'DUPLICATE_DATA',
            api_name: 'channel_id',
            message: 'you already have a channel with this channel_id; update it with PATCH or PUT',
          }
        : undefined,
    );
    if (clash.some(Boolean)) return refuse(clash);
    const count = await repo.countChannelsOf(trx, ctx.user.id);
    if (count + inputs.length > ctx.settings.maxChannelsPerUser)
      return refuse(
        inputs.map(() => ({
          code: 'LIMIT_EXCEEDED' as const,
          api_name: 'channel_id',
          message: `at most ${ctx.settings.maxChannelsPerUser} channels per user (you have ${count})`,
        })),
      );
    const now = new Date().toISOString();
    const results: ItemResult[] = [];
    for (const input of inputs) {
      const secret = newSigningSecret();
      await repo.insertChannel(trx, {
        channel_id: input.channel_id!,
        owner_id: ctx.user.id,
        events: JSON.stringify(input.events),
        notify_url: input.notify_url!,
        token: input.token ?? null,
        secret,
        channel_expiry: input.channel_expiry!,
        notify_on_related_action: input.notify_on_related_action ? 1 : 0,
        return_affected_field_values: input.return_affected_field_values ? 1 : 0,
        created_time: now,
        modified_time: now,
      });
      const row = (await repo.channelsOf(trx, ctx.user.id, [input.channel_id!]))[0];
      results.push({
        code: 'SUCCESS',
        details: { events: eventsDetails(row, ctx.resourceBase), signing_secret: secret },
        message: 'Successfully subscribed for actions-watch of the given module',
        status: 'success',
      });
    }
    return { ok: true, results };
  });
}

/** PATCH adds the events given (or removes them, with _delete_events); PUT replaces the whole channel. */
function patchOf(row: repo.ChannelRow, input: WatchInput, mode: 'put' | 'patch'): repo.ChannelPatch {
  const now = new Date().toISOString();
  if (mode === 'put')
    return {
      events: JSON.stringify(input.events),
      notify_url: input.notify_url,
      token: input.token ?? null,
      channel_expiry: input.channel_expiry,
      notify_on_related_action: input.notify_on_related_action ? 1 : 0,
      return_affected_field_values: input.return_affected_field_values ? 1 : 0,
      modified_time: now,
    };
  const current = JSON.parse(row.events) as Operation[];
  const given = input.events ?? [];
  const events = input.delete_events
    ? current.filter((op) => !given.includes(op))
    : OPERATIONS.filter((op) => current.includes(op) || given.includes(op));
  return {
    events: JSON.stringify(events),
    ...(input.notify_url !== undefined ? { notify_url: input.notify_url } : {}),
    ...(input.token !== undefined ? { token: input.token } : {}),
    ...(input.channel_expiry !== undefined ? { channel_expiry: input.channel_expiry } : {}),
    ...(input.notify_on_related_action !== undefined
      ? { notify_on_related_action: input.notify_on_related_action ? 1 : 0 }
      : {}),
    ...(input.return_affected_field_values !== undefined
      ? { return_affected_field_values: input.return_affected_field_values ? 1 : 0 }
      : {}),
    modified_time: now,
  };
}

/** PUT or PATCH /actions/watch: change the caller's own channels, named by channel_id. */
export async function updateChannels(
  storage: Storage,
  ctx: ChannelContext,
  items: unknown[],
  mode: 'put' | 'patch',
): Promise<WatchOutcome> {
  const { inputs, errors } = await parseAll(items, mode === 'put' ? 'full' : 'patch', ctx.allowed);
  if (errors.some(Boolean)) return refuse(errors);
  return storage.write(async (trx) => {
    const rows = await repo.channelsOf(
      trx,
      ctx.user.id,
      inputs.map((i) => i.channel_id!),
    );
    const byId = new Map(rows.map((r) => [r.channel_id, r]));
    const missing = inputs.map((input): WatchError | undefined =>
      byId.has(input.channel_id!)
        ? undefined
        : {
            code: 'INVALID_DATA',
            api_name: 'channel_id',
            message: 'you have no channel with this channel_id',
          },
    );
    if (missing.some(Boolean)) return refuse(missing);
    // Every patch is worked out before any is written: a refused item leaves the others unchanged too.
    const patches = inputs.map((input) => patchOf(byId.get(input.channel_id!)!, input, mode));
    const empty = patches.map((patch): WatchError | undefined =>
      patch.events === '[]'
        ? {
            code: 'INVALID_DATA',
            api_name: 'events',
            message: 'a channel must watch at least one event; disable it with DELETE instead',
          }
        : undefined,
    );
    if (empty.some(Boolean)) return refuse(empty);
    const results: ItemResult[] = [];
    for (const [index, input] of inputs.entries()) {
      const id = String(byId.get(input.channel_id!)!.id);
      await repo.updateChannel(trx, id, patches[index]);
      results.push({
        code: 'SUCCESS',
        details: { events: eventsDetails((await repo.channelById(trx, id))!, ctx.resourceBase) },
        message: 'Successfully updated the subscribe details',
        status: 'success',
      });
    }
    return { ok: true, results };
  });
}

/** Channels the caller may see: their own; an admin's view is everyone's. */
function visibleOwner(user: CurrentUser): string | undefined {
  return user.role === 'admin' ? undefined : user.id;
}

export function channelView(row: repo.ChannelRow, user: CurrentUser, resourceBase: string) {
  const own = String(row.owner_id) === user.id;
  return {
    channel_id: row.channel_id,
    events: eventNames(JSON.parse(row.events) as Operation[]),
    channel_expiry: row.channel_expiry,
    resource_uri: `${resourceBase}/crm/v6/${MODULE}`,
    resource_name: MODULE,
    notify_url: row.notify_url,
    token: row.token,
    notify_on_related_action: Boolean(row.notify_on_related_action),
    return_affected_field_values: Boolean(row.return_affected_field_values),
    // The key is its owner's: an admin looking at everyone's channels does not get it.
    ...(own ? { signing_secret: row.secret } : {}),
    owner: { id: String(row.owner_id) },
  };
}

export async function listChannels(db: Executor, user: CurrentUser, channelIds?: string[]) {
  return repo.channelsOf(db, visibleOwner(user), channelIds);
}

/** DELETE /actions/watch?channel_ids=: every id must name a channel the caller may disable. */
export async function disableChannels(
  storage: Storage,
  user: CurrentUser,
  channelIds: string[],
): Promise<WatchOutcome> {
  return storage.write(async (trx) => {
    const rows = await repo.channelsOf(trx, visibleOwner(user), channelIds);
    const found = new Set(rows.map((r) => r.channel_id));
    const missing = channelIds.map((id): WatchError | undefined =>
      found.has(id)
        ? undefined
        : { code: 'INVALID_DATA', api_name: 'channel_ids', message: `no channel ${id} of yours` },
    );
    if (missing.some(Boolean)) return refuse(missing);
    await repo.deleteChannels(
      trx,
      rows.map((r) => String(r.id)),
    );
    return {
      ok: true,
      results: channelIds.map((id) => ({
        code: 'SUCCESS',
        details: { channel_id: id },
        message: 'Successfully unsubscribed from actions-watch of the given module',
        status: 'success' as const,
      })),
    };
  });
}
