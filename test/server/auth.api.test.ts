import { SignJWT, generateKeyPair, importJWK, type KeyLike } from 'jose';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../src/server/auth/local-issuer';
import { currentSigningKey, startTestServer, type TestServer } from './harness';

/** Token checks need only one engine: authentication runs before any storage access. */
describe('authentication and authorisation', () => {
  let t: TestServer;
  let realKey: KeyLike;
  let kid: string;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
    const stored = await currentSigningKey(t);
    realKey = (await importJWK(stored.privateJwk, 'ES256')) as KeyLike;
    kid = stored.kid;
  });
  afterAll(() => t.close());

  const claims = { email: 'mallory@example.com', name: 'Mallory', roles: ['admin'] };
  const sign = (
    key: KeyLike,
    options: { iss?: string; aud?: string; exp?: number; kid?: string; alg?: string } = {},
  ) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: options.alg ?? 'ES256', kid: options.kid ?? kid })
      .setSubject('mallory')
      .setIssuer(options.iss ?? LOCAL_ISSUER)
      .setAudience(options.aud ?? LOCAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.exp ?? Math.floor(Date.now() / 1000) + 600)
      .sign(key);
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

  it('accepts a valid token as Bearer and as Zoho-oauthtoken', async () => {
    const token = await sign(realKey);
    expect((await t.call('GET', '/crm/v6/users?type=CurrentUser', { token })).status).toBe(200);
    const zoho = await t.call('GET', '/crm/v6/users?type=CurrentUser', {
      token: null,
      headers: { authorization: `Zoho-oauthtoken ${token}` },
    });
    expect(zoho.status).toBe(200);
    expect(zoho.body.users[0]).toMatchObject({ email: 'mallory@example.com', role: { name: 'admin' } });
  });

  it('refuses every kind of bad token with 401 and writes nothing', async () => {
    const { privateKey: otherKey } = await generateKeyPair('ES256');
    const now = Math.floor(Date.now() / 1000);
    const refused: Record<string, string | null> = {
      missing: null,
      garbage: 'not.a.token',
      'forged signature': await sign(otherKey as KeyLike),
      expired: await sign(realKey, { exp: now - 3600 }),
      'wrong issuer': await sign(realKey, { iss: 'https://evil.example.com' }),
      'wrong audience': await sign(realKey, { aud: 'another-api' }),
      'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, sub: 'x', iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, exp: now + 600 })}.`,
      'HS256 with the public key as secret': await (async () => {
        const jwk = (await currentSigningKey(t)).publicJwk;
        return new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', kid })
          .setIssuer(LOCAL_ISSUER)
          .setAudience(LOCAL_AUDIENCE)
          .setSubject('x')
          .setExpirationTime(now + 600)
          .sign(new TextEncoder().encode(JSON.stringify(jwk)));
      })(),
    };
    const before = await t.call('GET', '/crm/v6/Cases');
    for (const [name, token] of Object.entries(refused)) {
      const r = await t.call('POST', '/crm/v6/Cases', {
        token,
        json: { data: [{ Subject: name, Case_Origin: 'Phone' }] },
      });
      expect([name, r.status, r.body.status]).toEqual([name, 401, 'error']);
      expect(['INVALID_TOKEN', 'AUTHENTICATION_FAILURE']).toContain(r.body.code);
    }
    const after = await t.call('GET', '/crm/v6/Cases');
    expect(after.status).toBe(before.status);
  });

  it('maps roles to view / edit / delete: a viewer reads but cannot write, an agent cannot delete', async () => {
    const created = await t.call('POST', '/crm/v6/Cases', {
      role: 'agent',
      json: { data: [{ Subject: 'role check', Case_Origin: 'Phone' }] },
    });
    const id = created.body.data[0].details.id;
    expect((await t.call('GET', `/crm/v6/Cases/${id}`, { role: 'viewer' })).status).toBe(200);
    const viewerEdit = await t.call('PUT', `/crm/v6/Cases/${id}`, {
      role: 'viewer',
      json: { data: [{ Status: 'Closed' }] },
    });
    expect(viewerEdit.status).toBe(403);
    expect(viewerEdit.body).toMatchObject({ code: 'NO_PERMISSION', status: 'error' });
    expect(
      (
        await t.call('POST', '/crm/v6/Cases', {
          role: 'viewer',
          json: { data: [{ Subject: 'x', Case_Origin: 'Phone' }] },
        })
      ).status,
    ).toBe(403);
    expect((await t.call('DELETE', `/crm/v6/Cases/${id}`, { role: 'viewer' })).status).toBe(403);
    expect((await t.call('DELETE', `/crm/v6/Cases/${id}`, { role: 'agent' })).status).toBe(403);
    expect((await t.call('GET', `/crm/v6/Cases/${id}`)).body.data[0].Status).toBe('New');
    expect((await t.call('DELETE', `/crm/v6/Cases/${id}`, { role: 'admin' })).status).toBe(200);
  });

  it('signs the Outlook user in locally as an agent, on loopback only', async () => {
    // The pane's page sends its Origin (the dev server's by default); test/server/security/sign-in.test.ts has the rest.
    const pane = { origin: 'https://localhost:3000' };
    const r = await t.call('POST', '/auth/local/token', {
      token: null,
      headers: pane,
      json: { email: 'ola@example.pl', name: 'Ola Nowak' },
    });
    expect(r.status).toBe(200);
    const me = await t.call('GET', '/crm/v6/users?type=CurrentUser', { token: r.body.access_token });
    expect(me.body.users[0]).toMatchObject({ full_name: 'Ola Nowak', role: { name: 'agent' } });
    expect(
      (await t.call('POST', '/auth/local/token', { token: null, headers: pane, json: { email: 'nope' } }))
        .status,
    ).toBe(400);
    expect((await t.call('GET', '/auth/config', { token: null })).body).toEqual({ mode: 'local' });
    const jwks = await t.call('GET', '/.well-known/jwks.json', { token: null });
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', kid });
    expect(jwks.body.keys[0].d).toBeUndefined();
  });

  it('limits requests per user with 429', async () => {
    const limited = await startTestServer('sqlite', { rateLimitPerMinute: 3 });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await limited.call('GET', '/crm/v6/users?type=CurrentUser')).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const r = await limited.call('GET', '/crm/v6/users?type=CurrentUser');
      expect(r.body).toMatchObject({ code: 'TOO_MANY_REQUESTS', status: 'error' });
      // Another user has their own budget.
      expect((await limited.call('GET', '/crm/v6/users?type=CurrentUser', { role: 'manager' })).status).toBe(
        200,
      );
    } finally {
      await limited.close();
    }
  });
});
