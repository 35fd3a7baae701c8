import type { FastifyInstance } from 'fastify';
import { isRecordId } from '../../shared/validation';
import { type AppDeps, serviceContext } from '../http/context';
import { recordIdParam, recordsOf } from '../http/envelope';
import { apiError } from '../http/errors';
import { mailResult, type SentCaseMail } from './case-mail';
import {
  createTemplate,
  deleteTemplate,
  listTemplates,
  type MailDeps,
  queueFromCase,
  sendBulk,
  updateTemplate,
} from './mail.service';

const admin = { config: { permission: 'admin' as const } };
type IdParams = { Params: { id: string } };

/** `{"id": …}` of one record of a bulk send: a record id as text or a number, anything else a 400 naming it. */
function caseIdOf(record: unknown, index: number): string {
  const id = typeof record === 'object' && record !== null ? (record as { id?: unknown }).id : undefined;
  const text = typeof id === 'number' && Number.isSafeInteger(id) ? String(id) : id;
  if (isRecordId(text)) return text;
  throw apiError(
    400,
    id === undefined ? 'MANDATORY_NOT_FOUND' : 'INVALID_DATA',
    `data[${index}].id: a case id`,
    {
      api_name: 'id',
      json_path: `$.data[${index}].id`,
    },
  );
}

/**
 * Sending: the mail is queued in the request's transaction and delivered after its commit (src/server/outbox);
 * the answer waits a moment for that first attempt. 200 sent, 202 queued (the mail server has not answered
 * yet: it is retried), 502 MAIL_NOT_SENT refused for good.
 */
export function mailRoutes(app: FastifyInstance, deps: AppDeps, mail: MailDeps): void {
  const { db } = deps.storage;

  app.post<{ Params: { id: string } }>('/crm/v6/Cases/:id/actions/send_mail', async (request, reply) => {
    const id = recordIdParam(request.params.id);
    const [input] = recordsOf(request.body, 1);
    const queued = await deps.storage.write((trx) =>
      queueFromCase(trx, serviceContext(deps, request), mail, id, input),
    );
    const [outcome] = await mail.outbox.deliverNow<SentCaseMail>([queued.outboxId]);
    if (outcome.state === 'failed') throw apiError(502, 'MAIL_NOT_SENT', outcome.error, {});
    const result = mailResult(outcome, queued);
    return reply.code(outcome.state === 'queued' ? 202 : 200).send({ data: [result] });
  });

  app.post('/crm/v6/Cases/actions/send_mail', async (request) => {
    const ids = recordsOf(request.body).map(caseIdOf);
    return { data: await sendBulk(deps.storage, serviceContext(deps, request), mail, request.body, ids) };
  });

  app.get('/crm/v6/settings/email_templates', async () => ({ email_templates: await listTemplates(db) }));
  app.post('/crm/v6/settings/email_templates', admin, async (request, reply) => {
    const [input] = recordsOf(request.body, 1);
    const id = await deps.storage.write((trx) => createTemplate(trx, input));
    return reply
      .code(201)
      .send({ data: [{ code: 'SUCCESS', details: { id }, message: 'template added', status: 'success' }] });
  });
  app.put<IdParams>('/crm/v6/settings/email_templates/:id', admin, async (request) => {
    const id = recordIdParam(request.params.id);
    const [input] = recordsOf(request.body, 1);
    await deps.storage.write((trx) => updateTemplate(trx, id, input));
    return { data: [{ code: 'SUCCESS', details: { id }, message: 'template updated', status: 'success' }] };
  });
  app.delete<IdParams>('/crm/v6/settings/email_templates/:id', admin, async (request) => {
    const id = recordIdParam(request.params.id);
    await deps.storage.write((trx) => deleteTemplate(trx, id));
    return { data: [{ code: 'SUCCESS', details: { id }, message: 'template deleted', status: 'success' }] };
  });
}
