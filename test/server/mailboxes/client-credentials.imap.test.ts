import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { accessTokenFor, forgetToken, TokenEndpointError } from '../../../src/server/mailboxes/oauth-token';
import type { MailboxRow } from '../../../src/server/mailboxes/mailbox.repository';
import { ENGINES, startTestServer, type TestServer } from '../harness';
import { IMAP_TESTS_RUN, startDovecot, type Dovecot } from '../imap/dovecot';
import { draftOf, inputOf } from '../../../src/addin/taskpane/features/admin/mailbox-draft';
import { eml } from './corpus';

/**
 * Exchange Online's app-only IMAP: the admin stores an Entra app's client id and secret, and the server gets
 * the XOAUTH2 access token itself with the client-credentials grant (RFC 6749 §4.4), renews it before it
 * expires, and asks again after a refusal. The token endpoint here follows RFC 6749 §5.1/§5.2; Dovecot checks
 * the tokens it is given against the same endpoint's introspection (as Exchange checks Entra's).
 */
const CLIENT = { id: 'casepane-app', secret: 's3cret-value-never-shown' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface TokenEndpoint {
  url: string;
  introspectionUrl: string;
  requests: URLSearchParams[];
  /** Seconds each new token lives (expires_in). */
  lifetime: number;
  /** Who the tokens sign in as (the mailbox address). */
  username: string;
  close(): void;
}

async function startTokenEndpoint(): Promise<TokenEndpoint> {
  const issued = new Set<string>();
  const state: Omit<TokenEndpoint, 'url' | 'introspectionUrl' | 'close'> = {
    requests: [],
    lifetime: 3600,
    username: '',
  };
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const form = new URLSearchParams(body);
      response.setHeader('content-type', 'application/json');
      if (request.url === '/introspect') {
        const active = issued.has(form.get('token') ?? '');
        return response.end(
          JSON.stringify(active ? { active: true, username: state.username } : { active: false }),
        );
      }
      state.requests.push(form);
      if (form.get('grant_type') !== 'client_credentials')
        return response.writeHead(400).end(JSON.stringify({ error: 'unsupported_grant_type' }));
      if (form.get('client_id') !== CLIENT.id || form.get('client_secret') !== CLIENT.secret)
        return response.writeHead(401).end(
          JSON.stringify({
            error: 'invalid_client',
            error_description: 'AADSTS7000215: Invalid client secret',
          }),
        );
      const token = `token-${issued.size + 1}`;
      issued.add(token);
      response.end(JSON.stringify({ token_type: 'Bearer', expires_in: state.lifetime, access_token: token }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/token`,
    introspectionUrl: `http://127.0.0.1:${port}/introspect`,
    close: () => server.close(),
  });
}

describe('OAuth2 client-credentials tokens for a mailbox', () => {
  let endpoint: TokenEndpoint;
  const mailbox = (overrides: Partial<MailboxRow> = {}) =>
    ({
      id: 'unit-1',
      oauth_token_url: endpoint.url,
      oauth_client_id: CLIENT.id,
      oauth_client_secret: CLIENT.secret,
      oauth_scope: null,
      access_token: null,
      ...overrides,
    }) as MailboxRow;
  beforeAll(async () => {
    endpoint = await startTokenEndpoint();
  });
  afterAll(() => endpoint.close());

  it("asks with Exchange Online's scope, keeps the token, renews it a minute before it expires", async () => {
    endpoint.lifetime = 600;
    const start = Date.now();
    const first = await accessTokenFor(mailbox(), start);
    const form = endpoint.requests.at(-1)!;
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'client_credentials',
      client_id: CLIENT.id,
      client_secret: CLIENT.secret,
      scope: 'https://outlook.office365.com/.default',
    });
    expect(await accessTokenFor(mailbox(), start + 500_000)).toBe(first);
    expect(endpoint.requests).toHaveLength(1);
    const renewed = await accessTokenFor(mailbox(), start + 541_000);
    expect(renewed).not.toBe(first);
    expect(endpoint.requests).toHaveLength(2);
    // Refused by the IMAP server: forgotten, so the next sign-in asks again.
    forgetToken('unit-1');
    expect(await accessTokenFor(mailbox(), start + 542_000)).not.toBe(renewed);
    // Another secret never reuses a token issued for the old one.
    await expect(accessTokenFor(mailbox({ oauth_client_secret: 'wrong' }), start + 543_000)).rejects.toThrow(
      TokenEndpointError,
    );
  });

  it("reports the endpoint's refusal in its own words, never the secret", async () => {
    const error = await accessTokenFor(mailbox({ id: 'unit-2', oauth_client_secret: 'not-it' })).catch(
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect((error as Error).message).toContain('HTTP 401: invalid_client: AADSTS7000215');
    expect((error as Error).message).not.toContain('not-it');
  });

  it('without client credentials, signs in with the stored token (or none for a password)', async () => {
    expect(await accessTokenFor(mailbox({ oauth_token_url: null, access_token: 'stored' }))).toBe('stored');
    expect(await accessTokenFor(mailbox({ oauth_token_url: null }))).toBeUndefined();
  });
});

