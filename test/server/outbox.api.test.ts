import { configFromEnv } from '../../src/server/config';
import { findCaseById } from '../../src/server/cases/case.repository';
import { queueCaseMail } from '../../src/server/mail/case-mail';
import { spawnServer, type ServerProcess } from '../../bench/lib/proc';
import { mintLocalToken } from '../../src/server/auth/local-issuer';
import { freshStore } from '../faults/helpers';
import { ENGINES, caseFromMessage, message, startTestServer, type TestServer } from './harness';
import { stallingSmtp, startSmtp } from './smtp';

/**
 * Mail is a side effect after commit (src/server/outbox): queued in the transaction that causes it, delivered
 * after the commit with retries. Against real SMTP servers: one that answers, one that has stopped answering,
 * and one that takes the place of the stalled one on its port, as a restarted mail server would.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fast = { leaseSeconds: 3, retrySeconds: 1, maxAttempts: 10, pollSeconds: 1, waitMs: 500 };

async function until(check: () => Promise<boolean> | boolean, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe.each(ENGINES)('outgoing mail through the outbox on %s', (engine) => {
  jest.setTimeout(60_000);

  const newCase = async (t: TestServer, key: string) => {
    const m = message(`${key}-${engine}`);
    return (
      await t.call('POST', '/crm/v6/Cases/actions/from_email', {
        json: { data: [{ case: caseFromMessage(m), message: m }] },
      })
    ).body.data[0].details as { id: string; Case_Number: string };
  };
  const outboxRows = (t: TestServer) => t.server.storage.db.selectFrom('outbox').selectAll().execute();

  it('sends nothing for a write that rolls back, and sends a committed one', async () => {
    const smtp = await startSmtp();
    const t = await startTestServer(engine, { smtpUrl: smtp.url, outbox: fast });
    try {
      const { id } = await newCase(t, 'rollback');
      const row = (await findCaseById(t.server.storage.db, id))!;
      const ctx = {
        dialect: t.server.storage.dialect,
        fields: [],
        user: { id: '1', name: 'Agent', email: 'a@x' },
      };
      const mail = {
        ctx,
        from: 'support@example.com',
        row,
        to: [{ name: null, email: 'k@example.pl' }],
        cc: [],
        subject: 'Rolled back',
        text: 'never',
      };
      await expect(
        t.server.storage.write(async (trx) => {
          await queueCaseMail(trx, t.server.outbox, mail);
          throw new Error('the commit fails');
        }),
      ).rejects.toThrow('the commit fails');
      await sleep(2500); // more than two polls
      expect(smtp.received).toHaveLength(0);
      expect(await outboxRows(t)).toHaveLength(0);

      const committed = await t.server.storage.write((trx) =>
        queueCaseMail(trx, t.server.outbox, { ...mail, subject: 'Committed' }),
      );
      // Received first, then recorded as sent (in the transaction that adds it to the Emails list).
      await until(async () => (await outboxRows(t))[0]?.status === 'sent', 5000, 'the committed mail');
      expect(smtp.received.map((r) => r.messageId)).toEqual([committed.payload.messageId]);
    } finally {
      await t.close();
      await smtp.close();
    }
  });

  it('a mail server that stops answering holds up neither the send nor other writes; the mail goes out once it answers again', async () => {
    const stalled = await stallingSmtp();
    const t = await startTestServer(engine, { smtpUrl: stalled.url, outbox: fast });
    let smtp: Awaited<ReturnType<typeof startSmtp>> | undefined;
    try {
      const { id, Case_Number } = await newCase(t, 'stall');
      const started = Date.now();
      const send = await t.call('POST', `/crm/v6/Cases/${id}/actions/send_mail`, {
        json: { data: [{ content: 'Your invoice is corrected.' }] },
      });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(send.status).toBe(202);
      expect(send.body.data[0]).toMatchObject({ code: 'SUCCESS', details: { delivery: 'queued' } });
      expect(stalled.held()).toBeGreaterThan(0); // the attempt is under way, waiting for a greeting

      // While the mail server hangs, writes go on: none of them waits for it (no transaction holds SMTP).
      const latencies: number[] = [];
      for (let i = 0; i < 40; i++) {
        const before = Date.now();
        await newCase(t, `during-stall-${i}`);
        latencies.push(Date.now() - before);
      }
      expect(Math.max(...latencies)).toBeLessThan(1000);
      expect(
        (await t.call('GET', `/crm/v6/Cases/${id}/Emails`)).body.data.filter(
          (e: { from: { email: string } }) => e.from.email !== 'anna.nowak@example.pl',
        ),
      ).toHaveLength(0);

      // The mail server is back on the same port: the next attempt delivers, exactly once.
      const port = stalled.port;
      await stalled.close();
      smtp = await startSmtp({ port });
      await until(() => smtp!.received.length > 0, 10_000, 'the delivery after the mail server came back');
      await sleep(2500);
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0].messageId).toBe(send.body.data[0].details.message_id);
      expect(smtp.received[0].subject).toContain(`[Case #${Case_Number}]`);
      const emails = (await t.call('GET', `/crm/v6/Cases/${id}/Emails`)).body.data.filter(
        (e: { from: { email: string } }) => e.from.email !== 'anna.nowak@example.pl',
      );
      expect(emails).toHaveLength(1);
      expect(emails[0].body_text).toBe('Your invoice is corrected.');
    } finally {
      await t.close();
      await stalled.close();
      await smtp?.close();
    }
  });

  it('a server stops without waiting out a delivery stuck on a mail server that does not answer', async () => {
    const stalled = await stallingSmtp();
    const t = await startTestServer(engine, { smtpUrl: stalled.url, outbox: fast });
    try {
      const { id } = await newCase(t, 'stop');
      const send = await t.call('POST', `/crm/v6/Cases/${id}/actions/send_mail`, {
        json: { data: [{ content: 'Hello' }] },
      });
      expect(send.status).toBe(202);
      const started = Date.now();
      await t.close(); // nodemailer would wait 15 s for the greeting; the row is left to its lease
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await stalled.close();
    }
  });

  it('a recipient refused for good is a 502 at once, no retry, and the timeline says the email was not delivered', async () => {
    const smtp = await startSmtp({ refuse: 'gone@example.com' });
    const t = await startTestServer(engine, { smtpUrl: smtp.url, outbox: fast });
    try {
      const { id } = await newCase(t, 'refused');
      const r = await t.call('POST', `/crm/v6/Cases/${id}/actions/send_mail`, {
        json: { data: [{ to: [{ email: 'gone@example.com' }], content: 'Hello' }] },
      });
      expect([r.status, r.body.code]).toEqual([502, 'MAIL_NOT_SENT']);
      expect(r.body.message).toMatch(/did not accept/);
      const [row] = await outboxRows(t);
      expect([row.status, row.attempts]).toEqual(['failed', 1]);
      const timeline = await t.call('GET', `/crm/v6/Cases/${id}/__timeline`);
      expect(timeline.body.__timeline.map((e: { action: string }) => e.action)).toContain('email_failed');
      expect(
        (await t.call('GET', `/crm/v6/Cases/${id}/Emails`)).body.data.filter(
          (e: { from: { email: string } }) => e.from.email !== 'anna.nowak@example.pl',
        ),
      ).toHaveLength(0);
    } finally {
      await t.close();
      await smtp.close();
    }
  });
});

describe.each(ENGINES)('a mail committed before kill -9 (%s)', (engine) => {
  jest.setTimeout(90_000);
  let server: ServerProcess | undefined;

  it('goes out after the restart, once', async () => {
    const store = await freshStore(engine);
    const stalled = await stallingSmtp();
    let smtp: Awaited<ReturnType<typeof startSmtp>> | undefined;
    const env = {
      SMTP_URL: stalled.url,
      OUTBOX_LEASE_SECONDS: '2',
      OUTBOX_RETRY_SECONDS: '1',
      OUTBOX_POLL_SECONDS: '1',
      MAIL_WAIT_MS: '200',
    };
    try {
      const token = await mintLocalToken(
        { dataDir: store.dataDir, databaseUrl: store.url },
        { email: 'agent@example.com', role: 'agent' },
      );
      const call = async (method: string, route: string, json?: unknown) => {
        const r = await fetch(`${server!.url}${route}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(json ? { 'content-type': 'application/json' } : {}),
          },
          body: json ? JSON.stringify(json) : undefined,
        });
        return { status: r.status, body: r.status === 204 ? undefined : await r.json() };
      };
      server = await spawnServer({ dataDir: store.dataDir, databaseUrl: store.url, env });
      const m = message(`killed-${engine}`);
      const { id } = (
        await call('POST', '/crm/v6/Cases/actions/from_email', {
          data: [{ case: caseFromMessage(m), message: m }],
        })
      ).body.data[0].details;
      const send = await call('POST', `/crm/v6/Cases/${id}/actions/send_mail`, {
        data: [{ content: 'Committed, then killed' }],
      });
      expect(send.status).toBe(202);
      await server.kill9();

      const port = stalled.port;
      await stalled.close();
      smtp = await startSmtp({ port });
      server = await spawnServer({
        dataDir: store.dataDir,
        databaseUrl: store.url,
        env: { ...env, SMTP_URL: `smtp://127.0.0.1:${port}` },
      });
      await until(() => smtp!.received.length > 0, 15_000, 'the mail after the restart');
      await sleep(3000); // a lease and two polls: time for a duplicate to show
      expect(smtp.received.map((r) => r.messageId)).toEqual([send.body.data[0].details.message_id]);
      const emails = (await call('GET', `/crm/v6/Cases/${id}/Emails`)).body.data.filter(
        (e: { from: { email: string } }) => e.from.email !== 'anna.nowak@example.pl',
      );
      expect(emails).toHaveLength(1);
    } finally {
      await server?.stop();
      await stalled.close();
      await smtp?.close();
      await store.drop();
    }
  });
});

it('the outbox settings come from the environment', () => {
  expect(configFromEnv({}).outbox).toEqual({
    leaseSeconds: 120,
    retrySeconds: 30,
    maxAttempts: 10,
    pollSeconds: 5,
    waitMs: 3000,
  });
  expect(configFromEnv({ OUTBOX_LEASE_SECONDS: '9', MAIL_WAIT_MS: '0' }).outbox).toMatchObject({
    leaseSeconds: 9,
    waitMs: 0,
  });
  expect(() => configFromEnv({ OUTBOX_POLL_SECONDS: '0' })).toThrow(/OUTBOX_POLL_SECONDS/);
});
