import { SignJWT, generateKeyPair, importJWK, type KeyLike } from 'jose';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../src/server/auth/local-issuer';
import { ENGINES, currentSigningKey, startTestServer, type TestServer } from '../server/harness';
import { fromEmailItem, tableCounts } from './helpers';

/** Bad tokens and under-privileged roles against every write route: all refused, counted, nothing written. */
describe.each(ENGINES)('token and role refusals (%s)', (engine) => {
  jest.setTimeout(60_000);
  let t: TestServer;
  let caseId: string;
  beforeAll(async () => {
    t = await startTestServer(engine);
    const r = await t.call('POST', '/crm/v6/Cases/actions/from_email', {
      json: { data: [fromEmailItem(`tok-${engine}`)] },
    });
    caseId = r.body.data[0].details.id;
    for (const role of ['viewer', 'agent', 'manager'] as const)
      await t.call('GET', '/crm/v6/Cases', { role }); // users exist before counting
  });
  afterAll(() => t.close());

  it('refuses forged, alg none, expired, wrong issuer, wrong audience, and viewer/agent writes', async () => {
    const stored = await currentSigningKey(t);
    const realKey = (await importJWK(stored.privateJwk, 'ES256')) as KeyLike;
    const { privateKey: otherKey } = await generateKeyPair('ES256');
    const now = Math.floor(Date.now() / 1000);
    const claims = { email: 'mallory@example.com', name: 'Mallory', roles: ['admin'] };
    const sign = (key: KeyLike, o: { iss?: string; aud?: string; exp?: number; kid?: string } = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: o.kid ?? stored.kid })
        .setSubject('mallory')
        .setIssuer(o.iss ?? LOCAL_ISSUER)
        .setAudience(o.aud ?? LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(o.exp ?? now + 600)
        .sign(key);
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const valid = await sign(realKey);
    const tamperedPayload = (() => {
      const [h, , s] = valid.split('.');
      return `${h}.${b64({ ...claims, roles: ['admin'], sub: 'x', email: 'eve@example.com', iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, exp: now + 600 })}.${s}`;
    })();
    const badTokens: Record<string, string> = {
      'forged signature (other key)': await sign(otherKey as KeyLike),
      'tampered payload, original signature': tamperedPayload,
      'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, sub: 'x', iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, exp: now + 600 })}.`,
      expired: await sign(realKey, { exp: now - 3600 }),
      'wrong issuer': await sign(realKey, { iss: 'https://evil.example.com' }),
      'wrong audience': await sign(realKey, { aud: 'another-api' }),
    };
    const writes = (tag: string): { method: string; route: string; json?: unknown }[] => [
      { method: 'POST', route: '/crm/v6/Cases', json: { data: [{ Subject: tag, Case_Origin: 'Phone' }] } },
      {
        method: 'POST',
        route: '/crm/v6/Cases/actions/from_email',
        json: { data: [fromEmailItem(`refused-${tag}`)] },
      },
      { method: 'PUT', route: `/crm/v6/Cases/${caseId}`, json: { data: [{ Subject: `edited by ${tag}` }] } },
      { method: 'PUT', route: '/crm/v6/Cases', json: { data: [{ id: caseId, Status: 'Closed' }] } },
      {
        method: 'POST',
        route: `/crm/v6/Cases/${caseId}/Emails`,
        json: { data: [fromEmailItem(`link-${tag}`).message] },
      },
      { method: 'POST', route: `/crm/v6/Cases/${caseId}/actions/clone`, json: { data: [{}] } },
      { method: 'DELETE', route: `/crm/v6/Cases/${caseId}` },
    ];
    const before = await tableCounts(t.server.storage.db);
    const caseBefore = (await t.call('GET', `/crm/v6/Cases/${caseId}`)).body.data[0];
    const refusals: Record<string, Record<number, number>> = {};
    const unexpected: string[] = [];
    const tally = (name: string, status: number, want: number, what: string) => {
      refusals[name] = refusals[name] ?? {};
      refusals[name][status] = (refusals[name][status] ?? 0) + 1;
      if (status !== want) unexpected.push(`${name}: ${what} → ${status}`);
    };
    for (const [name, token] of Object.entries(badTokens)) {
      for (const w of [...writes(name), { method: 'GET', route: `/crm/v6/Cases/${caseId}` }]) {
        const r = await t.call(w.method, w.route, { token, json: w.json });
        tally(name, r.status, 401, `${w.method} ${w.route}`);
      }
    }
    // A viewer may read but not write; an agent may write but not delete.
    for (const w of writes('viewer'))
      tally(
        'viewer writes',
        (await t.call(w.method, w.route, { role: 'viewer', json: w.json })).status,
        403,
        `${w.method} ${w.route}`,
      );
    tally(
      'agent delete',
      (await t.call('DELETE', `/crm/v6/Cases/${caseId}`, { role: 'agent' })).status,
      403,
      'DELETE',
    );
    expect((await t.call('GET', `/crm/v6/Cases/${caseId}`, { role: 'viewer' })).status).toBe(200);

    const total = Object.values(refusals).reduce(
      (a, by) => a + Object.values(by).reduce((x, y) => x + y, 0),
      0,
    );
    process.stdout.write(
      `token refusals (${engine}): ${total} refused\n${Object.entries(refusals)
        .map(
          ([name, by]) =>
            `  ${name.padEnd(38)} ${Object.entries(by)
              .map(([s, c]) => `${c} × ${s}`)
              .join(', ')}`,
        )
        .join('\n')}\n`,
    );
    expect(unexpected).toEqual([]);
    expect(await tableCounts(t.server.storage.db)).toEqual(before);
    const caseAfter = (await t.call('GET', `/crm/v6/Cases/${caseId}`)).body.data[0];
    expect(caseAfter).toEqual(caseBefore);
  });
});
