import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { MAX_RECORDS_PER_CALL } from '../../shared/api-types';
import { type AppDeps, serviceContext } from '../http/context';
import { recordIdParam } from '../http/envelope';
import { apiError } from '../http/errors';
import {
  BatchQuery,
  crmErrors,
  IdParams,
  ListReply,
  Loose,
  NoContent,
  notFound,
  PageQuery,
  queryText,
  RecordResults,
  RecordsBody,
  typed,
} from '../http/schema';
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

const Results = RecordResults('Per record: SUCCESS with details.id, or an error naming the field');
const related = (summary: string, what: string, tags: string[]) => ({
  summary,
  tags,
  params: IdParams,
  response: { 200: ListReply(what), 204: NoContent(`No ${what.toLowerCase()}`), ...notFound, ...crmErrors },
});
const adding = (summary: string, tags: string[]) => ({
  summary,
  tags,
  params: IdParams,
  body: RecordsBody(MAX_RECORDS_PER_CALL),
  response: { 201: Results, ...notFound, ...crmErrors },
});
const OneOptional = Type.Union([Type.Null(), RecordsBody(1)]);
const schemas = {
  timeline: {
    summary: "The case's timeline: every change, newest first",
    tags: ['Cases'],
    params: IdParams,
    querystring: PageQuery,
    response: {
      200: Type.Object({ __timeline: Type.Array(Loose()) }, { description: 'Timeline entries' }),
      ...notFound,
      ...crmErrors,
    },
  },
  notes: related("The case's notes", 'Notes', ['Notes']),
  addNotes: {
    ...adding('Add notes to the case', ['Notes']),
    querystring: BatchQuery,
    response: { 201: Results, 207: RecordResults('Some added'), ...notFound, ...crmErrors },
  },
  open: related("The case's open tasks, calls and meetings", 'Activities', ['Activities']),
  closed: related("The case's closed tasks, calls and meetings", 'Activities', ['Activities']),
  addActivities: adding('Add tasks, calls or meetings to the case', ['Activities']),
  complete: {
    summary: 'Complete a task, call or meeting',
    tags: ['Activities'],
    params: IdParams,
    response: { 200: Results, ...notFound, ...crmErrors },
  },
  solutions: related("The case's solutions", 'Solutions', ['Solutions']),
  publish: {
    summary: 'Publish a Solution from the case, optionally changing its fields',
    tags: ['Solutions'],
    params: IdParams,
    body: OneOptional,
    response: { 201: Results, ...notFound, ...crmErrors },
  },
  createSolutions: {
    summary: 'Create solutions',
    tags: ['Solutions'],
    body: RecordsBody(MAX_RECORDS_PER_CALL),
    response: { 201: Results, ...crmErrors },
  },
  listSolutions: {
    summary: 'Every solution',
    tags: ['Solutions'],
    querystring: PageQuery,
    response: { 200: ListReply('Solutions'), 204: NoContent('No solutions'), ...crmErrors },
  },
  searchSolutions: {
    summary: 'Solutions by word (title, question, answer) and status',
    tags: ['Solutions'],
    querystring: Type.Object(
      {
        ...PageQuery.properties,
        word: Type.Optional(Type.String({ maxLength: 200, description: 'A word of the solution' })),
        status: queryText(SOLUTION_STATUSES.join(', ')),
      },
      { additionalProperties: true },
    ),
    response: { 200: ListReply('Solutions'), 204: NoContent('No match'), ...crmErrors },
  },
  getSolution: {
    summary: 'A solution',
    tags: ['Solutions'],
    params: IdParams,
    response: { 200: ListReply('The solution'), ...notFound, ...crmErrors },
  },
  updateSolution: {
    summary: 'Update a solution',
    tags: ['Solutions'],
    params: IdParams,
    body: RecordsBody(1),
    response: { 200: Results, ...notFound, ...crmErrors },
  },
};

const listOrEmpty = <T>(data: T[], reply: { code(n: number): { send(): unknown } }) =>
  data.length ? { data } : reply.code(204).send();

