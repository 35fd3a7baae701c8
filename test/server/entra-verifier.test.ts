import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type KeyLike } from 'jose';
import { entraVerifier } from '../../src/server/auth/verifier';

/** Production sign-in: Entra ID v2.0 tokens checked against the tenant's JWKS, here served over real HTTP. */
describe('Entra ID token verification', () => {
  const tenantId = '11111111-2222-3333-4444-555555555555';
  const clientId = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
  const issuer = `https://login.microsoftonline.com/${tenantId}/v2.0`;
  let server: http.Server;
  let privateKey: KeyLike;
  let jwksUrl: string;
  let jwksRequests = 0;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'entra-key-1', alg: 'RS256', use: 'sig' };
    server = http.createServer((_req, res) => {
      jwksRequests++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/discovery/v2.0/keys`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const token = (
    claims: Record<string, unknown>,
    options: { iss?: string; aud?: string; key?: KeyLike } = {},
  ) =>
    new SignJWT({
      oid: 'oid-123',
      preferred_username: 'Anna.Nowak@Contoso.com',
      name: 'Anna Nowak',
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'entra-key-1' })
      .setSubject('pairwise-sub')
      .setIssuer(options.iss ?? issuer)
      .setAudience(options.aud ?? `api://${clientId}`)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(options.key ?? privateKey);

  it('accepts a tenant token, maps app roles, and keys the user by object id', async () => {
    const verifier = entraVerifier({ tenantId, clientId, defaultRole: 'viewer', jwksUrl });
    const principal = await verifier.verify(await token({ roles: ['Casepane.Agent', 'Casepane.Manager'] }));
    expect(principal).toEqual({
      externalId: `${issuer}|oid-123`,
      email: 'anna.nowak@contoso.com',
      name: 'Anna Nowak',
      role: 'manager',
      // Only the local issuer's pane sign-in is the client's word; an Entra user is refreshed from each token.
      paneSignIn: false,
    });
    expect(jwksRequests).toBeGreaterThan(0);
    expect((await verifier.verify(await token({}, { aud: clientId }))).role).toBe('viewer');
  });

  it('refuses another tenant, another audience, and another key', async () => {
    const verifier = entraVerifier({ tenantId, clientId, defaultRole: 'viewer', jwksUrl });
    const { privateKey: stranger } = await generateKeyPair('RS256');
    for (const bad of [
      await token({}, { iss: 'https://login.microsoftonline.com/99999999-0000-0000-0000-000000000000/v2.0' }),
      await token({}, { aud: 'api://another-app' }),
      await token({}, { key: stranger as KeyLike }),
    ]) {
      await expect(verifier.verify(bad)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    }
  });
});
