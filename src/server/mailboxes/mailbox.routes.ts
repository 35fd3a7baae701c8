import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../http/context';
import { recordIdParam } from '../http/envelope';
import { crmErrors, IdParams, judgedByService, Loose, notFound, typed, ZohoError } from '../http/schema';
import * as service from './mailbox-settings.service';

const admin = { permission: 'admin' as const };
const tags = ['Mailboxes'];

/*
 * The fields are described here and judged by mailboxOf(), which answers per record ({mailboxes: [{details:
 * {api_name}}]}) and knows more than a schema can (a host name, addresses and domains): so the item is documented
 * but not refused by the schema.
 */
const MailboxInput = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 255 })),
  host: Type.Optional(Type.String({ maxLength: 253 })),
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, default: 993 })),
  secure: Type.Optional(Type.Boolean({ default: true, description: 'TLS from the first byte (IMAPS)' })),
  starttls: Type.Optional(
    Type.Boolean({ default: true, description: 'Without secure: upgrade with STARTTLS' }),
  ),
  user: Type.Optional(Type.String({ maxLength: 320 })),
  password: Type.Optional(
    Type.Union([Type.String(), Type.Null()], {
      writeOnly: true,
      description: 'Never returned: see password_set',
    }),
  ),
  access_token: Type.Optional(
    Type.Union([Type.String(), Type.Null()], {
      writeOnly: true,
      description: 'OAuth2 access token for XOAUTH2 (Exchange Online, Gmail); never returned',
    }),
  ),
  oauth: Type.Optional(
    Type.Union(
      [
        Type.Object(
          {
            token_url: Type.Optional(
              Type.String({ description: 'https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token' }),
            ),
            client_id: Type.Optional(Type.String({ description: "The Entra app's application (client) id" })),
            client_secret: Type.Optional(
              Type.String({ writeOnly: true, description: 'Never returned: see oauth.client_secret_set' }),
            ),
            scope: Type.Optional(Type.String({ default: 'https://outlook.office365.com/.default' })),
          },
          { additionalProperties: true },
        ),
        Type.Null(),
      ],
      {
        description:
          'OAuth2 client credentials: the server fetches and renews the XOAUTH2 token; null turns them off',
      },
    ),
  ),
  folder: Type.Optional(Type.String({ default: 'INBOX' })),
  enabled: Type.Optional(Type.Boolean({ default: true })),
  never_capture: Type.Optional(
    Type.Array(Type.String(), {
      maxItems: 500,
      description: 'Addresses and domains whose mail is never captured (internal mail)',
    }),
  ),
});
const Body = Type.Object({
  mailboxes: Type.Array(judgedByService(MailboxInput), { minItems: 1, maxItems: 1 }),
});
const Answer = (description: string) =>
  Type.Object({ mailboxes: Type.Array(Loose()) }, { additionalProperties: true, description });
const refused = {
  ...crmErrors,
  400: ZohoError('Invalid field (details.api_name)'),
  403: ZohoError('Not an administrator'),
};
const schemas = {
  list: {
    summary: 'Support mailboxes read over IMAP, with status (last poll, messages captured, last error)',
    tags,
    response: { 200: Answer('Mailboxes; secrets only as password_set / access_token_set'), ...refused },
  },
  get: {
    summary: 'One mailbox',
    tags,
    params: IdParams,
    response: { 200: Answer('Mailbox'), ...notFound, ...refused },
  },
  create: {
    summary: 'Connect a support mailbox (password, access_token or oauth client credentials required)',
    tags,
    body: Body,
    response: { 201: Answer('Created'), ...refused },
  },
  update: {
    summary: 'Change a mailbox; only the fields given change (null clears a secret)',
    tags,
    params: IdParams,
    body: Body,
    response: { 200: Answer('Updated'), ...notFound, ...refused },
  },
  delete: {
    summary: 'Disconnect a mailbox',
    tags,
    params: IdParams,
    response: { 200: Answer('Deleted'), ...notFound, ...refused },
  },
};
const success = (message: string, details: unknown) => ({
  code: 'SUCCESS',
  details,
  message,
  status: 'success',
});

/** Support mailboxes read over IMAP (admin only). Secrets are write-only: answers say `password_set`. */
export function mailboxRoutes(root: FastifyInstance, deps: AppDeps): void {
  const app = typed(root);
  const { db } = deps.storage;
  const tx = deps.storage.write;
  app.get('/crm/v6/settings/mailboxes', { config: admin, schema: schemas.list }, async () => ({
    mailboxes: await service.listMailboxRecords(db),
  }));
  app.get('/crm/v6/settings/mailboxes/:id', { config: admin, schema: schemas.get }, async (request) => ({
    mailboxes: [await service.getMailbox(db, recordIdParam(request.params.id))],
  }));
  app.post(
    '/crm/v6/settings/mailboxes',
    { config: admin, schema: schemas.create },
    async (request, reply) => {
      const input = request.body.mailboxes[0];
      const record = await tx((trx) => service.createMailbox(trx, input));
      return reply.code(201).send({ mailboxes: [success('mailbox added', record)] });
    },
  );
  app.put('/crm/v6/settings/mailboxes/:id', { config: admin, schema: schemas.update }, async (request) => {
    const id = recordIdParam(request.params.id);
    const input = request.body.mailboxes[0];
    const record = await tx((trx) => service.updateMailbox(trx, id, input));
    return { mailboxes: [success('mailbox updated', record)] };
  });
  app.delete('/crm/v6/settings/mailboxes/:id', { config: admin, schema: schemas.delete }, async (request) => {
    const id = recordIdParam(request.params.id);
    await tx((trx) => service.deleteMailbox(trx, id));
    return { mailboxes: [success('mailbox deleted', { id })] };
  });
}
