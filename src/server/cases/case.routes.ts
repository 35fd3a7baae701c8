import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { MAX_RECORDS_PER_CALL } from '../../shared/api-types';
import { recordIdParam } from '../http/envelope';
import { type AppDeps, serviceContext, userOf } from '../http/context';
import { apiError } from '../http/errors';
import {
  BatchQuery,
  crmErrors,
  IdParams,
  ListReply,
  NoContent,
  notFound,
  RecordResults,
  RecordsBody,
  queryText,
  typed,
} from '../http/schema';
import { listCondition, listPage, pageParams, searchCondition } from './case.query';
import { modifiedSince } from '../zoho/conditional';
import * as service from './case.service';
import { conversionBatcher } from './conversion-batcher';
import { batchModeOf, batchStatus } from '../zoho/batch';
import { withCvid } from '../views/views.service';

const Results = RecordResults('Per record: SUCCESS with details.id, or an error naming the field');
const listQuery = {
  page: queryText('Page, from 1 (with per_page, the first 2,000 records)'),
  per_page: queryText('Records a page, up to 200'),
  sort_by: queryText('A sortable field'),
  sort_order: queryText('asc or desc'),
  fields: queryText('Comma-separated api_names to return'),
};
const ListQuery = Type.Object(
  {
    ...listQuery,
    ids: queryText('Only these ids (up to 200)'),
    page_token: queryText('info.next_page_token of the page before: goes past 2,000'),
    cvid: queryText(
      "A custom view's id (GET /settings/custom_views): its criteria, and its sort unless sort_by is given",
    ),
  },
  { additionalProperties: true },
);
const SearchQuery = Type.Object(
  {
    criteria: queryText('(field:operator:value) with and/or'),
    email: queryText('Cases with this email'),
    phone: queryText('Cases with this phone'),
    word: queryText('Cases with this word in subject or description'),
    ...listQuery,
  },
  { additionalProperties: true },
);
const ModifiedSince = Type.Object(
  {
    'If-Modified-Since': Type.Optional(
      Type.String({ description: 'Only cases changed after this time; 304 when none did' }),
    ),
  },
  { additionalProperties: true },
);
const Cases = ListReply('Cases', 'Case');
const WriteBody = RecordsBody(MAX_RECORDS_PER_CALL, 'CaseWrite');
const writes = { 207: RecordResults('Some written, some refused: see each record'), ...crmErrors };
const tags = ['Cases'];

export const caseRouteSchemas = {
  create: {
    summary: `Create up to ${MAX_RECORDS_PER_CALL} cases`,
    tags,
    querystring: BatchQuery,
    body: WriteBody,
    response: { 201: Results, ...writes },
  },
  update: {
    summary: 'Update up to 100 cases (each with id)',
    tags,
    querystring: BatchQuery,
    body: WriteBody,
    response: { 200: Results, ...writes, 409: RecordResults('Changed by someone else') },
  },
  list: {
    summary:
      'List cases; page and per_page reach the first 2,000, page_token (info.next_page_token) goes past them',
    tags,
    querystring: ListQuery,
    headers: ModifiedSince,
    response: {
      200: Cases,
      204: NoContent('No cases'),
      304: NoContent('Nothing modified since If-Modified-Since'),
      ...crmErrors,
    },
  },
  search: {
    summary:
      'Search cases: exactly one of criteria (equals, not_equal, starts_with, in, greater_than, greater_equal, less_than, less_equal; and/or), email, phone, word',
    tags,
    querystring: SearchQuery,
    response: { 200: ListReply('Matches', 'Case'), 204: NoContent('No match'), ...crmErrors },
  },
};

