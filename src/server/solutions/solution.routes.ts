import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { MAX_RECORDS_PER_CALL } from '../../shared/api-types';
import { SOLUTION_STATUSES } from '../../shared/followup-types';
import { type AppDeps, serviceContext } from '../http/context';
import { recordIdParam } from '../http/envelope';
import { apiError } from '../http/errors';
import { pageOf } from '../http/paging';
import { listOrEmpty, relatedList, RelatedResults } from '../http/related-lists';
import {
  crmErrors,
  IdParams,
  ListReply,
  NoContent,
  notFound,
  PageQuery,
  queryText,
  RecordsBody,
  typed,
} from '../http/schema';
import { requireCase } from '../cases/case.service';
import {
  createSolutions,
  findSolutions,
  getSolution,
  publishFromCase,
  updateSolution,
} from './solution.service';

const OneOptional = Type.Union([Type.Null(), RecordsBody(1)]);
const schemas = {
  solutions: relatedList("The case's solutions", 'Solutions', ['Solutions']),
  publish: {
    summary: 'Publish a Solution from the case, optionally changing its fields',
    tags: ['Solutions'],
    params: IdParams,
    body: OneOptional,
    response: { 201: RelatedResults, ...notFound, ...crmErrors },
  },
  createSolutions: {
    summary: 'Create solutions',
    tags: ['Solutions'],
    body: RecordsBody(MAX_RECORDS_PER_CALL),
    response: { 201: RelatedResults, ...crmErrors },
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
    response: { 200: RelatedResults, ...notFound, ...crmErrors },
  },
};

/** The knowledge base: solutions, a case's solutions, and publishing a case's Solution field as one. */
export function solutionRoutes(root: FastifyInstance, deps: AppDeps): void {
  const app = typed(root);
  const { db, write } = deps.storage;

  app.get('/crm/v6/Cases/:id/Solutions', { schema: schemas.solutions }, async (request, reply) => {
    const id = recordIdParam(request.params.id);
    await requireCase(db, id);
    return listOrEmpty(
      await findSolutions(db, deps.storage.dialect, { caseId: id }, pageOf(request.query)),
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
    return listOrEmpty(await findSolutions(db, deps.storage.dialect, {}, pageOf(request.query)), reply);
  });
  app.get('/crm/v6/Solutions/search', { schema: schemas.searchSolutions }, async (request, reply) => {
    const paging = pageOf(request.query);
    const { word, status } = request.query;
    if (status !== undefined && !SOLUTION_STATUSES.includes(status as never))
      throw apiError(400, 'INVALID_QUERY', `status must be one of ${SOLUTION_STATUSES.join(', ')}`, {
        param_name: 'status',
      });
    return listOrEmpty(
      await findSolutions(db, deps.storage.dialect, { word: word?.trim() || undefined, status }, paging),
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
