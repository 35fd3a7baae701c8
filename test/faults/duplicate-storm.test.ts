import { ENGINES, startTestServer, type TestServer } from '../server/harness';
import { fromEmailItem, integrity, tableCounts } from './helpers';

/** 200 concurrent conversions of 10 messages (20 each, interleaved) → exactly 10 cases, one per message. */
describe.each(ENGINES)('duplicate storm (%s)', (engine) => {
  jest.setTimeout(60_000);
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
  });
  afterAll(() => t.close());

  it('200 concurrent conversions of 10 messages make exactly 10 cases', async () => {
    const keys = Array.from({ length: 10 }, (_, i) => `storm-${engine}-${i}`);
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const key = keys[i % 10];
        return t.call('POST', '/crm/v6/Cases/actions/from_email', { json: { data: [fromEmailItem(key)] } }).then((r) => ({ key, ...r }));
      }),
    );
    const statuses: Record<number, number> = {};
    for (const r of responses) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    process.stdout.write(`duplicate storm (${engine}): ${JSON.stringify(statuses)}\n`);
    expect(Object.keys(statuses).sort()).toEqual(['200', '201']);
    expect(statuses[201]).toBe(10);
    for (const key of keys) {
      const ids = new Set(responses.filter((r) => r.key === key).map((r) => r.body.data[0].details.id));
      expect([key, ids.size]).toEqual([key, 1]);
    }
    const counts = await tableCounts(t.server.storage.db);
    expect({ cases: counts.cases, links: counts.email_links, conversions: counts.email_conversions }).toEqual({ cases: 10, links: 10, conversions: 10 });
    expect(await integrity(t.server.storage.db)).toEqual({ casesWithoutLink: 0, linksWithoutCase: 0, claimsWithoutCase: 0 });
  });
});
