import { configFromEnv } from '../../src/server/config';
import { ENGINES, startTestServer, type TestServer } from './harness';

/**
 * Behind a load balancer every request comes from the proxy's address. TRUSTED_PROXIES names the proxies whose
 * X-Forwarded-For / X-Forwarded-Proto are believed (issue 15, item 3): per-IP limits then count the visitor, and
 * links carry the scheme the visitor used. A request from anywhere else keeps its own address, whatever it claims.
 */
describe.each(ENGINES)('TRUSTED_PROXIES on %s', (engine) => {
  const forms = async (t: TestServer) => {
    const r = await t.call('POST', '/crm/v6/settings/web_forms', {
      role: 'admin',
      json: { data: [{ name: 'Support', fields: ['Subject', 'Email'] }] },
    });
    expect(r.status).toBe(201);
    return r.body.data[0].details as { form_key: string; url: string };
  };
  const submit = async (t: TestServer, key: string, forwardedFor?: string) =>
    (
      await fetch(`${t.url}/forms/${key}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
        },
        body: JSON.stringify({ Subject: 'From the web', Email: 'visitor@example.com' }),
      })
    ).status;

  it('behind a trusted proxy, the web-form allowance is per visitor, and links keep the https the visitor used', async () => {
    const t = await startTestServer(engine, { webFormsPerMinute: 2, trustedProxies: ['127.0.0.1/8'] });
    try {
      const { form_key: key } = await forms(t);
      expect([await submit(t, key, '203.0.113.7'), await submit(t, key, '203.0.113.7')]).toEqual([201, 201]);
      expect(await submit(t, key, '203.0.113.7')).toBe(429);
      // Another visitor through the same proxy has an allowance of their own.
      expect(await submit(t, key, '198.51.100.9')).toBe(201);

      const listed = await fetch(`${t.url}/crm/v6/settings/web_forms`, {
        headers: {
          authorization: `Bearer ${await t.token('admin')}`,
          'x-forwarded-proto': 'https',
          'x-forwarded-host': 'support.example.com',
        },
      });
      const body = (await listed.json()) as { web_forms: { url: string }[] };
      expect(body.web_forms[0].url).toMatch(/^https:\/\/support\.example\.com\/forms\//);
    } finally {
      await t.close();
    }
  });

  it('without it, forwarding headers are not believed: a client cannot pick a fresh address per request', async () => {
    const t = await startTestServer(engine, { webFormsPerMinute: 2 });
    try {
      const { form_key: key } = await forms(t);
      expect([await submit(t, key, '203.0.113.1'), await submit(t, key, '203.0.113.2')]).toEqual([201, 201]);
      expect(await submit(t, key, '203.0.113.3')).toBe(429);
    } finally {
      await t.close();
    }
  });
});

it('reads TRUSTED_PROXIES as a list of addresses and ranges', () => {
  expect(configFromEnv({}).trustedProxies).toEqual([]);
  expect(configFromEnv({ TRUSTED_PROXIES: '10.0.0.1, 192.168.0.0/16,loopback' }).trustedProxies).toEqual([
    '10.0.0.1',
    '192.168.0.0/16',
    'loopback',
  ]);
  expect(() => configFromEnv({ TRUSTED_PROXIES: 'not-an-address' })).toThrow(/TRUSTED_PROXIES/);
});
