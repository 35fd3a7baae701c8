import type { FastifyInstance } from 'fastify';
import { type AppDeps, serviceContext } from '../http/context';
import { recordIdParam, recordsOf } from '../http/envelope';
import { apiError } from '../http/errors';
import { batchModeOf, batchStatus } from '../zoho/batch';
import * as service from './note.service';
import { pageOf } from '../http/paging';

type IdParams = { Params: { id: string } };
type Query = { Querystring: Record<string, unknown> };

/** `ids=1,2,3` as record ids (at most 100, as Zoho's mass delete takes). */
export function idsParam(value: unknown, max = 100): string[] {
  if (typeof value !== 'string' || !value.trim())
    throw apiError(400, 'REQUIRED_PARAM_MISSING', 'ids is required', { param_name: 'ids' });
  const ids = value.split(',').map((s) => s.trim());
  if (ids.length > max)
    throw apiError(400, 'LIMIT_EXCEEDED', `at most ${max} ids`, { param_name: 'ids', limit: max });
  return ids.map(recordIdParam);
}

/** Zoho's Notes API: every note by id, each naming its case in Parent_Id; besides /Cases/{id}/Notes. */
export function noteRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { db } = deps.storage;
  const write = deps.storage.write;
  const remove = { config: { permission: 'delete' as const } };

  app.get<Query>('/crm/v6/Notes', async (request, reply) => {
    const { page, perPage } = pageOf(request.query);
    const result = await service.listAllNotes(db, page, perPage);
    return result.data.length ? result : reply.code(204).send();
  });
  app.get<IdParams>('/crm/v6/Notes/:id', async (request) => ({
    data: [await service.getNote(db, recordIdParam(request.params.id))],
  }));
  app.post('/crm/v6/Notes', async (request, reply) => {
    const inputs = recordsOf(request.body);
    const mode = batchModeOf(request);
    const data = await write((trx) => service.createNotes(trx, serviceContext(deps, request), inputs, mode));
    return reply.code(batchStatus(data, 201)).send({ data });
  });
  app.put('/crm/v6/Notes', async (request, reply) => {
    const updates = recordsOf(request.body).map((input, index) => {
      const id = (input as { id?: unknown } | null)?.id;
      if (typeof id !== 'string' && typeof id !== 'number')
        throw apiError(400, 'MANDATORY_NOT_FOUND', `data[${index}].id is required to update`, {
          api_name: 'id',
          json_path: `$.data[${index}].id`,
        });
      return { id: recordIdParam(String(id)), input };
    });
    const mode = batchModeOf(request);
    const data = await write((trx) => service.updateNotes(trx, serviceContext(deps, request), updates, mode));
    return reply.code(batchStatus(data, 200)).send({ data });
  });
  app.put<IdParams>('/crm/v6/Notes/:id', async (request, reply) => {
    const id = recordIdParam(request.params.id);
    const [input] = recordsOf(request.body, 1);
    const data = await write((trx) =>
      service.updateNotes(trx, serviceContext(deps, request), [{ id, input }], 'per_record'),
    );
    return reply.code(batchStatus(data, 200)).send({ data });
  });
  app.delete<Query>('/crm/v6/Notes', remove, async (request, reply) => {
    const ids = idsParam(request.query.ids);
    const mode = batchModeOf(request);
    const data = await write((trx) => service.deleteNotes(trx, serviceContext(deps, request), ids, mode));
    return reply.code(batchStatus(data, 200)).send({ data });
  });
  app.delete<IdParams>('/crm/v6/Notes/:id', remove, async (request, reply) => {
    const id = recordIdParam(request.params.id);
    const data = await write((trx) =>
      service.deleteNotes(trx, serviceContext(deps, request), [id], 'per_record'),
    );
    return reply.code(data[0].status === 'error' ? 404 : 200).send({ data });
  });
}
