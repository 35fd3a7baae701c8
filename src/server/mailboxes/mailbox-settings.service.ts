import type { Insertable, Updateable } from 'kysely';
import type { MailboxRecord } from '../../shared/mailbox-types';
import { isValidEmail, type FieldError } from '../../shared/validation';
import { type Executor, nowIso } from '../db/executor';
import type { MailboxesTable } from '../db/schema';
import { failBatch, notFound } from '../http/errors';
import { findTemplate } from '../mail/mail.service';
import * as repo from './mailbox.repository';

export type { MailboxRecord };

/** Exchange Online's scope for app-only IMAP (Microsoft: "Authenticate an IMAP, POP or SMTP connection using OAuth"). */
export const DEFAULT_SCOPE = 'https://outlook.office365.com/.default';

export function toRecord(row: repo.MailboxRow): MailboxRecord {
  return {
    id: String(row.id),
    name: row.name,
    host: row.host,
    port: Number(row.port),
    secure: Number(row.secure) === 1,
    starttls: Number(row.starttls) === 1,
    user: row.username,
    folder: row.folder,
    enabled: Number(row.enabled) === 1,
    never_capture: parseList(row.never_capture),
    password_set: row.password !== null,
    access_token_set: row.access_token !== null,
    oauth:
      row.oauth_token_url === null
        ? null
        : {
            token_url: row.oauth_token_url,
            client_id: row.oauth_client_id ?? '',
            scope: row.oauth_scope ?? DEFAULT_SCOPE,
            client_secret_set: row.oauth_client_secret !== null,
          },
    acknowledgement: {
      enabled: Number(row.ack_enabled) === 1,
      template_id: row.ack_template_id === null ? null : String(row.ack_template_id),
    },
    status: {
      last_poll_time: row.last_poll_time,
      messages_captured: Number(row.messages_captured),
      last_error: row.last_error,
      last_error_time: row.last_error_time,
    },
    created_time: row.created_time,
    modified_time: row.modified_time,
  };
}

