import type { FastifyInstance } from 'fastify';
import { type AppDeps, serviceContext } from '../http/context';
import { recordsOf } from '../http/envelope';
import { apiError } from '../http/errors';
import { batchModeOf, batchStatus } from '../zoho/batch';
import { countMatching, searchCondition } from './case.query';
import * as service from './case.service';
import { duplicateCheckFields, upsertCases } from './case.upsert';
import { pageOf } from '../http/paging';

type Query = { Querystring: Record<string, unknown> };

/** The rest of Zoho's record API for Cases: upsert, deleted records, count. */
export function caseZohoRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { db } = deps.storage;
  const tx = deps.storage.write;

  app.post('/crm/v6/Cases/upsert', async (request, reply) => {
    const records = recordsOf(request.body);
    const checks = duplicateCheckFields(
      (request.body as { duplicate_check_fields?: unknown }).duplicate_check_fields,
      deps.fields,
    );
    const mode = batchModeOf(request);
    const results = await tx((trx) => upsertCases(trx, serviceContext(deps, request), records, checks, mode));
    const inserted = results.some((r) => r.status === 'success' && r.action === 'insert');
    return reply.code(batchStatus(results, inserted ? 201 : 200)).send({ data: results });
  });

  app.get<Query>('/crm/v6/Cases/deleted', async (request, reply) => {
    const type = request.query.type ?? 'all';
    if (type !== 'all' && type !== 'recycle' && type !== 'permanent')
      throw apiError(400, 'INVALID_DATA', 'type must be all, recycle or permanent', { param_name: 'type' });
    const { page, perPage } = pageOf(request.query);
    const result = await service.listDeletedCases(db, type, page, perPage);
    return result.data.length ? result : reply.code(204).send();
  });

  app.get<Query>('/crm/v6/Cases/actions/count', async (request) => {
    const filtered = ['criteria', 'email', 'phone', 'word'].some((k) => request.query[k] !== undefined);
    const where = filtered ? searchCondition(request.query, deps.fields, deps.storage.engine) : undefined;
    return { count: await countMatching(db, where) };
  });
}
