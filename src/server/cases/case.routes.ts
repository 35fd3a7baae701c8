import type { FastifyInstance } from 'fastify';
import { recordsOf, recordIdParam } from '../http/envelope';
import { type AppDeps, serviceContext, userOf } from '../http/context';
import { apiError } from '../http/errors';
import { listCondition, listPage, pageParams, searchCondition } from './case.query';
import { modifiedSince } from '../zoho/conditional';
import * as service from './case.service';
import { batchModeOf, batchStatus } from '../zoho/batch';
import { withCvid } from '../views/views.service';

type IdParams = { Params: { id: string } };
type Query = { Querystring: Record<string, unknown> };

/** Routes validate the request's shape and open the transaction; the service does the rest. */
export function caseRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { db } = deps.storage;
  const tx = deps.storage.write;

  app.post('/crm/v6/Cases', async (request, reply) => {
    const records = recordsOf(request.body);
    const mode = batchModeOf(request);
    const results = await tx((trx) =>
      service.createCases(trx, serviceContext(deps, request), records, 'created', mode),
    );
    return reply.code(batchStatus(results, 201)).send({ data: results });
  });

  app.put('/crm/v6/Cases', async (request, reply) => {
    const records = recordsOf(request.body);
    const updates = records.map((r, i) => {
      const { id, ...input } = (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>;
      if (typeof id !== 'string' && typeof id !== 'number')
        throw apiError(400, 'MANDATORY_NOT_FOUND', `data[${i}].id is required to update`, {
          api_name: 'id',
          json_path: `$.data[${i}].id`,
        });
      return { id: recordIdParam(String(id)), input };
    });
    const mode = batchModeOf(request);
    const results = await tx((trx) => service.updateCases(trx, serviceContext(deps, request), updates, mode));
    return reply.code(batchStatus(results, 200)).send({ data: results });
  });

  app.get<Query>('/crm/v6/Cases', async (request, reply) => {
    const since = modifiedSince(request);
    const ctx = { db, engine: deps.storage.engine, fields: deps.fields, user: userOf(request) };
    const { query, where } = await withCvid(ctx, request.query, listCondition(request.query, since));
    const page = await listPage(db, deps.fields, pageParams(query, deps.fields), where);
    if (page.data.length) return page;
    // Zoho: nothing changed since If-Modified-Since is 304, an empty list otherwise 204.
    return reply.code(since ? 304 : 204).send();
  });

  app.get<Query>('/crm/v6/Cases/search', async (request, reply) => {
    const where = searchCondition(request.query, deps.fields, deps.storage.engine);
    const page = await listPage(db, deps.fields, pageParams(request.query, deps.fields), where);
    return page.data.length ? page : reply.code(204).send();
  });

  app.get<IdParams>('/crm/v6/Cases/:id', async (request) => {
    const record = await service.getCase(db, serviceContext(deps, request), recordIdParam(request.params.id));
    return { data: [record] };
  });

  app.put<IdParams>('/crm/v6/Cases/:id', async (request) => {
    const id = recordIdParam(request.params.id);
    const records = recordsOf(request.body, 1);
    const input = records[0];
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      throw apiError(400, 'INVALID_DATA', 'data[0] must be a JSON object', { api_name: 'data' });
    const { id: _ignored, ...fields } = input as Record<string, unknown>;
    return {
      data: await tx((trx) =>
        service.updateCases(trx, serviceContext(deps, request), [{ id, input: fields }]),
      ),
    };
  });

  app.delete<IdParams>('/crm/v6/Cases/:id', { config: { permission: 'delete' } }, async (request) => {
    const id = recordIdParam(request.params.id);
    return { data: [await tx((trx) => service.deleteCase(trx, serviceContext(deps, request), id))] };
  });

  app.post<IdParams>('/crm/v6/Cases/:id/actions/clone', async (request, reply) => {
    const id = recordIdParam(request.params.id);
    const overrides =
      request.body === undefined || request.body === null ? undefined : recordsOf(request.body, 1)[0];
    const result = await tx((trx) => service.cloneCase(trx, serviceContext(deps, request), id, overrides));
    return reply.code(201).send({ data: [result] });
  });

  app.post('/crm/v6/Cases/actions/from_email', async (request, reply) => {
    const items = recordsOf(request.body);
    const { results, created } = await tx((trx) =>
      service.createFromEmail(trx, serviceContext(deps, request), items),
    );
    return reply.code(created ? 201 : 200).send({ data: results });
  });
}