export function parseList(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

const KNOWN = new Set([
  'name',
  'host',
  'port',
  'secure',
  'starttls',
  'user',
  'password',
  'access_token',
  'oauth',
  'folder',
  'enabled',
  'never_capture',
  'acknowledgement',
]);
const HOST = /^[a-z0-9]([a-z0-9-]{0,62}\.)*[a-z0-9-]{1,63}$|^\[?[0-9a-f:.]+\]?$/i;
const DOMAIN = /^@?([a-z0-9]([a-z0-9-]{0,62}\.)+[a-z]{2,63})$/i;
const MAX_NEVER_CAPTURE = 500;
/** Settings are single-line values: a control character (CR, LF, NUL) in one is a mistake or an injection. */
const hasControl = (v: string) => [...v].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

type Patch = Updateable<MailboxesTable>;

/** Validate a create (every required field) or an update (only what is given); errors name the api_name. */
function validate(input: unknown, creating: boolean): { patch: Patch } | { errors: FieldError[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return { errors: [{ code: 'INVALID_DATA', api_name: 'mailboxes', message: 'expected a JSON object' }] };
  const m = input as Record<string, unknown>;
  const errors: FieldError[] = [];
  const bad = (api_name: string, message: string) =>
    errors.push({ code: 'INVALID_DATA', api_name, message: `${api_name}: ${message}` });
  for (const key of Object.keys(m)) if (!KNOWN.has(key)) bad(key.slice(0, 60), 'no such property');
  const patch: Patch = {};
  const text = (name: string, max: number, required: boolean, re?: RegExp): string | null | undefined => {
    const v = m[name];
    if (v === undefined || v === null || v === '') {
      if (required && (creating || v !== undefined))
        errors.push({ code: 'MANDATORY_NOT_FOUND', api_name: name, message: `${name} is required` });
      return v === undefined ? undefined : null;
    }
    if (typeof v !== 'string' || v.length > max || hasControl(v))
      return (bad(name, `expected text of at most ${max} characters on one line`), undefined);
    if (re && !re.test(v)) return (bad(name, 'not a valid value'), undefined);
    return v;
  };
  const flag = (name: string, fallback: boolean): number | undefined => {
    const v = m[name];
    if (v === undefined) return creating ? Number(fallback) : undefined;
    if (typeof v !== 'boolean') return (bad(name, 'expected true or false'), undefined);
    return Number(v);
  };
  patch.name = text('name', 255, true) ?? undefined;
  patch.host = text('host', 253, true, HOST) ?? undefined;
  patch.username = text('user', 320, true) ?? undefined;
  patch.folder = text('folder', 255, false) ?? (creating ? 'INBOX' : undefined);
  // Secrets: null (or "") clears one; undefined leaves it as stored.
  const password = text('password', 1024, false);
  const token = text('access_token', 8192, false);
  if (password !== undefined) patch.password = password;
  if (token !== undefined) patch.access_token = token;
  if (m.port !== undefined || creating) {
    const port = m.port ?? 993;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)
      bad('port', 'expected a whole number from 1 to 65535');
    else patch.port = port;
  }
  patch.secure = flag('secure', true);
  patch.starttls = flag('starttls', true);
  patch.enabled = flag('enabled', true);
  if (m.never_capture !== undefined || creating) {
    const list = m.never_capture ?? [];
    if (!Array.isArray(list) || list.length > MAX_NEVER_CAPTURE)
      bad('never_capture', `expected a list of at most ${MAX_NEVER_CAPTURE} addresses or domains`);
    else {
      const entries = list.map((e) => (typeof e === 'string' ? e.trim().toLowerCase() : ''));
      const wrong = entries.findIndex((e) => !isValidEmail(e) && !DOMAIN.test(e));
      if (wrong >= 0) bad(`never_capture`, `entry ${wrong + 1} is neither an address nor a domain`);
      else patch.never_capture = JSON.stringify([...new Set(entries.map((e) => e.replace(/^@/, '')))]);
    }
  }
  acknowledgementPatch(m.acknowledgement, patch, bad);
  oauthPatch(m.oauth, patch, bad);
  return errors.length ? { errors } : { patch };
}

/**
 * {"token_url", "client_id", "client_secret", "scope"} for the client-credentials grant, or null to turn it off.
 * The token URL is HTTPS (plain HTTP only to this machine): the client secret travels to it.
 */
function oauthPatch(value: unknown, patch: Patch, bad: (api_name: string, message: string) => void) {
  if (value === undefined) return;
  if (value === null) {
    Object.assign(patch, {
      oauth_token_url: null,
      oauth_client_id: null,
      oauth_client_secret: null,
      oauth_scope: null,
    });
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value))
    return bad('oauth', 'expected {"token_url", "client_id", "client_secret", "scope"} or null');
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o))
    if (!['token_url', 'client_id', 'client_secret', 'scope'].includes(key))
      bad(`oauth.${key.slice(0, 60)}`, 'no such property');
  const line = (key: string, max: number): string | undefined => {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !v.trim() || v.length > max || hasControl(v))
      return (bad(`oauth.${key}`, `expected text of at most ${max} characters on one line`), undefined);
    return v.trim();
  };
  const tokenUrl = line('token_url', 2048);
  if (tokenUrl !== undefined && !isTokenUrl(tokenUrl))
    bad('oauth.token_url', 'expected an https:// URL (http:// only to localhost)');
  else if (tokenUrl !== undefined) patch.oauth_token_url = tokenUrl;
  const clientId = line('client_id', 255);
  if (clientId !== undefined) patch.oauth_client_id = clientId;
  const secret = line('client_secret', 2048);
  if (secret !== undefined) patch.oauth_client_secret = secret;
  const scope = line('scope', 1024);
  if (scope !== undefined) patch.oauth_scope = scope;
}

function isTokenUrl(text: string): boolean {
  try {
    const url = new URL(text);
    if (url.username || url.password) return false;
    return (
      url.protocol === 'https:' ||
      (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname))
    );
  } catch {
    return false;
  }
}

