import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { STANDARD_FIELDS } from '../../../src/shared/case-fields';
import { openBlobStore, type OpenBlobStore } from '../../../src/server/attachments/blob-stores';
import { configFromEnv } from '../../../src/server/config';
import { connectImap, syncFolder } from '../../../src/server/mailboxes/imap-reader';
import { findMailbox } from '../../../src/server/mailboxes/mailbox.repository';
import { startTestServer, type TestServer } from '../harness';
import { IMAP_TESTS_RUN, startDovecot, type Dovecot } from '../imap/dovecot';
import { eml } from './corpus';

const describeImap = IMAP_TESTS_RUN ? describe : describe.skip;
const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOi.test-access-token';

/** Exchange Online's way in: an OAuth2 access token over SASL XOAUTH2, checked by an introspection endpoint. */
describeImap('reading a mailbox with an OAuth2 access token (XOAUTH2, real Dovecot)', () => {
  let introspection: http.Server;
  const seen: string[] = [];
  let dovecot: Dovecot;
  let t: TestServer;
  let blobs: OpenBlobStore;

  beforeAll(async () => {
    introspection = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const token = new URLSearchParams(body).get('token') ?? '';
        seen.push(token);
        response.setHeader('content-type', 'application/json');
        response.end(
          JSON.stringify(
            token === TOKEN ? { active: true, username: 'support@casepane.test' } : { active: false },
          ),
        );
      });
    });
    await new Promise<void>((resolve) => introspection.listen(0, '127.0.0.1', resolve));
    const { port } = introspection.address() as AddressInfo;
    dovecot = await startDovecot({ oauth2IntrospectionUrl: `http://127.0.0.1:${port}/introspect` });
    t = await startTestServer('sqlite', { mailboxCapture: false });
    blobs = await openBlobStore(configFromEnv({}).blobStore, { dataDir: t.dataDir });
  });
  afterAll(async () => {
    await blobs?.close();
    await t?.close();
    await dovecot?.stop();
    introspection?.close();
  });

  it('logs in with the token the admin stored, and a wrong token fails', async () => {
    const created = await t.call('POST', '/crm/v6/settings/mailboxes', {
      role: 'admin',
      json: {
        mailboxes: [
          {
            name: 'M365',
            host: dovecot.host,
            port: dovecot.port,
            secure: false,
            starttls: false,
            user: dovecot.user,
            access_token: TOKEN,
          },
        ],
      },
    });
    expect(created.body.mailboxes[0].details).toMatchObject({ password_set: false, access_token_set: true });
    const id = created.body.mailboxes[0].details.id;
    await dovecot.append([
      await eml({
        from: 'A <a@klient.pl>',
        messageId: '<oauth-1@klient.pl>',
        subject: 'Via OAuth',
        text: 'x',
      }),
    ]);
    const mailbox = (await findMailbox(t.server.storage.db, id))!;
    const client = connectImap(mailbox);
    await client.connect();
    try {
      const deps = { storage: t.server.storage, fields: () => STANDARD_FIELDS, blobs };
      expect(await syncFolder(deps, client, mailbox, { maxMessageBytes: 1024 * 1024 })).toBe(1);
    } finally {
      await client.logout();
    }
    expect(seen).toContain(TOKEN);
    const cases = await t.server.storage.db.selectFrom('cases').select('subject').execute();
    expect(cases.map((c) => c.subject)).toEqual(['Via OAuth']);

    const wrong = connectImap({ ...mailbox, access_token: 'expired-token' });
    await expect(wrong.connect()).rejects.toMatchObject({ authenticationFailed: true });
  }, 60_000);
});
