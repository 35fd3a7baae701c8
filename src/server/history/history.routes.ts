import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { type AppDeps } from '../http/context';
import { recordIdParam } from '../http/envelope';
import { pageOf } from '../http/paging';
import { crmErrors, IdParams, Loose, notFound, PageQuery, typed } from '../http/schema';
import { requireCase } from '../cases/case.service';
import { timeline } from './history.service';

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
};

/** GET /Cases/{id}/__timeline: the case's history, newest first. */
export function historyRoutes(root: FastifyInstance, deps: AppDeps): void {
  const app = typed(root);
  const { db } = deps.storage;
  app.get('/crm/v6/Cases/:id/__timeline', { schema: schemas.timeline }, async (request) => {
    const id = recordIdParam(request.params.id);
    await requireCase(db, id);
    const { page, perPage } = pageOf(request.query);
    return { __timeline: await timeline(db, id, perPage, (page - 1) * perPage) };
  });
}
