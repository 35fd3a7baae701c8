import pg from 'pg';
import { POSTGRES_URL, startTestServer, type TestServer } from '../harness';

const describePostgres = POSTGRES_URL ? describe : describe.skip;

/**
 * A write that PostgreSQL picks as a deadlock's victim (40P01) is rolled back whole: the client hears a 503 it may
 * retry, not a 500. The other side of the deadlock is the test's own session, so the cycle is certain.
 */
describePostgres('a write chosen as a deadlock victim on PostgreSQL', () => {
  let t: TestServer;
  let blocker: pg.Client;
  beforeAll(async () => {
    t = await startTestServer('postgres');
    blocker = new pg.Client({ connectionString: t.databaseUrl });
    await blocker.connect();
    // The test's session waits long before checking for a deadlock, so the server's backend, waiting since
    // earlier, is the one that finds the cycle and is rolled back.
    await blocker.query(`set deadlock_timeout = '20s'`);
  });
  afterAll(async () => {
    await blocker.end();
    await t.close();
  });

  const subjectOf = async (id: string) => (await t.call('GET', `/crm/v6/Cases/${id}`)).body.data[0].Subject;

  it('answers 503 with Retry-After, stores none of its records, and the same request then succeeds', async () => {
    const created = await t.call('POST', '/crm/v6/Cases', {
      json: { data: ['first', 'second'].map((Subject) => ({ Subject, Case_Origin: 'Phone' })) },
    });
    expect(created.status).toBe(201);
    const [first, second]: string[] = created.body.data.map((d: { details: { id: string } }) => d.details.id);
    const edit = () =>
      t.call('PUT', '/crm/v6/Cases', {
        json: {
          data: [
            { id: first, Subject: 'first, edited' },
            { id: second, Subject: 'second, edited' },
          ],
        },
      });

    await blocker.query('begin');
    await blocker.query('update cases set priority = priority where id = $1', [second]);
    // The server locks the first case, then waits for the second, which the test holds.
    const answer = edit();
    await waitForLockWait(blocker);
    // Now the test waits for the first, which the server holds: a cycle.
    const blocked = blocker.query('update cases set priority = priority where id = $1', [first]);
    const r = await answer;
    await blocked;
    await blocker.query('rollback');

    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(r.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 'error' });
    expect(await subjectOf(first)).toBe('first');
    expect(await subjectOf(second)).toBe('second');

    expect((await edit()).status).toBe(200);
    expect(await subjectOf(first)).toBe('first, edited');
  });
});

/** Until some other session of this database waits for a lock. */
async function waitForLockWait(client: pg.Client): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    const { rows } = await client.query(
      `select count(*)::int as n from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock'`,
    );
    if (rows[0].n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the server never waited for the lock');
}
