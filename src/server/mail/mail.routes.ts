import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { MAX_RECORDS_PER_CALL } from '../../shared/api-types';
import { isRecordId } from '../../shared/validation';
import { type AppDeps, serviceContext } from '../http/context';
import { recordIdParam } from '../http/envelope';
import { apiError } from '../http/errors';
import {
  crmErrors,
  IdParams,
  Loose,
  notFound,
  RecordResults,
  RecordsBody,
  SuccessReply,
  typed,
  ZohoError,
} from '../http/schema';
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

const admin = { permission: 'admin' as const };
const Sent = (description: string) => RecordResults(description);
const templateSchemas = {
  list: {
    summary: 'Email templates',
    tags: ['Mail'],
    response: {
      200: Type.Object(
        { email_templates: Type.Array(Loose()) },
        { additionalProperties: true, description: 'Templates' },
      ),
      ...crmErrors,
    },
  },
  create: {
    summary: 'Add an email template (admin)',
    tags: ['Mail'],
    body: RecordsBody(1),
    response: { 201: SuccessReply('data', 'Added: details.id'), ...crmErrors },
  },
  update: {
    summary: 'Change an email template (admin)',
    tags: ['Mail'],
    params: IdParams,
    body: RecordsBody(1),
    response: { 200: SuccessReply('data', 'Updated'), ...notFound, ...crmErrors },
  },
  delete: {
    summary: 'Delete an email template (admin)',
    tags: ['Mail'],
    params: IdParams,
    response: { 200: SuccessReply('data', 'Deleted'), ...notFound, ...crmErrors },
  },
};
const sendSchemas = {
  one: {
    summary: "Send an email to the case's customer: queued with the write, delivered after the commit",
    tags: ['Mail'],
    params: IdParams,
    body: RecordsBody(1),
    response: {
      200: Sent('Sent'),
      202: Sent('Queued: the mail server has not answered yet; retried'),
      ...notFound,
      ...crmErrors,
      502: ZohoError('MAIL_NOT_SENT: refused by the mail server for good'),
    },
  },
  bulk: {
    summary: 'Send one template to the customers of several cases ({"data": [{"id"}], template_id …})',
    tags: ['Mail'],
    body: RecordsBody(MAX_RECORDS_PER_CALL),
    response: { 200: Sent('Per case: sent, queued or why not'), ...crmErrors },
  },
};

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
export function mailRoutes(root: FastifyInstance, deps: AppDeps, mail: MailDeps): void {
  const app = typed(root);
  const { db } = deps.storage;

  app.post('/crm/v6/Cases/:id/actions/send_mail', { schema: sendSchemas.one }, async (request, reply) => {
    const id = recordIdParam(request.params.id);
    const [input] = request.body.data;
    const queued = await deps.storage.write((trx) =>
      queueFromCase(trx, serviceContext(deps, request), mail, id, input),
    );
    const [outcome] = await mail.outbox.deliverNow<SentCaseMail>([queued.outboxId]);
    if (outcome.state === 'failed') throw apiError(502, 'MAIL_NOT_SENT', outcome.error, {});
    const result = mailResult(outcome, queued);
    return reply.code(outcome.state === 'queued' ? 202 : 200).send({ data: [result] });
  });

  app.post('/crm/v6/Cases/actions/send_mail', { schema: sendSchemas.bulk }, async (request) => {
    const ids = request.body.data.map(caseIdOf);
    return { data: await sendBulk(deps.storage, serviceContext(deps, request), mail, request.body, ids) };
  });

  app.get('/crm/v6/settings/email_templates', { schema: templateSchemas.list }, async () => ({
    email_templates: await listTemplates(db),
  }));
  app.post(
    '/crm/v6/settings/email_templates',
    { config: admin, schema: templateSchemas.create },
    async (request, reply) => {
      const [input] = request.body.data;
      const id = await deps.storage.write((trx) => createTemplate(trx, input));
      return reply
        .code(201)
        .send({ data: [{ code: 'SUCCESS', details: { id }, message: 'template added', status: 'success' }] });
    },
  );
  app.put(
    '/crm/v6/settings/email_templates/:id',
    { config: admin, schema: templateSchemas.update },
    async (request) => {
      const id = recordIdParam(request.params.id);
      const [input] = request.body.data;
      await deps.storage.write((trx) => updateTemplate(trx, id, input));
      return { data: [{ code: 'SUCCESS', details: { id }, message: 'template updated', status: 'success' }] };
    },
  );
  app.delete(
    '/crm/v6/settings/email_templates/:id',
    { config: admin, schema: templateSchemas.delete },
    async (request) => {
      const id = recordIdParam(request.params.id);
      await deps.storage.write((trx) => deleteTemplate(trx, id));
      return { data: [{ code: 'SUCCESS', details: { id }, message: 'template deleted', status: 'success' }] };
    },
  );
}
