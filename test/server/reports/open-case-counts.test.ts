import { compactOpenCaseCounts } from '../../../src/server/reports/open-case-counts.repository';
import { ENGINES, startTestServer, type TestServer } from '../harness';

/**
 * The fold rewrites only the combinations that changed since the last one: the other counters keep their rows
 * (same ids), so a fold's cost follows the changes, not the number of combinations.
 */
describe.each(ENGINES)('open-case counters fold on %s', (engine) => {
  let t: TestServer;
  let admin: string;
  beforeAll(async () => {
    t = await startTestServer(engine);
    admin = await t.token('admin', 'lead@example.com', 'Lead');
  });
  afterAll(() => t?.close());

  const rows = async () =>
    (
      await t.server.storage.db
        .selectFrom('open_case_counts')
        .select(['id', 'priority', 'n'])
        .orderBy('id')
        .execute()
    ).map((r) => ({ id: String(r.id), priority: r.priority, n: Number(r.n) }));
  const fold = () => t.server.storage.write((trx) => compactOpenCaseCounts(trx));

  it('rewrites the changed combinations and leaves the others as they were', async () => {
    const made = await t.call('POST', '/crm/v6/Cases', {
      token: admin,
      json: {
        data: ['High', 'Medium', 'Low', 'Low'].map((priority, i) => ({
          Subject: `Fold ${i}`,
          Case_Origin: 'Phone',
          Priority: priority,
        })),
      },
    });
    expect(made.text).toContain('SUCCESS');
    await fold();
    const folded = await rows();
    expect(folded.map((r) => [r.priority, r.n]).sort()).toEqual([
      ['High', 1],
      ['Low', 2],
      ['Medium', 1],
    ]);

    const high = made.body.data[0].details.id;
    const moved = await t.call('PUT', '/crm/v6/Cases', {
      token: admin,
      json: { data: [{ id: high, Priority: 'Low' }] },
    });
    expect(moved.status).toBe(200);
    // High's and Low's rows, each its folded row and the one appended (High's sums to 0); Medium is left alone.
    expect(await fold()).toEqual({ removed: 4, kept: 1 });
    const after = await rows();
    const medium = folded.find((r) => r.priority === 'Medium');
    expect(after).toContainEqual(medium);
    expect(after.map((r) => [r.priority, r.n]).sort()).toEqual([
      ['Low', 3],
      ['Medium', 1],
    ]);
  });
});
