import { STANDARD_FIELDS } from '../../../src/shared/case-fields';
import { openBlobStore, type OpenBlobStore } from '../../../src/server/attachments/blob-stores';
import { configFromEnv } from '../../../src/server/config';
import { startMailboxCapture } from '../../../src/server/mailboxes/mailbox-capture';
import { ENGINES, startTestServer, type TestServer } from '../harness';
import { IMAP_TESTS_RUN, startDovecot, type Dovecot } from '../imap/dovecot';
import { eml } from './corpus';

const describeImap = IMAP_TESTS_RUN ? describe.each(ENGINES) : describe.skip.each(ENGINES);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await what();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(100);
  }
}

const mailboxInput = (d: Dovecot, overrides: Record<string, unknown> = {}) => ({
  mailboxes: [
    {
      name: 'Support',
      host: d.host,
      port: d.port,
      secure: false,
      starttls: false,
      user: d.user,
      password: d.password,
      ...overrides,
    },
  ],
});

describeImap('mailbox capture started by the server (real Dovecot) on %s', (engine) => {
  let dovecot: Dovecot;
  let t: TestServer;
  const subjects = async () =>
    (await t.server.storage.db.selectFrom('cases').select('subject').orderBy('id').execute()).map(
      (c) => c.subject,
    );

  beforeAll(async () => {
    dovecot = await startDovecot();
    t = await startTestServer(engine, { mailboxCapture: true, mailboxPollSeconds: 0.5 });
  });
  afterAll(async () => {
    await t?.close();
    await dovecot?.stop();
  });

  it('reads a mailbox once it is connected, picks up new mail as it arrives, and shows status', async () => {
    const created = await t.call('POST', '/crm/v6/settings/mailboxes', {
      role: 'admin',
      json: mailboxInput(dovecot),
    });
    const id = created.body.mailboxes[0].details.id;
    await dovecot.append([
      await eml({ from: 'Ola <ola@klient.pl>', messageId: '<s1@klient.pl>', subject: 'First', text: '1' }),
    ]);
    await until(async () => (await subjects()).includes('First'));
    // Arriving while the reader waits (IDLE): captured without a restart.
    await dovecot.append([
      await eml({ from: 'Ola <ola@klient.pl>', messageId: '<s2@klient.pl>', subject: 'Second', text: '2' }),
    ]);
    await until(async () => (await subjects()).includes('Second'));
    expect(await subjects()).toEqual(['First', 'Second']);
    const status = await until(async () => {
      const record = (await t.call('GET', `/crm/v6/settings/mailboxes/${id}`, { role: 'admin' })).body
        .mailboxes[0];
      return record.status.messages_captured === 2 && record.status.last_poll_time ? record : undefined;
    });
    expect(status.status.last_error).toBeNull();
    // Turned off: let go (the lease is released).
    await t.call('PUT', `/crm/v6/settings/mailboxes/${id}`, {
      role: 'admin',
      json: { mailboxes: [{ enabled: false }] },
    });
    await until(
      async () => !(await t.server.storage.db.selectFrom('mailbox_leases').selectAll().executeTakeFirst()),
    );
  }, 60_000);

  it('shows a login failure as the last error, never the password', async () => {
    const created = await t.call('POST', '/crm/v6/settings/mailboxes', {
      role: 'admin',
      json: mailboxInput(dovecot, { name: 'Wrong', password: 'wrong-password-xyz' }),
    });
    const id = created.body.mailboxes[0].details.id;
    const record = await until(async () => {
      const r = (await t.call('GET', `/crm/v6/settings/mailboxes/${id}`, { role: 'admin' })).body
        .mailboxes[0];
      return r.status.last_error ? r : undefined;
    });
    expect(record.status.last_error_time).toBeTruthy();
    expect(JSON.stringify(record)).not.toContain('wrong-password-xyz');
    await t.call('DELETE', `/crm/v6/settings/mailboxes/${id}`, { role: 'admin' });
  }, 60_000);
});

describeImap('one reader per mailbox across processes (lease) on %s', (engine) => {
  let dovecot: Dovecot;
  let t: TestServer;
  let blobs: OpenBlobStore;
  const stops: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    dovecot = await startDovecot();
    t = await startTestServer(engine, { mailboxCapture: false });
    blobs = await openBlobStore(configFromEnv({}).blobStore, {
      dataDir: t.dataDir,
      databaseUrl: t.databaseUrl,
    });
  });
  afterAll(async () => {
    for (const stop of stops) await stop();
    await blobs?.close();
    await t?.close();
    await dovecot?.stop();
  });

  const capture = (holder: string) => {
    const stop = startMailboxCapture(
      { storage: t.server.storage, fields: () => STANDARD_FIELDS, blobs },
      { pollSeconds: 0.3, maxMessageBytes: 1024 * 1024, holder, leaseSeconds: 4 },
      () => undefined,
    );
    stops.push(stop);
    return stop;
  };

  it('lets one process read while another waits, and takes over when the holder dies', async () => {
    const created = await t.call('POST', '/crm/v6/settings/mailboxes', {
      role: 'admin',
      json: mailboxInput(dovecot),
    });
    const id = created.body.mailboxes[0].details.id;
    const db = t.server.storage.db;
    const messages = [];
    for (let i = 0; i < 50; i++)
      messages.push(
        await eml({
          from: `C <c${i}@klient.pl>`,
          messageId: `<lease-${i}@klient.pl>`,
          subject: `L${i}`,
          text: 'x',
        }),
      );
    await dovecot.append(messages);
    // A process that held the mailbox and died: its lease runs 3 s more and is never renewed.
    const deadUntil = new Date(Date.now() + 3000).toISOString();
    await db
      .insertInto('mailbox_leases')
      .values({ mailbox_id: id, holder: 'dead', lease_until: deadUntil })
      .execute();
    capture('a');
    capture('b');
    await sleep(1000);
    const count = async () =>
      Number(
        (
          await db
            .selectFrom('cases')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count()).toBe(0);
    await until(async () => (await count()) === 50);
    const lease = await db.selectFrom('mailbox_leases').selectAll().executeTakeFirstOrThrow();
    expect(['a', 'b']).toContain(lease.holder);
    // The holder keeps it while it lives; the other one never read a message.
    await sleep(2000);
    expect((await db.selectFrom('mailbox_leases').select('holder').executeTakeFirstOrThrow()).holder).toBe(
      lease.holder,
    );
    expect(await count()).toBe(50);
    const recorded = await db.selectFrom('mailbox_messages').select('uid').execute();
    expect(recorded).toHaveLength(50);
  }, 60_000);
});
