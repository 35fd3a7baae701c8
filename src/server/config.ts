import net from 'node:net';
import path from 'node:path';
import type { Role } from '../shared/api-types';
import { DEFAULT_LOCAL_KEYS, type LocalKeySettings } from './auth/local-issuer';
import { isRole } from './auth/roles';
import { type ImportLimits, importLimitsFromEnv } from './imports/limits';
import { allowedPrivate } from './notifications/address-guard';
import { DEFAULT_NOTIFICATION_SETTINGS, type NotificationSettings } from './notifications/settings';
import { DEFAULT_OUTBOX_SETTINGS, type OutboxSettings } from './outbox/outbox';
import type { S3BlobSettings } from './attachments/s3-blob-store';

/** Where attachment bytes live (BLOB_STORE): files under DATA_DIR/blobs by default, or a store every node shares. */
export type BlobStoreSettings = { kind: 'file' } | { kind: 's3'; s3: S3BlobSettings } | { kind: 'postgres' };

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  auth:
    | { mode: 'local' }
    | { mode: 'entra'; tenantId: string; clientId: string; apiScope: string; defaultRole: Role };
  /** Requests per minute per user on /crm routes. */
  rateLimitPerMinute: number;
  /** 401 and 403 answers per minute per client IP before that IP gets 429 (0 = no limit). */
  authFailuresPerMinute: number;
  /** Built task pane to serve on the API's origin (dist/addin), if present. */
  addinDir?: string;
  /** Origins allowed to call the API from a browser when the pane is served elsewhere. */
  corsOrigins: string[];
  /** Custom case fields file (admin config); defaults to DATA_DIR/fields.json when that exists. */
  fieldsFile?: string;
  logLevel: string;
  /** Local mode: how long a signing key signs, and the longest token (LOCAL_KEY_ROTATION_DAYS, LOCAL_TOKEN_MAX_HOURS). */
  localKeys: LocalKeySettings;
  /** Local mode only: POST /auth/local/token on loopback (LOCAL_SIGNIN=off turns it off). */
  localSignIn: boolean;
  /**
   * Origins whose pages may use the local sign-in (LOCAL_SIGNIN_ORIGINS): the pane's. The API's own origin is
   * added by itself when it serves the pane (ADDIN_DIR).
   */
  localSignInOrigins: string[];
  /** How often the escalation rules run inside the server; 0 turns the schedule off. */
  escalationIntervalSeconds: number;
  /** How often the open-case counters' appended rows are folded into one per combination; 0 never. */
  openCountFoldSeconds: number;
  /** Cases from support mailboxes over IMAP (MAILBOX_CAPTURE=off turns reading off). */
  mailboxCapture: boolean;
  /** Seconds between polls of a mailbox whose server has no IDLE, and between looks for new mailboxes. */
  mailboxPollSeconds: number;
  /** A message larger than this (IMAP RFC822.SIZE) is recorded as an error and never downloaded. */
  mailboxMaxMessageBytes: number;
  /** smtp://user:password@host:port for sending from cases; unset: sending is off. */
  smtpUrl?: string;
  smtpFrom: string;
  /** The origin visitors reach this server on (Web-to-Case links); defaults to http://localhost:PORT. */
  publicOrigin?: string;
  /** Web-to-Case submissions (and page views) per minute per IP address. */
  webFormsPerMinute: number;
  /**
   * Proxies (addresses, CIDR ranges, or loopback / linklocal / uniquelocal) whose X-Forwarded-For, -Proto and
   * -Host are believed; empty: none, every client is its TCP peer.
   */
  trustedProxies: string[];
  /** The limit store every node shares (redis://…); unset: each process counts in its own memory. */
  redisUrl?: string;
  /** Delivery of outgoing mail after commit: OUTBOX_* and MAIL_WAIT_MS in the README. */
  outbox: OutboxSettings;
  /** Caps on one import (rows, seconds, unpacked sizes): IMPORT_MAX_* in the README. */
  importLimits: ImportLimits;
  /** BLOB_STORE and its S3_* settings. */
  blobStore: BlobStoreSettings;
  /** The Notification API (/crm/v6/actions/watch): NOTIFY_* in the README. */
  notifications: NotificationSettings;
}

/** The webpack dev server of `npm start`, where the pane comes from unless the API serves it (the manifest's default). */
export const DEV_PANE_ORIGIN = 'https://localhost:3000';

/** scheme://host[:port] exactly, http or https, normalised as browsers send it in Origin. */
function origins(value: string | undefined, fallback: string[], name: string): string[] {
  if (value === undefined || value.trim() === '') return fallback;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      let url: URL | undefined;
      try {
        url = new URL(entry);
      } catch {
        url = undefined;
      }
      const originOnly =
        url && url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
      if (!url || !originOnly || !/^https?:$/.test(url.protocol))
        throw new Error(`${name}: "${entry}" is not an origin (expected e.g. https://localhost:3000)`);
      return url.origin;
    });
}

