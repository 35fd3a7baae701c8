import { caseFields } from '../../../src/shared/case-fields';
import * as history from '../../../src/server/history/history.service';
import { runEscalation } from '../../../src/server/rules/escalation.service';
import { DEFAULT_NOTIFICATION_SETTINGS } from '../../../src/server/notifications/settings';
import { verifySignature } from '../../../src/server/notifications/signature';
import { ENGINES, caseFromMessage, message, startTestServer, type TestServer } from '../harness';
import { deduplicated, type Received, type Receiver, startReceiver } from './receiver';

/**
 * Callbacks of the Notification API, received by a real HTTP server on loopback: written in the transaction of
 * the change (outbox), delivered after the commit, at least once, signed, with the channel's current settings.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fast = { leaseSeconds: 5, retrySeconds: 1, maxAttempts: 12, pollSeconds: 1, waitMs: 500 };
const notifications = { ...DEFAULT_NOTIFICATION_SETTINGS, allowPrivateHosts: ['127.0.0.1'] };

async function until(check: () => Promise<boolean> | boolean, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** (operation, case id) pairs of the callbacks of one channel, duplicates by delivery id dropped. */
function events(received: Received[], channelId: string): string[] {
  return deduplicated(received)
    .filter((r) => r.body.channel_id === channelId)
    .flatMap((r) => r.body.ids.map((id) => `${r.body.operation}:${id}`));
}

