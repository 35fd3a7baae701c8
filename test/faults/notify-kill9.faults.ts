import { mintLocalToken } from '../../src/server/auth/local-issuer';
import { spawnServer, type ServerProcess } from '../../bench/lib/proc';
import { deduplicated, startReceiver } from '../server/notifications/receiver';
import { ENGINES, freshStore, openStore, sleep } from './helpers';

/**
 * kill -9 of the server between the commit of case changes and the delivery of their notifications: after a
 * restart the receiver gets every committed change, once after dedup by delivery id. First with the receiver
 * down (every row is still pending at the kill), then under load with slow answers (rows in flight at the kill).
 */
const env = {
  NOTIFY_ALLOW_PRIVATE_HOSTS: '127.0.0.1',
  OUTBOX_RETRY_SECONDS: '1',
  OUTBOX_POLL_SECONDS: '1',
  // A row held by the killed process is taken again once its lease has run out.
  OUTBOX_LEASE_SECONDS: '3',
};

async function until(check: () => boolean, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe.each(ENGINES)('kill -9 between commit and notification delivery (%s)', (engine) => {
  jest.setTimeout(240_000);

  it('loses no notification of a committed change', async () => {
    const store = await freshStore(engine);
    const receiver = await startReceiver();
    let server: ServerProcess | undefined;
    try {
      const token = await mintLocalToken(
        { dataDir: store.dataDir, databaseUrl: store.url },
        { email: 'agent@example.com', role: 'agent' },
      );
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      server = await spawnServer({ dataDir: store.dataDir, databaseUrl: store.url, env });
      const enabled = await fetch(`${server.url}/crm/v6/actions/watch`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          watch: [
            {
              channel_id: '1',
              events: ['Cases.create'],
              notify_url: receiver.url,
              channel_expiry: new Date(Date.now() + 23 * 3600_000).toISOString(),
            },
          ],
        }),
      });
      expect(enabled.status).toBe(201);
      const acked = new Set<string>();
      const createOne = async (url: string, key: string) => {
        const r = await fetch(`${url}/crm/v6/Cases`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ data: [{ Subject: `Kill ${key}`, Case_Origin: 'Phone' }] }),
        });
        if (r.status === 201)
          acked.add(((await r.json()) as { data: { details: { id: string } }[] }).data[0].details.id);
      };

      // 1. The receiver is down: every committed change is a pending row when the process dies.
      await receiver.stop();
      for (let i = 0; i < 50; i++) await createOne(server.url, `down-${i}`);
      await server.kill9();

      // 2. Slow answers under 16 concurrent writers: rows claimed, in flight, or just written at the kill.
      await receiver.start();
      receiver.delayMs = 150;
      server = await spawnServer({ dataDir: store.dataDir, databaseUrl: store.url, env });
      let stop = false;
      let n = 0;
      const client = async (url: string) => {
        while (!stop) {
          try {
            await createOne(url, `load-${n++}`);
          } catch {
            return; // the server is gone
          }
        }
      };
      const clients = Array.from({ length: 16 }, () => client(server!.url));
      await sleep(1500 + Math.floor(Math.random() * 1000));
      await server.kill9();
      stop = true;
      await Promise.all(clients);
      const beforeRestart = deduplicated(receiver.received).length;

      receiver.delayMs = 0;
      server = await spawnServer({ dataDir: store.dataDir, databaseUrl: store.url, env });
      const receivedIds = () => new Set(deduplicated(receiver.received).flatMap((r) => r.body.ids));
      await until(() => [...acked].every((id) => receivedIds().has(id)), 90_000, 'every acknowledged change');
      await sleep(2000);

      const storage = await openStore(store);
      const cases = new Set(
        (await storage.db.selectFrom('cases').select('id').execute()).map((r) => String(r.id)),
      );
      const pending = await storage.db
        .selectFrom('outbox')
        .select('id')
        .where('status', '!=', 'sent')
        .execute();
      await storage.close();
      const events = deduplicated(receiver.received).flatMap((r) => r.body.ids);
      process.stdout.write(
        `notify kill -9 (${engine}): ${acked.size} acknowledged creations, ${cases.size} committed, ${events.length} events after dedup ` +
          `(${receiver.received.length} callbacks received, ${beforeRestart} before the last restart), ${pending.length} rows not sent\n`,
      );
      // Every committed case told exactly once after dedup (acknowledged or cut off after its commit), nothing else.
      expect(new Set(events)).toEqual(cases);
      expect(events).toHaveLength(cases.size);
      expect(acked.size).toBeGreaterThan(50);
      expect(pending).toHaveLength(0);
    } finally {
      await server?.kill9();
      await receiver.close();
      await store.drop();
    }
  });
});