/** A case's related lists and follow-up actions: timeline, notes, activities, solutions. */
export function followUpRoutes(root: FastifyInstance, deps: AppDeps): void {
  const app = typed(root);
  const { db } = deps.storage;
  const write = deps.storage.write;

  app.get('/crm/v6/Cases/:id/__timeline', { schema: schemas.timeline }, async (request) => {
    const id = recordIdParam(request.params.id);
    await requireCase(db, id);
    const { page, perPage } = pageOf(request.query);
    return { __timeline: await timeline(db, id, perPage, (page - 1) * perPage) };
  });

  app.get('/crm/v6/Cases/:id/Notes', { schema: schemas.notes }, async (request, reply) =>
    listOrEmpty(await listNotes(db, recordIdParam(request.params.id)), reply),
  );
  app.post('/crm/v6/Cases/:id/Notes', { schema: schemas.addNotes }, async (request, reply) => {
    const id = recordIdParam(request.params.id);
    const notes = request.body.data;
    const mode = batchModeOf(request);
    const data = await write((trx) => addNotes(trx, serviceContext(deps, request), id, notes, mode));
    return reply.code(batchStatus(data, 201)).send({ data });
  });

  app.get('/crm/v6/Cases/:id/Open_Activities', { schema: schemas.open }, async (request, reply) =>
    listOrEmpty(await listActivities(db, recordIdParam(request.params.id), 'open'), reply),
  );
  app.get('/crm/v6/Cases/:id/Closed_Activities', { schema: schemas.closed }, async (request, reply) =>
    listOrEmpty(await listActivities(db, recordIdParam(request.params.id), 'closed'), reply),
  );
  app.post('/crm/v6/Cases/:id/Activities', { schema: schemas.addActivities }, async (request, reply) => {
    const id = recordIdParam(request.params.id);
    const activities = request.body.data;
    return reply.code(201).send({
      data: await write((trx) => addActivities(trx, serviceContext(deps, request), id, activities)),
    });
  });
  app.post('/crm/v6/Activities/:id/actions/complete', { schema: schemas.complete }, async (request) => {
    const id = recordIdParam(request.params.id);
    return { data: [await write((trx) => completeActivity(trx, serviceContext(deps, request), id))] };
  });

  app.get('/crm/v6/Cases/:id/Solutions', { schema: schemas.solutions }, async (request, reply) => {
    const id = recordIdParam(request.params.id);
    await requireCase(db, id);
    return listOrEmpty(
      await findSolutions(db, deps.storage.dialect, { caseId: id, limit: 200, offset: 0 }),
      reply,
    );
  });
  app.post(
    '/crm/v6/Cases/:id/actions/publish_solution',
    { schema: schemas.publish },
    async (request, reply) => {
      const id = recordIdParam(request.params.id);
      const overrides = request.body?.data[0];
      return reply.code(201).send({
        data: [await write((trx) => publishFromCase(trx, serviceContext(deps, request), id, overrides))],
      });
    },
  );

  app.post('/crm/v6/Solutions', { schema: schemas.createSolutions }, async (request, reply) => {
    const records = request.body.data;
    return reply.code(201).send({
      data: await write((trx) => createSolutions(trx, serviceContext(deps, request), records)),
    });
  });
  app.get('/crm/v6/Solutions', { schema: schemas.listSolutions }, async (request, reply) => {
    const { page, perPage } = pageOf(request.query);
    return listOrEmpty(
      await findSolutions(db, deps.storage.dialect, { limit: perPage, offset: (page - 1) * perPage }),
      reply,
    );
  });
  app.get('/crm/v6/Solutions/search', { schema: schemas.searchSolutions }, async (request, reply) => {
    const { page, perPage } = pageOf(request.query);
    const { word, status } = request.query;
    if (status !== undefined && !SOLUTION_STATUSES.includes(status as never))
      throw apiError(400, 'INVALID_QUERY', `status must be one of ${SOLUTION_STATUSES.join(', ')}`, {
        param_name: 'status',
      });
    return listOrEmpty(
      await findSolutions(db, deps.storage.dialect, {
        word: word?.trim() || undefined,
        status,
        limit: perPage,
        offset: (page - 1) * perPage,
      }),
      reply,
    );
  });
  app.get('/crm/v6/Solutions/:id', { schema: schemas.getSolution }, async (request) => ({
    data: [await getSolution(db, recordIdParam(request.params.id))],
  }));
  app.put('/crm/v6/Solutions/:id', { schema: schemas.updateSolution }, async (request) => {
    const id = recordIdParam(request.params.id);
    const [input] = request.body.data;
    return {
      data: [await write((trx) => updateSolution(trx, serviceContext(deps, request), id, input))],
    };
  });
}