describe.each(ENGINES)('Notification API callbacks on %s', (engine) => {
  jest.setTimeout(120_000);
  let t: TestServer;
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startReceiver();
    t = await startTestServer(engine, { outbox: fast, notifications });
  });
  afterEach(async () => {
    await t.close();
    await receiver.close();
  });

  const enable = async (channelId: string, extra: Record<string, unknown> = {}) => {
    const r = await t.call('POST', '/crm/v6/actions/watch', {
      json: {
        watch: [
          {
            channel_id: channelId,
            events: ['Cases.all'],
            notify_url: `${receiver.url}?key1=val1`,
            token: `T-${channelId}`,
            ...extra,
          },
        ],
      },
    });
    expect(r.status).toBe(201);
    return r.body.watch[0].details.signing_secret as string;
  };
  const create = async (n: number, prefix: string): Promise<string[]> => {
    const data = Array.from({ length: n }, (_, i) => ({ Subject: `${prefix} ${i}`, Case_Origin: 'Phone' }));
    const r = await t.call('POST', '/crm/v6/Cases', { json: { data } });
    expect(r.status).toBe(201);
    return r.body.data.map((d: { details: { id: string } }) => d.details.id);
  };
  const notificationRows = () =>
    t.server.storage.db.selectFrom('outbox').selectAll().where('kind', '=', 'crm_notification').execute();

  it('delivers every event of 1,000 changes exactly once after dedup, signed, to the channels that watch it', async () => {
    const secret = await enable('1000000068001');
    const deletesOnly = await enable('1000000068002', { events: ['Cases.delete'] });
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push(...(await create(100, `Bulk ${i}`)));
    const updated = created.slice(0, 400);
    for (let i = 0; i < 400; i += 100) {
      const data = updated
        .slice(i, i + 100)
        .map((id) => ({ id, Subject: `Changed ${id}`, Status: 'Escalated' }));
      expect((await t.call('PUT', '/crm/v6/Cases', { json: { data } })).status).toBe(200);
    }
    const deleted = created.slice(400, 500);
    for (let i = 0; i < 100; i += 10)
      await Promise.all(
        deleted
          .slice(i, i + 10)
          .map(async (id) =>
            expect((await t.call('DELETE', `/crm/v6/Cases/${id}`, { role: 'manager' })).status).toBe(200),
          ),
      );

    const expected = [
      ...created.map((id) => `insert:${id}`),
      ...updated.map((id) => `update:${id}`),
      ...deleted.map((id) => `delete:${id}`),
    ];
    await until(() => events(receiver.received, '1000000068001').length >= 1000, 60_000, '1,000 events');
    await until(() => events(receiver.received, '1000000068002').length >= 100, 10_000, 'the deletions');
    await sleep(1500); // anything more would be a duplicate of a new id
    const got = events(receiver.received, '1000000068001');
    expect(got).toHaveLength(1000);
    expect(new Set(got)).toEqual(new Set(expected));
    expect(events(receiver.received, '1000000068002').sort()).toEqual(
      deleted.map((id) => `delete:${id}`).sort(),
    );

    for (const r of receiver.received) {
      const key = r.body.channel_id === '1000000068001' ? secret : deletesOnly;
      expect(verifySignature(r.raw, key, r.signature)).toBe(true);
      expect(verifySignature(r.raw, key === secret ? deletesOnly : secret, r.signature)).toBe(false);
      expect(r.body).toMatchObject({
        module: 'Cases',
        resource_uri: `${t.url}/crm/v6/Cases`,
        query_params: { key1: 'val1' },
        token: `T-${r.body.channel_id}`,
      });
      expect(typeof r.body.server_time).toBe('number');
      expect(r.body.ids.length).toBeLessThanOrEqual(100);
    }
    // A duplicate (same delivery id) is the same callback, byte for byte.
    const byId = new Map<string, string>();
    for (const r of receiver.received)
      expect(byId.get(r.deliveryId) ?? r.raw).toBe(byId.set(r.deliveryId, r.raw).get(r.deliveryId));
    const update = deduplicated(receiver.received).find((r) => r.body.operation === 'update')!;
    expect(update.body.affected_fields[0][update.body.ids[0]].sort()).toEqual(['Status', 'Subject']);
    expect(update.body.affected_values).toBeUndefined();
    expect((await notificationRows()).every((row) => row.status === 'sent')).toBe(true);
  });

  it('gets every event to a receiver that was down for 30 seconds, afterwards', async () => {
    await enable('2001');
    await receiver.stop();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(...(await create(1, `While down ${i}`)));
    await sleep(30_000);
    expect(receiver.received).toHaveLength(0);
    const rows = await notificationRows();
    expect(rows).toHaveLength(20);
    expect(rows.every((row) => row.status === 'pending' && row.attempts >= 3)).toBe(true);
    expect(rows[0].last_error).toMatch(/did not answer/);
    await receiver.start();
    await until(() => events(receiver.received, '2001').length >= 20, 60_000, 'the backlog');
    expect(new Set(events(receiver.received, '2001'))).toEqual(new Set(ids.map((id) => `insert:${id}`)));
  });

  it('sends nothing for a write that rolls back, while a write committed beside it is sent', async () => {
    await enable('3001');
    const [rolledBack, committed] = await create(2, 'Rollback');
    await until(() => events(receiver.received, '3001').length >= 2, 10_000, 'the creations');
    receiver.received.length = 0;
    const doomed = t.server.storage.write(async (trx) => {
      await history.record(trx, rolledBack, 'updated', null, new Date().toISOString(), [
        { api_name: 'Subject', old: 'a', new: 'b' },
      ]);
      throw new Error('the change fails after its history was written');
    });
    const [failed, ok] = await Promise.allSettled([
      doomed,
      t.call('PUT', `/crm/v6/Cases/${committed}`, { json: { data: [{ Subject: 'Committed' }] } }),
    ]);
    expect(failed.status).toBe('rejected');
    expect(ok.status === 'fulfilled' && ok.value.status).toBe(200);
    await until(() => events(receiver.received, '3001').length >= 1, 10_000, 'the committed change');
    await sleep(2500); // more than two polls
    expect(events(receiver.received, '3001')).toEqual([`update:${committed}`]);
    // The two creations (one callback), the committed edit; no row of the rolled-back one.
    expect(await notificationRows()).toHaveLength(2);
  });

  it('tells nothing to expired or disabled channels, even of changes queued before', async () => {
    await enable('4001', { channel_expiry: new Date(Date.now() + 3000).toISOString() });
    await enable('4002');
    await receiver.stop();
    await create(1, 'Queued while live'); // queued for both channels, not deliverable yet
    expect((await t.call('DELETE', '/crm/v6/actions/watch?channel_ids=4002')).status).toBe(200);
    await sleep(3500); // 4001 has expired meanwhile
    await create(1, 'After expiry');
    await receiver.start();
    await until(
      async () => (await notificationRows()).every((row) => row.status === 'sent'),
      40_000,
      'the rows',
    );
    await sleep(1500);
    expect(receiver.received).toHaveLength(0);
    // Two rows (one per live channel) for the first change, none for the second.
    expect(await notificationRows()).toHaveLength(2);
  });

  it('checks the address again at delivery, and follows no redirect', async () => {
    // A channel whose address has become private since it was enabled (as a DNS change would make it).
    const secret = await enable('5001');
    await t.server.storage.db
      .updateTable('notification_channels')
      .set({ notify_url: `http://127.0.0.2:${receiver.port}/hook` })
      .where('channel_id', '=', '5001')
      .execute();
    await create(1, 'To a private address');
    await until(async () => (await notificationRows())[0]?.status === 'failed', 10_000, 'the refusal');
    expect((await notificationRows())[0].last_error).toMatch(/notify_url refused: 127\.0\.0\.2/);
    expect(receiver.received).toHaveLength(0);
    expect(secret).toBeTruthy();

    await t.server.storage.db
      .updateTable('notification_channels')
      .set({ notify_url: receiver.url })
      .where('channel_id', '=', '5001')
      .execute();
    receiver.status = 302; // Location: another port; followed, it would be a second request
    await create(1, 'Redirected');
    await until(
      async () => (await notificationRows()).some((row) => row.status === 'pending' && row.attempts >= 2),
      10_000,
      'a retry',
    );
    const redirected = (await notificationRows()).find((row) => row.status === 'pending')!;
    expect(redirected.last_error).toBe('notify_url answered 302');
  });

  it('gives a slow receiver NOTIFY_TIMEOUT_MS, then retries', async () => {
    const impatient = await startTestServer(engine, {
      outbox: fast,
      notifications: { ...notifications, timeoutMs: 300 },
    });
    try {
      receiver.delayMs = 1500;
      const r = await impatient.call('POST', '/crm/v6/actions/watch', {
        json: { watch: [{ channel_id: '8001', events: ['Cases.create'], notify_url: receiver.url }] },
      });
      expect(r.status).toBe(201);
      await impatient.call('POST', '/crm/v6/Cases', {
        json: { data: [{ Subject: 'Slow', Case_Origin: 'Phone' }] },
      });
      const rows = () => impatient.server.storage.db.selectFrom('outbox').selectAll().execute();
      await until(
        async () => (await rows())[0]?.last_error !== null && (await rows())[0]?.last_error !== undefined,
        15_000,
        'a timeout',
      );
      expect((await rows())[0]).toMatchObject({
        status: 'pending',
        last_error: 'notify_url did not answer: no answer within 300 ms',
      });
      receiver.delayMs = 0;
      await until(async () => (await rows())[0].status === 'sent', 30_000, 'the retry');
    } finally {
      await impatient.close();
    }
  });

  it('tells the changes of every path: clone, email conversion, import, Web-to-Case, escalation', async () => {
    await enable('7001');
    const [original] = await create(1, 'Original');
    const ids = (r: { body: { data: { details: { id: string } }[] } }) =>
      r.body.data.map((d) => d.details.id);
    const clone = await t.call('POST', `/crm/v6/Cases/${original}/actions/clone`);
    expect(clone.status).toBe(201);
    const m = message(`paths-${engine}`);
    const converted = await t.call('POST', '/crm/v6/Cases/actions/from_email', {
      json: { data: [{ case: caseFromMessage(m), message: m }] },
    });
    expect(converted.status).toBe(201);
    const form = new FormData();
    form.append(
      'file',
      new Blob(['Subject,Case Origin\r\nImported one,Phone\r\nImported two,Phone\r\n']),
      'cases.csv',
    );
    const imported = await fetch(`${t.url}/crm/v6/Cases/actions/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await t.token()}` },
      body: form,
    });
    expect(imported.status).toBeLessThan(300);
    const webForm = await t.call('POST', '/crm/v6/settings/web_forms', {
      role: 'admin',
      json: { data: [{ name: 'Support', fields: ['Subject', 'Email'] }] },
    });
    const submitted = await fetch(`${t.url}/forms/${webForm.body.data[0].details.form_key}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Subject: 'From the web', Email: 'visitor@example.com' }),
    });
    expect(submitted.status).toBe(201);
    const me = (await t.call('GET', '/crm/v6/users?type=CurrentUser')).body.users[0].id as string;
    const rule = await t.call('POST', '/crm/v6/settings/escalation_rules', {
      role: 'admin',
      json: { data: [{ name: 'Any in 1 h', hours: 1, escalate_to: me }] },
    });
    await t.call('PUT', `/crm/v6/settings/escalation_rules/${rule.body.data[0].details.id}`, {
      role: 'admin',
      json: { data: [{ active: true }] },
    });
    const pass = await runEscalation(t.server.storage, caseFields(), new Date(Date.now() + 2 * 3600_000));
    expect(pass.escalated).toBeGreaterThanOrEqual(1);

    const created = await t.server.storage.db.selectFrom('cases').select(['id', 'subject']).execute();
    expect(created).toHaveLength(6); // original, clone, converted, two imported, web form
    await until(
      () => events(receiver.received, '7001').filter((e) => e.startsWith('insert')).length >= 6,
      15_000,
      'six creations',
    );
    await until(
      () => events(receiver.received, '7001').filter((e) => e.startsWith('update')).length >= pass.escalated,
      15_000,
      'the escalations',
    );
    const got = events(receiver.received, '7001');
    expect(got.filter((e) => e.startsWith('insert')).sort()).toEqual(
      created.map((c) => `insert:${c.id}`).sort(),
    );
    expect(ids(clone)[0]).not.toBe(original);
    expect(got).toContain(`insert:${ids(clone)[0]}`);
    expect(got).toContain(`insert:${ids(converted)[0]}`);
    await sleep(1500); // no more than one per escalated case
    expect(events(receiver.received, '7001').filter((e) => e.startsWith('update')).length).toBe(
      pass.escalated,
    );
  });

  it('tells actions on related records as edits when asked, with the new values when asked', async () => {
    await enable('6001', { notify_on_related_action: true, return_affected_field_values: true });
    await enable('6002', { events: ['Cases.edit'] });
    const [id] = await create(1, 'Related');
    expect(
      (
        await t.call('POST', `/crm/v6/Cases/${id}/Notes`, {
          json: { data: [{ Note_Content: 'Will reboot' }] },
        })
      ).status,
    ).toBe(201);
    expect(
      (await t.call('PUT', `/crm/v6/Cases/${id}`, { json: { data: [{ Subject: 'Renamed' }] } })).status,
    ).toBe(200);
    await until(() => events(receiver.received, '6001').length >= 3, 10_000, 'three events');
    await sleep(1500);
    const of = (channel: string) =>
      deduplicated(receiver.received).filter((r) => r.body.channel_id === channel);
    const updates = of('6001').filter((r) => r.body.operation === 'update');
    expect(updates.map((r) => r.body.affected_fields[0][id].sort())).toEqual(
      expect.arrayContaining([['Notes'], ['Subject']]),
    );
    expect(
      updates.find((r) => r.body.affected_fields[0][id].includes('Subject'))!.body.affected_values,
    ).toEqual([{ id, Subject: 'Renamed' }]);
    // Without the option, a note is no edit of the case.
    expect(of('6002').map((r) => r.body.operation)).toEqual(['update']);
    expect(of('6002')[0].body.affected_fields).toEqual([{ [id]: ['Subject'] }]);
  });
});
