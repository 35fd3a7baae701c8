import type { FastifyInstance } from 'fastify';
import { type AppDeps, serviceContext } from '../http/context';
import { recordIdParam } from '../http/envelope';
import { pageOf } from '../http/paging';
import { addingRelated, listOrEmpty, relatedList, RelatedResults } from '../http/related-lists';
import { crmErrors, IdParams, notFound, typed } from '../http/schema';
import { addActivities, completeActivity, listActivities } from './activity.service';

const schemas = {
  open: relatedList("The case's open tasks, calls and meetings", 'Activities', ['Activities']),
  closed: relatedList("The case's closed tasks, calls and meetings", 'Activities', ['Activities']),
  addActivities: addingRelated('Add tasks, calls or meetings to the case', ['Activities']),
  complete: {
    summary: 'Complete a task, call or meeting',
    tags: ['Activities'],
    params: IdParams,
    response: { 200: RelatedResults, ...notFound, ...crmErrors },
  },
};

/** A case's tasks, calls and meetings: open and closed lists, adding, completing. */
export function activityRoutes(root: FastifyInstance, deps: AppDeps): void {
  const app = typed(root);
  const { db, write } = deps.storage;
  app.get('/crm/v6/Cases/:id/Open_Activities', { schema: schemas.open }, async (request, reply) =>
    listOrEmpty(
      await listActivities(db, recordIdParam(request.params.id), 'open', pageOf(request.query)),
      reply,
    ),
  );
  app.get('/crm/v6/Cases/:id/Closed_Activities', { schema: schemas.closed }, async (request, reply) =>
    listOrEmpty(
      await listActivities(db, recordIdParam(request.params.id), 'closed', pageOf(request.query)),
      reply,
    ),
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
}
