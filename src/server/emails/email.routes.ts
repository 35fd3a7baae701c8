import type { FastifyInstance } from 'fastify';
import { type AppDeps, serviceContext } from '../http/context';
import { recordIdParam, recordsOf } from '../http/envelope';
import { apiError } from '../http/errors';
import * as service from './email.service';

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

export function emailRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { db } = deps.storage;

  app.post<{ Params: { id: string } }>('/crm/v6/Cases/:id/Emails', async (request, reply) => {
    const caseId = recordIdParam(request.params.id);
    const messages = recordsOf(request.body);
    const results = await deps.storage.write((trx) =>
      service.linkEmails(trx, serviceContext(deps, request), caseId, messages),
    );
    return reply.code(201).send({ data: results });
  });

  app.get<{ Params: { id: string }; Querystring: Query }>(
    '/crm/v6/Cases/:id/Emails',
    async (request, reply) => {
      const caseId = recordIdParam(request.params.id);
      const page = Number(optionalParam(request.query, 'page', 6) ?? 1);
      const perPage = Number(optionalParam(request.query, 'per_page', 3) ?? 200);
      if (!Number.isInteger(page) || page < 1 || !Number.isInteger(perPage) || perPage < 1 || perPage > 200)
        throw apiError(400, 'INVALID_DATA', 'page must be ≥ 1 and per_page from 1 to 200', {
          param_name: 'per_page',
        });
      const { data, more } = await service.listEmailLinks(db, caseId, page, perPage);
      if (data.length === 0) return reply.code(204).send();
      return { data, info: { page, per_page: perPage, count: data.length, more_records: more } };
    },
  );

  app.get<{ Querystring: Query }>('/crm/v6/Emails/cases', async (request, reply) => {
    const messageId = optionalParam(request.query, 'internet_message_id', 998);
    const conversationId = optionalParam(request.query, 'conversation_id', 512);
    const subject = optionalParam(request.query, 'subject', 2000);
    const data = await service.casesForMessage(db, messageId, conversationId, subject);
    return data.length ? { data } : reply.code(204).send();
  });
}

export function emailUnlinkRoutes(app: FastifyInstance, deps: AppDeps): void {
  type P = { Params: { id: string; linkId: string } };
  app.delete<P>('/crm/v6/Cases/:id/Emails/:linkId', async (request) => {
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
  app.post<P>('/crm/v6/Cases/:id/Emails/:linkId/actions/move', async (request) => {
    const caseId = recordIdParam(request.params.id);
    const linkId = recordIdParam(request.params.linkId);
    const target = (request.body as { case_id?: unknown } | undefined)?.case_id;
    if (typeof target !== 'string')
      throw apiError(400, 'MANDATORY_NOT_FOUND', 'case_id is required', { api_name: 'case_id' });
    const moveTo = recordIdParam(target);
    return {
      data: [
        await deps.storage.write((trx) =>
          service.unlinkEmail(trx, serviceContext(deps, request), caseId, linkId, moveTo),
        ),
      ],
    };
  });
}