describe.each(ENGINES)('mailbox settings with client credentials (%s)', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine, { mailboxCapture: false });
  });
  afterAll(async () => t?.close());
  const create = (overrides: Record<string, unknown>) =>
    t.call('POST', '/crm/v6/settings/mailboxes', {
      role: 'admin',
      json: {
        mailboxes: [
          { name: 'M365', host: 'outlook.office365.com', user: 'support@example.com', ...overrides },
        ],
      },
    });

  it('stores them without ever showing the secret, and refuses what cannot work naming the field', async () => {
    const oauth = {
      token_url: 'https://login.microsoftonline.com/contoso/oauth2/v2.0/token',
      client_id: 'app',
    };
    const created = await create({ oauth: { ...oauth, client_secret: CLIENT.secret } });
    expect(created.status).toBe(201);
    const id = created.body.mailboxes[0].details.id;
    const shown = await t.call('GET', `/crm/v6/settings/mailboxes/${id}`, { role: 'admin' });
    expect(shown.body.mailboxes[0]).toMatchObject({
      password_set: false,
      oauth: { ...oauth, scope: 'https://outlook.office365.com/.default', client_secret_set: true },
    });
    expect(JSON.stringify(shown.body)).not.toContain(CLIENT.secret);

    const refusals: [Record<string, unknown>, string][] = [
      [
        { oauth: { ...oauth, token_url: 'http://login.example.com/token', client_secret: 'x' } },
        'oauth.token_url',
      ],
      [
        { oauth: { ...oauth, token_url: 'https://user:pw@login.example.com/t', client_secret: 'x' } },
        'oauth.token_url',
      ],
      [{ oauth: oauth }, 'oauth.client_secret'],
      [{ oauth: { ...oauth, client_secret: 'x', tenant: 'contoso' } }, 'oauth.tenant'],
      [{ oauth: { ...oauth, client_secret: 'line\nbreak' } }, 'oauth.client_secret'],
      [{ oauth: 'app:secret' }, 'oauth'],
    ];
    for (const [input, apiName] of refusals) {
      const r = await create(input);
      expect({
        status: r.status,
        api_name: JSON.stringify(r.body).includes(`"api_name":"${apiName}"`),
      }).toEqual({
        status: 400,
        api_name: true,
      });
    }
    const list = await t.call('GET', '/crm/v6/settings/mailboxes', { role: 'admin' });
    expect(list.body.mailboxes).toHaveLength(1);
    // Turned off, the mailbox needs another way in.
    const off = await t.call('PUT', `/crm/v6/settings/mailboxes/${id}`, {
      role: 'admin',
      json: { mailboxes: [{ oauth: null }] },
    });
    expect(off.status).toBe(400);
    expect(JSON.stringify(off.body)).toContain('"api_name":"password"');
  });

  it("takes the pane's Mailboxes form requests as the admin switches between the three sign-ins", async () => {
    // The form's own request builder (src/addin/.../mailbox-draft.ts), so the pane and the server cannot drift.
    const stored = async (id: string) =>
      (await t.call('GET', `/crm/v6/settings/mailboxes/${id}`, { role: 'admin' })).body.mailboxes[0];
    const put = async (id: string, input: unknown) =>
      t.call('PUT', `/crm/v6/settings/mailboxes/${id}`, { role: 'admin', json: { mailboxes: [input] } });
    const base = {
      ...draftOf(null),
      name: 'Form',
      host: 'outlook.office365.com',
      user: 'support@example.com',
    };
    const created = await t.call('POST', '/crm/v6/settings/mailboxes', {
      role: 'admin',
      json: { mailboxes: [inputOf({ ...base, signIn: 'token', accessToken: 'eyJ0-from-elsewhere' })] },
    });
    expect(created.status).toBe(201);
    const id = created.body.mailboxes[0].details.id;

    let before = await stored(id);
    const oauthDraft = {
      ...draftOf(before),
      signIn: 'oauth' as const,
      tokenUrl: 'https://login.microsoftonline.com/contoso/oauth2/v2.0/token',
      clientId: 'app',
      clientSecret: CLIENT.secret,
    };
    expect((await put(id, inputOf(oauthDraft, before))).status).toBe(200);
    before = await stored(id);
    expect(before).toMatchObject({
      access_token_set: false,
      oauth: { client_id: 'app', scope: 'https://outlook.office365.com/.default', client_secret_set: true },
    });
    // Reopened and saved without retyping the secret: it stays.
    expect((await put(id, inputOf({ ...draftOf(before), clientId: 'app-2' }, before))).status).toBe(200);
    before = await stored(id);
    expect(before.oauth).toMatchObject({ client_id: 'app-2', client_secret_set: true });

    // Back to a password: nothing stored would win over it any more.
    const back = inputOf({ ...draftOf(before), signIn: 'password', password: 'pw' }, before);
    expect((await put(id, back)).status).toBe(200);
    expect(await stored(id)).toMatchObject({ password_set: true, access_token_set: false, oauth: null });
  });
});