/** {"enabled": boolean, "template_id": id | null}; either may be left out of an update. */
function acknowledgementPatch(
  value: unknown,
  patch: Patch,
  bad: (api_name: string, message: string) => void,
) {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return bad(
      'acknowledgement',
      'expected {"enabled": true or false, "template_id": a template id or null}',
    );
  const a = value as Record<string, unknown>;
  for (const key of Object.keys(a))
    if (key !== 'enabled' && key !== 'template_id')
      bad(`acknowledgement.${key.slice(0, 60)}`, 'no such property');
  if (a.enabled !== undefined) {
    if (typeof a.enabled !== 'boolean') bad('acknowledgement.enabled', 'expected true or false');
    else patch.ack_enabled = Number(a.enabled);
  }
  if (a.template_id !== undefined) {
    const id = a.template_id;
    if (id === null) patch.ack_template_id = null;
    else if (typeof id !== 'string' || !/^[1-9]\d{0,17}$/.test(id))
      bad('acknowledgement.template_id', 'expected a template id');
    else patch.ack_template_id = id;
  }
}

/** An acknowledgement that is on needs a template that exists. */
async function acknowledgementErrors(
  db: Executor,
  row: { ack_enabled?: number | null; ack_template_id?: string | number | null },
): Promise<FieldError[]> {
  if (Number(row.ack_enabled ?? 0) !== 1) return [];
  const id = row.ack_template_id;
  if (id !== null && id !== undefined && (await findTemplate(db, String(id)))) return [];
  return [
    {
      code: id === null || id === undefined ? 'MANDATORY_NOT_FOUND' : 'INVALID_DATA',
      api_name: 'acknowledgement.template_id',
      message:
        id === null || id === undefined
          ? 'acknowledgement.template_id is required when the acknowledgement is on'
          : `acknowledgement.template_id: no template with id ${id}`,
    },
  ];
}

type SecretColumns = Pick<
  Patch,
  'password' | 'access_token' | 'oauth_token_url' | 'oauth_client_id' | 'oauth_client_secret'
>;

/** A way in: a password, an access token, or complete client credentials (half of them is named). */
function requireSecret(row: SecretColumns): FieldError[] {
  const oauthParts = {
    token_url: row.oauth_token_url,
    client_id: row.oauth_client_id,
    client_secret: row.oauth_client_secret,
  };
  const given = Object.values(oauthParts).filter(Boolean).length;
  if (given > 0 && given < 3) {
    const missing = Object.entries(oauthParts).find(([, v]) => !v)![0];
    return [
      { code: 'MANDATORY_NOT_FOUND', api_name: `oauth.${missing}`, message: `oauth.${missing} is required` },
    ];
  }
  if (row.password || row.access_token || given === 3) return [];
  return [
    {
      code: 'MANDATORY_NOT_FOUND',
      api_name: 'password',
      message: 'password, access_token or oauth client credentials are required',
    },
  ];
}

export async function createMailbox(trx: Executor, input: unknown): Promise<MailboxRecord> {
  const result = validate(input, true);
  if ('errors' in result) throw failBatch([result.errors]);
  const missing = [...requireSecret(result.patch), ...(await acknowledgementErrors(trx, result.patch))];
  if (missing.length) throw failBatch([missing]);
  const now = nowIso();
  const row = {
    ...result.patch,
    created_time: now,
    modified_time: now,
    messages_captured: 0,
  } as Insertable<MailboxesTable>;
  const id = await repo.insertMailbox(trx, row);
  return toRecord((await repo.findMailbox(trx, id))!);
}

export async function updateMailbox(trx: Executor, id: string, input: unknown): Promise<MailboxRecord> {
  const existing = await repo.findMailbox(trx, id);
  if (!existing) throw notFound(id);
  const result = validate(input, false);
  if ('errors' in result) throw failBatch([result.errors]);
  const merged = { ...existing, ...result.patch };
  const missing = [...requireSecret(merged), ...(await acknowledgementErrors(trx, merged))];
  if (missing.length) throw failBatch([missing]);
  await repo.updateMailbox(trx, id, { ...result.patch, modified_time: nowIso() });
  return toRecord((await repo.findMailbox(trx, id))!);
}

export async function deleteMailbox(trx: Executor, id: string): Promise<void> {
  if (!(await repo.deleteMailbox(trx, id))) throw notFound(id);
}

export async function getMailbox(db: Executor, id: string): Promise<MailboxRecord> {
  const row = await repo.findMailbox(db, id);
  if (!row) throw notFound(id);
  return toRecord(row);
}

export async function listMailboxRecords(db: Executor): Promise<MailboxRecord[]> {
  return (await repo.listMailboxes(db)).map(toRecord);
}
