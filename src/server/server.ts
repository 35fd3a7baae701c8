import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { openLocalIssuer, type LocalIssuer } from './auth/local-issuer';
import { entraVerifier, localVerifier, type TokenVerifier } from './auth/verifier';
import type { ServerConfig } from './config';
import { openStorage, type Storage } from './db/database';
import { readFieldsFile } from './fields-config';
import { removeLeftoverSpools } from './imports/import.routes';
import { CASE_MAIL, caseMailHandler } from './mail/case-mail';
import { smtpMailer } from './mail/mailer';
import { CRM_NOTIFICATION } from './notifications/emit';
import { notificationHandler } from './notifications/delivery';
import { Outbox } from './outbox/outbox';
import { recoverInterruptedImports } from './imports/import.service';
import { startOpenCaseCountFolding } from './reports/open-case-counts.schedule';
import { startEscalationSchedule } from './rules/escalation.service';
import { importFieldsFile, openFieldRegistry } from './settings/field-registry';
import { openBlobStore } from './attachments/blob-stores';
import { startMailboxCapture } from './mailboxes/mailbox-capture';
import { WRITE_OPERATIONS_MODULE } from './write-operations';

export interface RunningServer {
  app: FastifyInstance;
  storage: Storage;
  issuer?: LocalIssuer;
  outbox: Outbox;
  url: string;
  close(): Promise<void>;
}

/** Open storage (migrating it), set up auth, and listen. Used by main.ts and by the black-box tests. */
export async function startServer(config: ServerConfig): Promise<RunningServer> {
  const storage = await openStorage({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    writeOperations: WRITE_OPERATIONS_MODULE,
  });
  const fieldsFile = readFieldsFile(config.dataDir, config.fieldsFile);
  if (fieldsFile !== undefined) await importFieldsFile(storage, fieldsFile);
  const fields = await openFieldRegistry(storage);
  let issuer: LocalIssuer | undefined;
  let verifier: TokenVerifier;
  if (config.auth.mode === 'entra') {
    verifier = entraVerifier(config.auth);
  } else {
    issuer = await openLocalIssuer({ storage, dataDir: config.dataDir, settings: config.localKeys });
    verifier = localVerifier(issuer);
  }
  removeLeftoverSpools(path.join(config.dataDir, 'tmp'));
  const mailer = config.smtpUrl ? smtpMailer(config.smtpUrl, config.smtpFrom) : undefined;
  // Reports through the app's logger: deliveries start (outbox.start below) only once the app exists.
  const outbox = new Outbox(storage, config.outbox, (error) =>
    app.log.error({ err: error }, 'outbox delivery failed'),
  );
  if (mailer) outbox.register(CASE_MAIL, caseMailHandler(mailer));
  // resource_uri in callbacks: PUBLIC_ORIGIN, or the address listened on (known once listening).
  let origin = config.publicOrigin;
  outbox.register(
    CRM_NOTIFICATION,
    notificationHandler({
      db: storage.db,
      settings: config.notifications,
      resourceBase: () => origin ?? `http://localhost:${config.port}`,
    }),
  );
  // One blob store for the API and the mailbox capture (BLOB_STORE=postgres keeps a pool of its own).
  const blobs = await openBlobStore(config.blobStore, config);
  const app = await buildApp({ config, storage, fields, verifier, issuer, outbox, mailer, blobs });
  const stopImportRecovery = recoverInterruptedImports(
    storage,
    config.importLimits.staleAfterSeconds,
    (error) => app.log.error({ err: error }, 'marking interrupted imports failed'),
  );
  const address = await app.listen({ port: config.port, host: config.host });
  origin ??= address.replace('[::1]', 'localhost');
  const stopEscalations = startEscalationSchedule(
    storage,
    () => fields.current(),
    config.escalationIntervalSeconds * 1000,
    (error) => app.log.error({ err: error }, 'escalation pass failed'),
  );
  const stopFolding = startOpenCaseCountFolding(storage, config.openCountFoldSeconds * 1000, (error) =>
    app.log.error({ err: error }, 'folding the open-case counters failed'),
  );
  const stopOutbox = outbox.start();
  // Cases from support mailboxes (MAILBOX_CAPTURE=off: none read here); attachments go to the same blob store.
  const stopMailboxes = config.mailboxCapture
    ? startMailboxCapture(
        {
          storage,
          fields: () => fields.current(),
          blobs,
          outbox,
          mail: mailer && { outbox, from: mailer.from },
        },
        { pollSeconds: config.mailboxPollSeconds, maxMessageBytes: config.mailboxMaxMessageBytes },
        (error, mailboxId) => app.log.warn({ err: error, mailboxId }, 'mailbox capture failed'),
      )
    : async () => undefined;
  return {
    app,
    storage,
    outbox,
    issuer,
    url: address.replace('[::1]', 'localhost'),
    async close() {
      stopEscalations();
      stopFolding();
      stopImportRecovery();
      await stopMailboxes();
      fields.close();
      await app.close();
      await blobs.close();
      await stopOutbox();
      await storage.close();
    },
  };
}
