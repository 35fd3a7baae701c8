import { isOperation, MODULE, OPERATIONS, type Operation } from './events';

/**
 * The items of a `{"watch": [...]}` body, checked field by field as Zoho documents them. A refusal names the
 * item's field (`api_name`) and never reaches the database.
 */

export interface WatchError {
  code: 'INVALID_DATA' | 'MANDATORY_NOT_FOUND' | 'DUPLICATE_DATA' | 'LIMIT_EXCEEDED';
  api_name: string;
  message: string;
}

/** What an item says; absent keys are undefined (PATCH changes only what it names). */
export interface WatchInput {
  channel_id?: string;
  events?: Operation[];
  channel_expiry?: string;
  token?: string | null;
  notify_url?: string;
  notify_on_related_action?: boolean;
  return_affected_field_values?: boolean;
  /** PATCH: the events given are removed rather than added. */
  delete_events?: boolean;
}

export const TOKEN_MAX = 50;
export const URL_MAX = 2048;
/** Zoho: a channel lasts at most a day; without an expiry, or with a later one, it lasts an hour. */
export const MAX_EXPIRY_MS = 24 * 3600_000;
export const DEFAULT_EXPIRY_MS = 3600_000;

type Result<T> = { ok: true; value: T } | { ok: false; error: WatchError };
const bad = (
  api_name: string,
  message: string,
  code: WatchError['code'] = 'INVALID_DATA',
): Result<never> => ({
  ok: false,
  error: { code, api_name, message },
});
const good = <T>(value: T): Result<T> => ({ ok: true, value });

function channelId(value: unknown): Result<string> {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (
    typeof text !== 'string' ||
    !/^[1-9][0-9]{0,18}$/.test(text) ||
    BigInt(text) > 9_223_372_036_854_775_807n
  )
    return bad('channel_id', 'channel_id must be a positive whole number (a long)');
  return good(text);
}

function events(value: unknown): Result<Operation[]> {
  if (!Array.isArray(value) || value.length === 0)
    return bad('events', 'events must be a non-empty list such as ["Cases.create", "Cases.edit"]');
  const found = new Set<Operation>();
  for (const event of value) {
    const [module, operation, extra] = typeof event === 'string' ? event.split('.') : [];
    if (
      module !== MODULE ||
      extra !== undefined ||
      !operation ||
      !(operation === 'all' || isOperation(operation))
    )
      return bad(
        'events',
        `unsupported event ${JSON.stringify(event).slice(0, 60)}: this server notifies ${MODULE}.create, ${MODULE}.edit, ${MODULE}.delete or ${MODULE}.all`,
      );
    for (const op of operation === 'all' ? OPERATIONS : [operation as Operation]) found.add(op);
  }
  return good(OPERATIONS.filter((op) => found.has(op)));
}

/** Zoho's rule: an expiry more than a day ahead (or none) becomes an hour from now; a past one is refused. */
export function channelExpiry(value: unknown, now: number): Result<string> {
  if (value === undefined || value === null) return good(new Date(now + DEFAULT_EXPIRY_MS).toISOString());
  const time =
    typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(value)
      ? Date.parse(value)
      : NaN;
  if (Number.isNaN(time))
    return bad(
      'channel_expiry',
      'channel_expiry must be an ISO 8601 date-time with its offset, e.g. 2026-12-02T10:30:00+05:30',
    );
  if (time <= now) return bad('channel_expiry', 'channel_expiry must be in the future');
  return good(new Date(time - now > MAX_EXPIRY_MS ? now + DEFAULT_EXPIRY_MS : time).toISOString());
}

function token(value: unknown): Result<string | null> {
  if (value === null) return good(null);
  if (typeof value !== 'string' || value.length > TOKEN_MAX)
    return bad('token', `token must be a string of at most ${TOKEN_MAX} characters`);
  return good(value);
}

/** Syntax only; where the URL leads (the SSRF check) needs DNS and is done by the service. */
function notifyUrl(value: unknown): Result<string> {
  if (typeof value !== 'string' || value.length > URL_MAX)
    return bad('notify_url', `notify_url must be an http or https URL of at most ${URL_MAX} characters`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return bad('notify_url', 'notify_url is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return bad('notify_url', 'notify_url must be an http or https URL');
  if (url.username || url.password)
    return bad('notify_url', 'notify_url must not carry a user name or password');
  return good(url.toString());
}

function flag(name: string, value: unknown): Result<boolean> {
  return typeof value === 'boolean' ? good(value) : bad(name, `${name} must be true or false`);
}

const KNOWN = new Set([
  'channel_id',
  'events',
  'channel_expiry',
  'token',
  'notify_url',
  'notify_on_related_action',
  'return_affected_field_values',
  '_delete_events',
]);

/**
 * One item. `full`: what enabling (POST) or replacing (PUT) needs, with channel_id, events and notify_url
 * mandatory; otherwise (PATCH) only channel_id is, and only the given keys are read.
 */
export function parseWatchItem(item: unknown, mode: 'full' | 'patch', now: number): Result<WatchInput> {
  if (typeof item !== 'object' || item === null || Array.isArray(item))
    return bad('watch', 'each item of watch must be a JSON object');
  const given = item as Record<string, unknown>;
  const unknownKey = Object.keys(given).find((k) => !KNOWN.has(k));
  if (unknownKey)
    return bad(
      unknownKey.slice(0, 60),
      `${unknownKey.slice(0, 60)} is not supported by this server (notification_condition included)`,
    );
  const mandatory = mode === 'full' ? ['channel_id', 'events', 'notify_url'] : ['channel_id'];
  const missing = mandatory.find((k) => given[k] === undefined);
  if (missing) return bad(missing, `required field not found: ${missing}`, 'MANDATORY_NOT_FOUND');
  const out: WatchInput = {};
  const steps: [keyof WatchInput, string, (v: unknown) => Result<unknown>][] = [
    ['channel_id', 'channel_id', channelId],
    ['events', 'events', events],
    ['notify_url', 'notify_url', notifyUrl],
    ['token', 'token', token],
    ['notify_on_related_action', 'notify_on_related_action', (v) => flag('notify_on_related_action', v)],
    [
      'return_affected_field_values',
      'return_affected_field_values',
      (v) => flag('return_affected_field_values', v),
    ],
    ['delete_events', '_delete_events', (v) => flag('_delete_events', v)],
  ];
  for (const [key, name, check] of steps) {
    if (given[name] === undefined) continue;
    const r = check(given[name]);
    if (!r.ok) return r;
    (out as Record<string, unknown>)[key] = r.value;
  }
  if (given.channel_expiry !== undefined || mode === 'full') {
    const r = channelExpiry(given.channel_expiry, now);
    if (!r.ok) return r;
    out.channel_expiry = r.value;
  }
  return good(out);
}
