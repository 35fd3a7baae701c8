import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JWK } from 'jose';
import type { Role } from '../../src/shared/api-types';
import { liveSigningKeys } from '../../src/server/auth/signing-key.repository';
import { configFromEnv, type ServerConfig } from '../../src/server/config';
import { startServer, type RunningServer } from '../../src/server/server';
import { ENGINES, POSTGRES_URL, createPostgresDatabase, type EngineName } from '../postgres';

/**
 * Black-box test harness: a real server on a free loopback port, on a freshly migrated database
 * (a temp SQLite file, or a new PostgreSQL database when TEST_DATABASE_URL names a server), with real tokens.
 */
export { ENGINES, POSTGRES_URL, createPostgresDatabase, type EngineName };
if (!POSTGRES_URL && !process.env.CASEPANE_QUIET_SKIP) {
  process.stderr.write(
    'PostgreSQL tests skipped: set TEST_DATABASE_URL=postgres://user:pass@127.0.0.1/db to run them\n',
  );
}

export interface TestServer {
  url: string;
  engine: EngineName;
  server: RunningServer;
  dataDir: string;
  /** The throwaway PostgreSQL database's URL (undefined on SQLite). */
  databaseUrl?: string;
  token(role?: Role, email?: string, name?: string): Promise<string>;
  /** fetch with a bearer token for the given role; JSON body when `json` is given. */
  call(
    method: string,
    route: string,
    options?: {
      role?: Role;
      json?: unknown;
      body?: string;
      headers?: Record<string, string>;
      token?: string | null;
    },
  ): Promise<{ status: number; body: any; text: string; headers: Headers }>;
  close(): Promise<void>;
}

export async function startTestServer(
  engine: EngineName,
  overrides: Partial<ServerConfig> = {},
): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casepane-test-'));
  const pgdb = engine === 'postgres' ? await createPostgresDatabase() : undefined;
  const config: ServerConfig = {
    ...configFromEnv({}),
    port: 0,
    dataDir,
    databaseUrl: pgdb?.url,
    logLevel: 'silent',
    rateLimitPerMinute: 100_000,
    // Tests refuse many tokens on purpose; test/server/security/sign-in.test.ts sets its own limit.
    authFailuresPerMinute: 100_000,
    escalationIntervalSeconds: 0,
    // Background writes off, so a test that counts rows sees only its requests' writes; the rollup test folds.
    openCountFoldSeconds: 0,
    ...overrides,
  };
  const server = await startServer(config);
  const tokens = new Map<string, string>();
  const token = async (role: Role = 'agent', email = `${role}@example.com`, name?: string) => {
    const key = `${role}|${email}|${name}`;
    if (!tokens.has(key)) tokens.set(key, await server.issuer!.mint({ email, role, name }));
    return tokens.get(key)!;
  };
  return {
    url: server.url,
    engine,
    server,
    dataDir,
    databaseUrl: pgdb?.url,
    token,
    async call(method, route, options = {}) {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      const bearer = options.token === undefined ? await token(options.role ?? 'agent') : options.token;
      if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
      let body = options.body;
      if (options.json !== undefined) {
        body = JSON.stringify(options.json);
        headers['content-type'] = 'application/json';
      }
      const response = await fetch(`${server.url}${route}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = undefined;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: response.status, body: parsed, text, headers: response.headers };
    },
    async close() {
      await server.close();
      await pgdb?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The key the server signs with now, private half included, from signing_keys (to forge tokens in tests). */
export async function currentSigningKey(
  t: TestServer,
): Promise<{ kid: string; privateJwk: JWK; publicJwk: JWK }> {
  const keys = await liveSigningKeys(t.server.storage.db, new Date().toISOString());
  const signing = keys.find((k) => k.privateJwk !== null);
  if (!signing?.privateJwk) throw new Error('the server has no signing key');
  return { kid: signing.kid, privateJwk: signing.privateJwk, publicJwk: signing.publicJwk };
}

/** A message as the add-in sends it. */
export function message(id: string, overrides: Record<string, unknown> = {}) {
  return {
    internet_message_id: `<${id}@mail.example.com>`,
    conversation_id: `conv-${id}`,
    from: { name: 'Anna Nowak', email: 'anna.nowak@example.pl' },
    to: [{ name: 'Support', email: 'support@example.com' }],
    subject: `Printer ${id} does not print`,
    sent_time: '2026-11-20T09:15:00Z',
    body_text: 'Hello, the printer shows error E-42.',
    ...overrides,
  };
}

export function caseFromMessage(m: ReturnType<typeof message>, overrides: Record<string, unknown> = {}) {
  return {
    Subject: m.subject,
    Case_Origin: 'Email',
    Email: m.from.email,
    Reported_By: m.from.name,
    Description: m.body_text,
    ...overrides,
  };
}