function integer(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

/** A positive number, fractions allowed (tests rotate keys in seconds), at most `max`. */
function positive(value: string | undefined, fallback: number, name: string, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > max)
    throw new Error(`${name} must be a number above 0 and at most ${max}, got "${value}"`);
  return n;
}

function notificationsFromEnv(env: NodeJS.ProcessEnv): NotificationSettings {
  const allowPrivateHosts = (env.NOTIFY_ALLOW_PRIVATE_HOSTS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  allowedPrivate(allowPrivateHosts); // refuses a bad entry at start, not at the first delivery
  const d = DEFAULT_NOTIFICATION_SETTINGS;
  return {
    allowPrivateHosts,
    timeoutMs: positive(env.NOTIFY_TIMEOUT_MS, d.timeoutMs, 'NOTIFY_TIMEOUT_MS', 600_000),
    maxChannelsPerUser: Math.ceil(
      positive(env.NOTIFY_MAX_CHANNELS, d.maxChannelsPerUser, 'NOTIFY_MAX_CHANNELS', 100_000),
    ),
  };
}

/**
 * BLOB_STORE and the S3_* settings; `prefix` reads the same names with a prefix in front (the blob mover's
 * FROM_S3_BUCKET, …) so one process can name two stores.
 */
export function blobStoreFromEnv(env: NodeJS.ProcessEnv, kind?: string, prefix = ''): BlobStoreSettings {
  const store = kind ?? (env[`${prefix}BLOB_STORE`] || 'file');
  if (store === 'file') return { kind: 'file' };
  // The attachment_blobs table in the database DATABASE_URL names (checked when the store is opened).
  if (store === 'postgres') return { kind: 'postgres' };
  if (store === 's3') {
    const get = (name: string) => env[`${prefix}${name}`] || undefined;
    const bucket = get('S3_BUCKET');
    if (!bucket) throw new Error(`BLOB_STORE=s3 needs ${prefix}S3_BUCKET`);
    const accessKeyId = get('S3_ACCESS_KEY_ID');
    const secretAccessKey = get('S3_SECRET_ACCESS_KEY');
    if (!accessKeyId !== !secretAccessKey)
      throw new Error(`${prefix}S3_ACCESS_KEY_ID and ${prefix}S3_SECRET_ACCESS_KEY go together`);
    const forcePathStyle = get('S3_FORCE_PATH_STYLE');
    if (forcePathStyle && !['true', 'false', '1', '0'].includes(forcePathStyle))
      throw new Error(`${prefix}S3_FORCE_PATH_STYLE must be true or false`);
    return {
      kind: 's3',
      s3: {
        bucket,
        endpoint: get('S3_ENDPOINT'),
        region: get('S3_REGION') || env.AWS_REGION || 'us-east-1',
        credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
        // A custom endpoint is almost always MinIO or Ceph, which want the bucket in the path.
        forcePathStyle: forcePathStyle
          ? forcePathStyle === 'true' || forcePathStyle === '1'
          : !!get('S3_ENDPOINT'),
        prefix: get('S3_PREFIX') ?? '',
      },
    };
  }
  throw new Error(`${prefix}BLOB_STORE must be file, s3 or postgres, got "${store}"`);
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function trustedProxiesOf(value: string | undefined): string[] {
  const entries = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const family = net.isIP(address);
    const bitsOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!PROXY_NAMES.includes(entry) && (!family || !bitsOk || extra !== undefined))
      throw new Error(
        `TRUSTED_PROXIES: "${entry}" is not an IP address, a CIDR range or one of ${PROXY_NAMES.join(', ')}`,
      );
  }
  return entries;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const blobStore = blobStoreFromEnv(env);
  if (blobStore.kind === 'postgres' && !/^postgres(ql)?:\/\//.test(env.DATABASE_URL ?? ''))
    throw new Error(
      'BLOB_STORE=postgres needs DATABASE_URL=postgres://… (the attachment_blobs table is in PostgreSQL)',
    );
  const dataDir = path.resolve(env.DATA_DIR || 'data');
  const mode = env.AUTH_MODE || (env.ENTRA_TENANT_ID ? 'entra' : 'local');
  let auth: ServerConfig['auth'];
  if (mode === 'entra') {
    const tenantId = env.ENTRA_TENANT_ID;
    const clientId = env.ENTRA_CLIENT_ID;
    if (!tenantId || !clientId) throw new Error('AUTH_MODE=entra needs ENTRA_TENANT_ID and ENTRA_CLIENT_ID');
    const defaultRole = env.DEFAULT_ROLE || 'viewer';
    if (!isRole(defaultRole)) throw new Error(`DEFAULT_ROLE must be viewer, agent, manager or admin`);
    auth = {
      mode,
      tenantId,
      clientId,
      apiScope: env.ENTRA_API_SCOPE || `api://${clientId}/Cases.ReadWrite`,
      defaultRole,
    };
  } else if (mode === 'local') {
    auth = { mode };
  } else {
    throw new Error(`AUTH_MODE must be local or entra, got "${mode}"`);
  }
  return {
    port: integer(env.PORT, 3001, 'PORT'),
    host: env.HOST || '127.0.0.1',
    dataDir,
    databaseUrl: env.DATABASE_URL || undefined,
    auth,
    rateLimitPerMinute: integer(env.RATE_LIMIT_PER_MINUTE, 1200, 'RATE_LIMIT_PER_MINUTE'),
    authFailuresPerMinute: integer(env.AUTH_FAILURES_PER_MINUTE, 60, 'AUTH_FAILURES_PER_MINUTE'),
    addinDir: env.ADDIN_DIR ? path.resolve(env.ADDIN_DIR) : undefined,
    corsOrigins: (env.CORS_ORIGINS || '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    fieldsFile: env.CASEPANE_FIELDS_FILE ? path.resolve(env.CASEPANE_FIELDS_FILE) : undefined,
    logLevel: env.LOG_LEVEL || 'info',
    localKeys: {
      rotationSeconds:
        positive(
          env.LOCAL_KEY_ROTATION_DAYS,
          DEFAULT_LOCAL_KEYS.rotationSeconds / 86_400,
          'LOCAL_KEY_ROTATION_DAYS',
          3650,
        ) * 86_400,
      // Whole seconds: a JWT's exp is one.
      maxTokenSeconds: Math.max(
        1,
        Math.round(
          positive(
            env.LOCAL_TOKEN_MAX_HOURS,
            DEFAULT_LOCAL_KEYS.maxTokenSeconds / 3600,
            'LOCAL_TOKEN_MAX_HOURS',
            8760,
          ) * 3600,
        ),
      ),
    },
    localSignIn: env.LOCAL_SIGNIN !== 'off',
    localSignInOrigins: origins(env.LOCAL_SIGNIN_ORIGINS, [DEV_PANE_ORIGIN], 'LOCAL_SIGNIN_ORIGINS'),
    smtpUrl: env.SMTP_URL || undefined,
    publicOrigin: env.PUBLIC_ORIGIN?.replace(/\/$/, '') || undefined,
    trustedProxies: trustedProxiesOf(env.TRUSTED_PROXIES),
    redisUrl: env.REDIS_URL || undefined,
    webFormsPerMinute: integer(env.WEB_FORMS_PER_MINUTE, 30, 'WEB_FORMS_PER_MINUTE'),
    smtpFrom: env.SMTP_FROM || 'Casepane Support <support@localhost>',
    escalationIntervalSeconds: integer(env.ESCALATION_INTERVAL_SECONDS, 300, 'ESCALATION_INTERVAL_SECONDS'),
    openCountFoldSeconds: integer(env.OPEN_COUNT_FOLD_SECONDS, 30, 'OPEN_COUNT_FOLD_SECONDS'),
    mailboxCapture: env.MAILBOX_CAPTURE !== 'off',
    mailboxPollSeconds: positive(env.MAILBOX_POLL_SECONDS, 30, 'MAILBOX_POLL_SECONDS', 86_400),
    mailboxMaxMessageBytes: integer(
      env.MAILBOX_MAX_MESSAGE_BYTES,
      30 * 1024 * 1024,
      'MAILBOX_MAX_MESSAGE_BYTES',
    ),
    importLimits: importLimitsFromEnv(env),
    blobStore,
    notifications: notificationsFromEnv(env),
    outbox: {
      ...DEFAULT_OUTBOX_SETTINGS,
      leaseSeconds: positive(
        env.OUTBOX_LEASE_SECONDS,
        DEFAULT_OUTBOX_SETTINGS.leaseSeconds,
        'OUTBOX_LEASE_SECONDS',
        86_400,
      ),
      retrySeconds: positive(
        env.OUTBOX_RETRY_SECONDS,
        DEFAULT_OUTBOX_SETTINGS.retrySeconds,
        'OUTBOX_RETRY_SECONDS',
        86_400,
      ),
      pollSeconds: positive(
        env.OUTBOX_POLL_SECONDS,
        DEFAULT_OUTBOX_SETTINGS.pollSeconds,
        'OUTBOX_POLL_SECONDS',
        86_400,
      ),
      waitMs: integer(env.MAIL_WAIT_MS, DEFAULT_OUTBOX_SETTINGS.waitMs, 'MAIL_WAIT_MS'),
    },
  };
}
