import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { MAX_RECORDS_PER_CALL } from '../../shared/api-types';
import { type AppDeps, serviceContext } from '../http/context';
import { recordIdParam } from '../http/envelope';
import { apiError } from '../http/errors';
import { pageOf } from '../http/paging';
import {
  crmErrors,
  IdParams,
  ListReply,
  NoContent,
  notFound,
  PageQuery,
  queryText,
  RecordId,
  RecordResults,
  RecordsBody,
  typed,
} from '../http/schema';
import * as service from './email.service';

const tags = ['Emails'];
const Results = RecordResults('Per record: SUCCESS with details.id, or an error naming the field');
const LinkParams = Type.Object({ id: RecordId, linkId: RecordId });
const schemas = {
  link: {
    summary: 'Link received messages to the case',
    tags,
    params: IdParams,
    body: RecordsBody(MAX_RECORDS_PER_CALL, 'EmailMessage'),
    response: { 201: Results, ...notFound, ...crmErrors },
  },
  list: {
    summary: "The case's linked emails",
    tags,
    params: IdParams,
    querystring: PageQuery,
    response: { 200: ListReply('Emails'), 204: NoContent('None'), ...notFound, ...crmErrors },
  },
  casesOf: {
    summary: 'Cases linked to a message or its thread',
    tags,
    querystring: Type.Object(
      {
        internet_message_id: queryText('The message (at most 998 characters)'),
        conversation_id: queryText('Its thread (at most 512 characters)'),
        subject: queryText('Its subject: a [Case #…] reference in it (at most 2,000 characters)'),
      },
      { additionalProperties: true },
    ),
    response: { 200: ListReply('Linked cases'), 204: NoContent('None'), ...crmErrors },
  },
  unlink: {
    summary: 'Unlink an email from the case',
    tags,
    params: LinkParams,
    response: { 200: Results, ...notFound, ...crmErrors },
  },
  move: {
    summary: 'Move a linked email to another case',
    tags,
    params: LinkParams,
    body: Type.Object({ case_id: RecordId }, { additionalProperties: true }),
    response: { 200: Results, ...notFound, ...crmErrors },
  },
};

type Query = Record<string, unknown>;

function optionalParam(query: Query, name: string, max: number): string | undefined {
  const v = query[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || v.length > max)
    throw apiError(400, 'INVALID_DATA', `${name} must be given once, at most ${max} characters`, {
      param_name: name,
    });
  return v;
}

export function emailRoutes(root: FastifyInstance, deps: AppDeps): void {
  const app = typed(root);
  const { db } = deps.storage;

  app.post('/crm/v6/Cases/:id/Emails', { schema: schemas.link }, async (request, reply) => {
    const caseId = recordIdParam(request.params.id);
    const messages = request.body.data;
    const results = await deps.storage.write((trx) =>
      service.linkEmails(trx, serviceContext(deps, request), caseId, messages),
    );
    return reply.code(201).send({ data: results });
  });

  app.get('/crm/v6/Cases/:id/Emails', { schema: schemas.list }, async (request, reply) => {
    const caseId = recordIdParam(request.params.id);
    const { page, perPage } = pageOf(request.query);
    const { data, more } = await service.listEmailLinks(db, caseId, page, perPage);
    if (data.length === 0) return reply.code(204).send();
    return { data, info: { page, per_page: perPage, count: data.length, more_records: more } };
  });

  app.get('/crm/v6/Emails/cases', { schema: schemas.casesOf }, async (request, reply) => {
    const messageId = optionalParam(request.query, 'internet_message_id', 998);
    const conversationId = optionalParam(request.query, 'conversation_id', 512);
    const subject = optionalParam(request.query, 'subject', 2000);
    const data = await service.casesForMessage(db, messageId, conversationId, subject);
    return data.length ? { data } : reply.code(204).send();
  });
}

export function emailUnlinkRoutes(root: FastifyInstance, deps: AppDeps): void {
  const app = typed(root);
  app.delete('/crm/v6/Cases/:id/Emails/:linkId', { schema: schemas.unlink }, async (request) => {
    const caseId = recordIdParam(request.params.id);
    const linkId = recordIdParam(request.params.linkId);
    return {
      data: [
        await deps.storage.write((trx) =>
          service.unlinkEmail(trx, serviceContext(deps, request), caseId, linkId),
        ),
      ],
    };
  });
  app.post('/crm/v6/Cases/:id/Emails/:linkId/actions/move', { schema: schemas.move }, async (request) => {
    const caseId = recordIdParam(request.params.id);
    const linkId = recordIdParam(request.params.linkId);
    const moveTo = recordIdParam(request.body.case_id);
    return {
      data: [
        await deps.storage.write((trx) =>
          service.unlinkEmail(trx, serviceContext(deps, request), caseId, linkId, moveTo),
        ),
      ],
    };
  });
}
