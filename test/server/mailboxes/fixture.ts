import { STANDARD_FIELDS } from '../../../src/shared/case-fields';
import { openBlobStore } from '../../../src/server/attachments/blob-stores';
import type { BlobStore } from '../../../src/server/attachments/blob-store';
import { configFromEnv, type ServerConfig } from '../../../src/server/config';
import type { CaptureDeps } from '../../../src/server/mailboxes/capture.service';
import { connectImap, syncFolder } from '../../../src/server/mailboxes/imap-reader';
import { findMailbox } from '../../../src/server/mailboxes/mailbox.repository';
import { startTestServer, type TestServer } from '../harness';
import type { EngineName } from '../../postgres';
import { startDovecot, type Dovecot } from '../imap/dovecot';

export interface CaptureFixture {
  dovecot: Dovecot;
  t: TestServer;
  mailboxId: string;
  /** One reader pass over the folder, as the server's reader does it, on a connection of its own. */
  sync(options: { limit?: number; maxMessageBytes: number }): Promise<number>;
  close(): Promise<void>;
}

/**
 * A real Dovecot and a test server whose own reader is off, with one mailbox on that Dovecot set up through the
 * admin API (plus `mailbox`'s extra settings); the test drives the reader itself through `sync`.
 */
export async function startCaptureFixture(
  engine: EngineName,
  mailbox: Record<string, unknown> = {},
  /** server: more of the test server's settings (SMTP: acknowledgements are queued in its outbox); blobs: wrap the store. */
  options: { server?: Partial<ServerConfig>; blobs?: (store: BlobStore) => BlobStore } = {},
): Promise<CaptureFixture> {
  const dovecot = await startDovecot();
  const t = await startTestServer(engine, { mailboxCapture: false, ...options.server });
  const blobs = await openBlobStore(configFromEnv({}).blobStore, {
    dataDir: t.dataDir,
    databaseUrl: t.databaseUrl,
  });
  const deps: CaptureDeps = {
    storage: t.server.storage,
    fields: () => STANDARD_FIELDS,
    blobs: options.blobs ? options.blobs(blobs) : blobs,
    ...(options.server?.smtpUrl
      ? { mail: { outbox: t.server.outbox, from: configFromEnv({}).smtpFrom } }
      : {}),
  };
  const created = await t.call('POST', '/crm/v6/settings/mailboxes', {
    role: 'admin',
    json: {
      mailboxes: [
        {
          name: 'Support',
          host: dovecot.host,
          port: dovecot.port,
          secure: false,
          starttls: false,
          user: dovecot.user,
          password: dovecot.password,
          ...mailbox,
        },
      ],
    },
  });
  expect(created.status).toBe(201);
  const mailboxId: string = created.body.mailboxes[0].details.id;
  return {
    dovecot,
    t,
    mailboxId,
    async sync(options) {
      const stored = (await findMailbox(t.server.storage.db, mailboxId))!;
      const client = connectImap(stored);
      await client.connect();
      try {
        return await syncFolder(deps, client, stored, options);
      } finally {
        await client.logout();
      }
    },
    async close() {
      await blobs.close();
      await t.close();
      await dovecot.stop();
    },
  };
}
