import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { MAX_RECORDS_PER_CALL } from '../../shared/api-types';
import { type AppDeps, serviceContext } from '../http/context';
import { apiError } from '../http/errors';
import {
  BatchQuery,
  crmErrors,
  ListReply,
  NoContent,
  PageQuery,
  queryText,
  RecordResults,
  RecordsBody,
  typed,
} from '../http/schema';
import { batchModeOf, batchStatus } from '../zoho/batch';
import { countMatching, searchCondition } from './case.query';
import * as service from './case.service';
import { duplicateCheckFields, upsertCases } from './case.upsert';
import { pageOf } from '../http/paging';

const tags = ['Cases'];
const asSearch = 'as in /Cases/search';
const schemas = {
  upsert: {
    summary:
      'Insert or update up to 100 cases: a record matching an existing case on duplicate_check_fields (body, in order; default Case_Number, Email) updates it, any other is inserted; each result has action and duplicate_field',
    tags,
    querystring: BatchQuery,
    body: RecordsBody(MAX_RECORDS_PER_CALL, 'CaseWrite', {
      duplicate_check_fields: Type.Optional(
        Type.Unknown({ description: 'api_names to match existing cases on, in order' }),
      ),
    }),
    response: {
      201: RecordResults('Some inserted'),
      200: RecordResults('All updated'),
      207: RecordResults('Some records written, some refused: see each record'),
      ...crmErrors,
    },
  },
  deleted: {
    summary: 'Deleted cases (deletes are permanent: type=recycle lists none)',
    tags,
    querystring: Type.Object(
      { ...PageQuery.properties, type: queryText('all (default), recycle or permanent') },
      { additionalProperties: true },
    ),
    response: { 200: ListReply('Deleted cases'), 204: NoContent('None'), ...crmErrors },
  },
  count: {
    summary: 'How many cases there are, or match one of criteria, email, phone, word',
    tags,
    querystring: Type.Object(
      {
        criteria: queryText(asSearch),
        email: queryText(asSearch),
        phone: queryText(asSearch),
        word: queryText(asSearch),
      },
      { additionalProperties: true },
    ),
    response: { 200: Type.Object({ count: Type.Integer() }, { description: '{"count": n}' }), ...crmErrors },
  },
};

/** The rest of Zoho's record API for Cases: upsert, deleted records, count. */
export function caseZohoRoutes(root: FastifyInstance, deps: AppDeps): void {
  const app = typed(root);
  const { db } = deps.storage;
  const tx = deps.storage.write;

  app.post('/crm/v6/Cases/upsert', { schema: schemas.upsert }, async (request, reply) => {
    const records = request.body.data;
    const checks = duplicateCheckFields(request.body.duplicate_check_fields, deps.fields);
    const mode = batchModeOf(request);
    const results = await tx((trx) => upsertCases(trx, serviceContext(deps, request), records, checks, mode));
    const inserted = results.some((r) => r.status === 'success' && r.action === 'insert');
    return reply.code(batchStatus(results, inserted ? 201 : 200)).send({ data: results });
  });

  app.get('/crm/v6/Cases/deleted', { schema: schemas.deleted }, async (request, reply) => {
    const type = request.query.type ?? 'all';
    if (type !== 'all' && type !== 'recycle' && type !== 'permanent')
      throw apiError(400, 'INVALID_DATA', 'type must be all, recycle or permanent', { param_name: 'type' });
    const { page, perPage } = pageOf(request.query);
    const result = await service.listDeletedCases(db, type, page, perPage);
    return result.data.length ? result : reply.code(204).send();
  });

  app.get('/crm/v6/Cases/actions/count', { schema: schemas.count }, async (request) => {
    const query: Record<string, unknown> = request.query;
    const filtered = ['criteria', 'email', 'phone', 'word'].some((k) => query[k] !== undefined);
    const where = filtered ? searchCondition(request.query, deps.fields) : undefined;
    return { count: await countMatching(db, deps.storage.dialect, where) };
  });
}
