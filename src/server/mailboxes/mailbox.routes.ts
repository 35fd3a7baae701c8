import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../http/context';
import { recordIdParam } from '../http/envelope';
import * as service from './mailbox-settings.service';

type IdParams = { Params: { id: string } };
const admin = { config: { permission: 'admin' as const } };
const success = (message: string, details: unknown) => ({
  code: 'SUCCESS',
  details,
  message,
  status: 'success',
});

/** Support mailboxes read over IMAP (admin only). Secrets are write-only: answers say `password_set`. */
export function mailboxRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { db } = deps.storage;
  const tx = deps.storage.write;
  app.get('/crm/v6/settings/mailboxes', admin, async () => ({
    mailboxes: await service.listMailboxRecords(db),
  }));
  app.get<IdParams>('/crm/v6/settings/mailboxes/:id', admin, async (request) => ({
    mailboxes: [await service.getMailbox(db, recordIdParam(request.params.id))],
  }));
  app.post('/crm/v6/settings/mailboxes', admin, async (request, reply) => {
    const input = service.mailboxOf(request.body);
    const record = await tx((trx) => service.createMailbox(trx, input));
    return reply.code(201).send({ mailboxes: [success('mailbox added', record)] });
  });
  app.put<IdParams>('/crm/v6/settings/mailboxes/:id', admin, async (request) => {
    const id = recordIdParam(request.params.id);
    const input = service.mailboxOf(request.body);
    const record = await tx((trx) => service.updateMailbox(trx, id, input));
    return { mailboxes: [success('mailbox updated', record)] };
  });
  app.delete<IdParams>('/crm/v6/settings/mailboxes/:id', admin, async (request) => {
    const id = recordIdParam(request.params.id);
    await tx((trx) => service.deleteMailbox(trx, id));
    return { mailboxes: [success('mailbox deleted', { id })] };
  });
}
