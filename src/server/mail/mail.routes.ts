import type { FastifyInstance } from 'fastify';
import { type AppDeps, serviceContext } from '../http/context';
import { recordIdParam, recordsOf } from '../http/envelope';
import type { Mailer } from './mailer';
import { createTemplate, listTemplates, sendBulk, sendFromCase } from './mail.service';

export function mailRoutes(app: FastifyInstance, deps: AppDeps, mailer: Mailer | undefined): void {
  const { db } = deps.storage;

  app.post<{ Params: { id: string } }>('/crm/v6/Cases/:id/actions/send_mail', async (request) => {
    const id = recordIdParam(request.params.id);
    const [input] = recordsOf(request.body, 1);
    return {
      data: [
        await deps.storage.write((trx) =>
          sendFromCase(trx, serviceContext(deps, request), mailer, id, input),
        ),
      ],
    };
  });

  app.post('/crm/v6/Cases/actions/send_mail', async (request) => {
    const ids = recordsOf(request.body).map((r) =>
      recordIdParam(String((r as { id?: unknown } | null)?.id ?? '')),
    );
    return { data: await sendBulk(deps.storage, serviceContext(deps, request), mailer, request.body, ids) };
  });

  app.get('/crm/v6/settings/email_templates', async () => ({ email_templates: await listTemplates(db) }));
  app.post(
    '/crm/v6/settings/email_templates',
    { config: { permission: 'admin' } },
    async (request, reply) => {
      const [input] = recordsOf(request.body, 1);
      const id = await deps.storage.write((trx) => createTemplate(trx, input));
      return reply
        .code(201)
        .send({ data: [{ code: 'SUCCESS', details: { id }, message: 'template added', status: 'success' }] });
    },
  );
}