const describeImap = IMAP_TESTS_RUN ? describe : describe.skip;

describeImap('capture with client credentials against a real Dovecot (XOAUTH2)', () => {
  let endpoint: TokenEndpoint;
  let dovecot: Dovecot;
  let t: TestServer;
  const subjects = async () =>
    (await t.server.storage.db.selectFrom('cases').select('subject').orderBy('id').execute()).map(
      (c) => c.subject,
    );
  async function until<T>(what: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
    for (const deadline = Date.now() + ms; ; await sleep(100)) {
      const value = await what();
      if (value) return value;
      if (Date.now() > deadline) throw new Error('timed out waiting');
    }
  }

  beforeAll(async () => {
    endpoint = await startTokenEndpoint();
    dovecot = await startDovecot({ oauth2IntrospectionUrl: endpoint.introspectionUrl });
    endpoint.username = dovecot.user;
    t = await startTestServer('sqlite', { mailboxCapture: true, mailboxPollSeconds: 0.5 });
  });
  afterAll(async () => {
    await t?.close();
    await dovecot?.stop();
    endpoint?.close();
  });

  it('gets a token, captures, shows a refused secret as the status, and recovers when the secret is fixed', async () => {
    const created = await t.call('POST', '/crm/v6/settings/mailboxes', {
      role: 'admin',
      json: {
        mailboxes: [
          {
            name: 'M365',
            host: dovecot.host,
            port: dovecot.port,
            secure: false,
            starttls: false,
            user: dovecot.user,
            oauth: { token_url: endpoint.url, client_id: CLIENT.id, client_secret: CLIENT.secret },
          },
        ],
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.mailboxes[0].details.id;
    const message = (n: number) =>
      eml({
        from: 'A <a@klient.pl>',
        messageId: `<cc-${n}@klient.pl>`,
        subject: `Client credentials ${n}`,
        text: 'x',
      });
    await dovecot.append([await message(1)]);
    await until(async () => (await subjects()).includes('Client credentials 1'));
    expect(endpoint.requests.length).toBeGreaterThanOrEqual(1);

    const status = async () =>
      (await t.call('GET', `/crm/v6/settings/mailboxes/${id}`, { role: 'admin' })).body.mailboxes[0].status;
    await t.call('PUT', `/crm/v6/settings/mailboxes/${id}`, {
      role: 'admin',
      json: { mailboxes: [{ oauth: { client_secret: 'an-old-secret' } }] },
    });
    const failed = await until(async () => {
      const s = await status();
      return s.last_error?.includes('invalid_client') ? s : undefined;
    });
    expect(failed.last_error).toContain('AADSTS7000215');
    expect(failed.last_error).not.toContain('an-old-secret');

    await t.call('PUT', `/crm/v6/settings/mailboxes/${id}`, {
      role: 'admin',
      json: { mailboxes: [{ oauth: { client_secret: CLIENT.secret } }] },
    });
    await dovecot.append([await message(2)]);
    await until(async () => (await subjects()).includes('Client credentials 2'));
    expect(await subjects()).toEqual(['Client credentials 1', 'Client credentials 2']);
    await until(async () => ((await status()).last_error === null ? true : undefined));
  }, 90_000);
});
