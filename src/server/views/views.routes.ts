import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type AppDeps, userOf } from '../http/context';
import { apiError } from '../http/errors';
import { BUILT_IN_VIEWS } from './builtin-views';
import { queuePage } from './queue.service';
import * as schemas from './views.schemas';
import * as service from './views.service';

const done = (id: string, message: string) => ({
  custom_views: [{ code: 'SUCCESS', details: { id }, message, status: 'success' }],
});

function onlyCases(module: string): void {
  if (module !== 'Cases')
    throw apiError(400, 'INVALID_MODULE', 'module: custom views exist for Cases only', {
      param_name: 'module',
    });
}

/** Zoho's /settings/custom_views for Cases (read, and v6's create, update, delete) and the My cases queue. */
export async function viewRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = deps.storage;
  const write = deps.storage.write;
  const ctx = (request: FastifyRequest, executor = db): service.ViewContext => ({
    db: executor,
    dialect: deps.storage.dialect,
    fields: deps.fields,
    user: userOf(request),
  });

  api.get(
    '/crm/v6/settings/custom_views',
    { schema: { querystring: schemas.ModuleQuery, response: { 200: schemas.ViewListBody } } },
    async (request) => {
      onlyCases(request.query.module);
      const views = await service.listViews(db, userOf(request));
      const info = {
        per_page: 200,
        count: views.length,
        page: 1,
        more_records: false,
        default: BUILT_IN_VIEWS[0].id,
      };
      return { custom_views: views, info };
    },
  );

  api.get(
    '/crm/v6/settings/custom_views/:id',
    {
      schema: {
        params: schemas.IdParams,
        querystring: schemas.ModuleQuery,
        response: { 200: schemas.OneViewBody },
      },
    },
    async (request) => {
      onlyCases(request.query.module);
      const view = await service.getView(db, request.params.id, userOf(request));
      if (!view) throw apiError(404, 'INVALID_DATA', 'no such custom view', { param_name: 'id' });
      return { custom_views: [view] };
    },
  );

  api.post(
    '/crm/v6/settings/custom_views',
    {
      schema: {
        querystring: schemas.ModuleQuery,
        body: schemas.ViewBody,
        response: { 201: schemas.SuccessBody },
      },
    },
    async (request, reply) => {
      onlyCases(request.query.module);
      const input = request.body.custom_views[0];
      const id = await write((trx) => service.createView(trx, ctx(request, trx), input));
      return reply.code(201).send(done(id, 'custom view created'));
    },
  );

  api.put(
    '/crm/v6/settings/custom_views/:id',
    {
      schema: {
        params: schemas.IdParams,
        querystring: schemas.ModuleQuery,
        body: schemas.ViewPatchBody,
        response: { 200: schemas.SuccessBody },
      },
    },
    async (request) => {
      onlyCases(request.query.module);
      const { id } = request.params;
      await write((trx) => service.updateView(trx, ctx(request, trx), id, request.body.custom_views[0]));
      return done(id, 'custom view updated');
    },
  );

  api.delete(
    '/crm/v6/settings/custom_views/:id',
    {
      schema: {
        params: schemas.IdParams,
        querystring: schemas.ModuleQuery,
        response: { 200: schemas.SuccessBody },
      },
    },
    async (request) => {
      onlyCases(request.query.module);
      const { id } = request.params;
      await write((trx) => service.removeView(trx, userOf(request), id));
      return done(id, 'custom view deleted');
    },
  );

  api.get(
    '/crm/v6/Cases/actions/queue',
    { schema: { querystring: schemas.QueueQuery, response: { 200: schemas.QueueBody } } },
    async (request) => {
      const { cvid, page = 1, per_page: perPage = 50 } = request.query;
      return queuePage(ctx(request), cvid, page, perPage);
    },
  );
}
