import type { FastifyInstance } from 'fastify';
import { type AppDeps, serviceContext } from '../http/context';
import { recordIdParam, recordsOf } from '../http/envelope';
import { apiError } from '../http/errors';
import { addActivities, completeActivity, listActivities } from '../activities/activity.service';
import { timeline } from '../history/history.service';
import { addNotes, listNotes } from '../notes/note.service';
import {
  createSolutions,
  findSolutions,
  getSolution,
  publishFromCase,
  updateSolution,
} from '../solutions/solution.service';
import { SOLUTION_STATUSES } from '../../shared/followup-types';
import { requireCase } from './case.service';
import { batchModeOf, batchStatus } from '../zoho/batch';
import { pageOf } from '../http/paging';

type IdParams = { Params: { id: string } };

const listOrEmpty = <T>(data: T[], reply: { code(n: number): { send(): unknown } }) =>
  data.length ? { data } : reply.code(204).send();

/** A case's related lists and follow-up actions: timeline, notes, activities, solutions. */
export function followUpRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { db } = deps.storage;
  const write = deps.storage.write;

  app.get<IdParams & { Querystring: Record<string, unknown> }>(
    '/crm/v6/Cases/:id/__timeline',
    async (request) => {
      const id = recordIdParam(request.params.id);
      await requireCase(db, id);
      const { page, perPage } = pageOf(request.query);
      return { __timeline: await timeline(db, id, perPage, (page - 1) * perPage) };
    },
  );

  app.get<IdParams>('/crm/v6/Cases/:id/Notes', async (request, reply) =>
    listOrEmpty(await listNotes(db, recordIdParam(request.params.id)), reply),
  );
  app.post<IdParams>('/crm/v6/Cases/:id/Notes', async (request, reply) => {
    const id = recordIdParam(request.params.id);
    const notes = recordsOf(request.body);
    const mode = batchModeOf(request);
    const data = await write((trx) => addNotes(trx, serviceContext(deps, request), id, notes, mode));
    return reply.code(batchStatus(data, 201)).send({ data });
  });

  app.get<IdParams>('/crm/v6/Cases/:id/Open_Activities', async (request, reply) =>
    listOrEmpty(await listActivities(db, recordIdParam(request.params.id), 'open'), reply),
  );
  app.get<IdParams>('/crm/v6/Cases/:id/Closed_Activities', async (request, reply) =>
    listOrEmpty(await listActivities(db, recordIdParam(request.params.id), 'closed'), reply),
  );
  app.post<IdParams>('/crm/v6/Cases/:id/Activities', async (request, reply) => {
    const id = recordIdParam(request.params.id);
    const activities = recordsOf(request.body);
    return reply.code(201).send({
      data: await write((trx) => addActivities(trx, serviceContext(deps, request), id, activities)),
    });
  });
  app.post<IdParams>('/crm/v6/Activities/:id/actions/complete', async (request) => {
    const id = recordIdParam(request.params.id);
    return { data: [await write((trx) => completeActivity(trx, serviceContext(deps, request), id))] };
  });

  app.get<IdParams>('/crm/v6/Cases/:id/Solutions', async (request, reply) => {
    const id = recordIdParam(request.params.id);
    await requireCase(db, id);
    return listOrEmpty(
      await findSolutions(db, deps.storage.engine, { caseId: id, limit: 200, offset: 0 }),
      reply,
    );
  });
  app.post<IdParams>('/crm/v6/Cases/:id/actions/publish_solution', async (request, reply) => {
    const id = recordIdParam(request.params.id);
    const overrides =
      request.body === undefined || request.body === null ? undefined : recordsOf(request.body, 1)[0];
    return reply.code(201).send({
      data: [await write((trx) => publishFromCase(trx, serviceContext(deps, request), id, overrides))],
    });
  });

  app.post('/crm/v6/Solutions', async (request, reply) => {
    const records = recordsOf(request.body);
    return reply.code(201).send({
      data: await write((trx) => createSolutions(trx, serviceContext(deps, request), records)),
    });
  });
  app.get<{ Querystring: Record<string, unknown> }>('/crm/v6/Solutions', async (request, reply) => {
    const { page, perPage } = pageOf(request.query);
    return listOrEmpty(
      await findSolutions(db, deps.storage.engine, { limit: perPage, offset: (page - 1) * perPage }),
      reply,
    );
  });
  app.get<{ Querystring: Record<string, unknown> }>('/crm/v6/Solutions/search', async (request, reply) => {
    const { page, perPage } = pageOf(request.query);
    const word = request.query.word;
    const status = request.query.status;
    if (word !== undefined && (typeof word !== 'string' || word.length > 200))
      throw apiError(400, 'INVALID_QUERY', 'word must be text of at most 200 characters', {
        param_name: 'word',
      });
    if (status !== undefined && !SOLUTION_STATUSES.includes(status as never))
      throw apiError(400, 'INVALID_QUERY', `status must be one of ${SOLUTION_STATUSES.join(', ')}`, {
        param_name: 'status',
      });
    return listOrEmpty(
      await findSolutions(db, deps.storage.engine, {
        word: (word as string | undefined)?.trim() || undefined,
        status: status as string | undefined,
        limit: perPage,
        offset: (page - 1) * perPage,
      }),
      reply,
    );
  });
  app.get<IdParams>('/crm/v6/Solutions/:id', async (request) => ({
    data: [await getSolution(db, recordIdParam(request.params.id))],
  }));
  app.put<IdParams>('/crm/v6/Solutions/:id', async (request) => {
    const id = recordIdParam(request.params.id);
    const [input] = recordsOf(request.body, 1);
    return {
      data: [await write((trx) => updateSolution(trx, serviceContext(deps, request), id, input))],
    };
  });
}