const oneCase = {
  get: {
    summary: 'Get a case',
    tags,
    params: IdParams,
    response: { 200: ListReply('The case', 'Case'), ...notFound, ...crmErrors },
  },
  put: {
    summary: 'Update a case',
    tags,
    params: IdParams,
    body: Type.Object(
      {
        data: Type.Array(Type.Record(Type.String(), Type.Unknown(), { title: 'CaseWrite' }), {
          minItems: 1,
          maxItems: 1,
        }),
      },
      { additionalProperties: true },
    ),
    response: { 200: Results, ...notFound, ...crmErrors, 409: RecordResults('Changed by someone else') },
  },
  delete: {
    summary: 'Delete a case (manager, admin)',
    tags,
    params: IdParams,
    response: { 200: Results, ...notFound, ...crmErrors },
  },
  clone: {
    summary: 'Clone a case, optionally changing fields',
    tags,
    params: IdParams,
    body: Type.Union([Type.Null(), RecordsBody(1, 'CaseWrite')]),
    response: { 201: Results, ...notFound, ...crmErrors },
  },
  fromEmail: {
    summary: 'Create a case and link its email in one transaction; idempotent on internet_message_id',
    tags,
    body: RecordsBody(MAX_RECORDS_PER_CALL, 'FromEmail'),
    response: {
      201: Results,
      200: RecordResults('Already converted: the first case (details.duplicate = true)'),
      ...crmErrors,
    },
  },
};

/** Routes validate the request's shape and open the transaction; the service does the rest. */
export function caseRoutes(root: FastifyInstance, deps: AppDeps): void {
  const app = typed(root);
  const { db } = deps.storage;
  const tx = deps.storage.write;
  const convert = conversionBatcher(deps.storage);

  app.post('/crm/v6/Cases', { schema: caseRouteSchemas.create }, async (request, reply) => {
    const records = request.body.data;
    const mode = batchModeOf(request);
    const results = await tx((trx) =>
      service.createCases(trx, serviceContext(deps, request), records, 'created', mode),
    );
    return reply.code(batchStatus(results, 201)).send({ data: results });
  });

  app.put('/crm/v6/Cases', { schema: caseRouteSchemas.update }, async (request, reply) => {
    const records = request.body.data;
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

  app.get('/crm/v6/Cases', { schema: caseRouteSchemas.list }, async (request, reply) => {
    const since = modifiedSince(request);
    const ctx = { db, dialect: deps.storage.dialect, fields: deps.fields, user: userOf(request) };
    const { query, where } = await withCvid(ctx, request.query, listCondition(request.query, since));
    const page = await listPage(db, deps.storage.dialect, deps.fields, pageParams(query, deps.fields), where);
    if (page.data.length) return page;
    // Zoho: nothing changed since If-Modified-Since is 304, an empty list otherwise 204.
    return reply.code(since ? 304 : 204).send();
  });

  app.get('/crm/v6/Cases/search', { schema: caseRouteSchemas.search }, async (request, reply) => {
    const where = searchCondition(request.query, deps.fields);
    const params = pageParams(request.query, deps.fields);
    const page = await listPage(db, deps.storage.dialect, deps.fields, params, where);
    return page.data.length ? page : reply.code(204).send();
  });

  app.get('/crm/v6/Cases/:id', { schema: oneCase.get }, async (request) => {
    const record = await service.getCase(db, serviceContext(deps, request), recordIdParam(request.params.id));
    return { data: [record] };
  });

  app.put('/crm/v6/Cases/:id', { schema: oneCase.put }, async (request) => {
    const id = recordIdParam(request.params.id);
    const { id: _ignored, ...fields } = request.body.data[0];
    return {
      data: await tx((trx) =>
        service.updateCases(trx, serviceContext(deps, request), [{ id, input: fields }]),
      ),
    };
  });

  app.delete(
    '/crm/v6/Cases/:id',
    { config: { permission: 'delete' }, schema: oneCase.delete },
    async (request) => {
      const id = recordIdParam(request.params.id);
      return { data: [await tx((trx) => service.deleteCase(trx, serviceContext(deps, request), id))] };
    },
  );

  app.post('/crm/v6/Cases/:id/actions/clone', { schema: oneCase.clone }, async (request, reply) => {
    const id = recordIdParam(request.params.id);
    const overrides = request.body?.data[0];
    const result = await tx((trx) => service.cloneCase(trx, serviceContext(deps, request), id, overrides));
    return reply.code(201).send({ data: [result] });
  });

  app.post('/crm/v6/Cases/actions/from_email', { schema: oneCase.fromEmail }, async (request, reply) => {
    const { results, created } = await convert(serviceContext(deps, request), request.body.data);
    return reply.code(created ? 201 : 200).send({ data: results });
  });
}
