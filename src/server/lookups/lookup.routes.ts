import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { MAX_RECORDS_PER_CALL } from '../../shared/api-types';
import { isValidEmail } from '../../shared/validation';
import { type AppDeps, userOf } from '../http/context';
import { apiError } from '../http/errors';
import { pageInfo, pageOf } from '../http/paging';
import { listOrEmpty } from '../http/related-lists';
import {
  crmErrors,
  ListReply,
  NoContent,
  PageQuery,
  RecordResults,
  RecordsBody,
  typed,
} from '../http/schema';
import * as service from './lookup.service';

const MODULES: service.LookupModuleName[] = ['Contacts', 'Accounts', 'Products', 'Deals'];

const contactSearch = {
  summary: 'Find contacts by email',
  tags: ['Contacts'],
  querystring: Type.Object(
    { email: Type.Optional(Type.String({ description: 'An email address' })) },
    { additionalProperties: true },
  ),
  response: { 200: ListReply('Contacts'), 204: NoContent('None'), ...crmErrors },
};
const moduleSchemas = (module: string) => ({
  list: {
    summary: `List ${module}`,
    tags: [module],
    querystring: PageQuery,
    response: { 200: ListReply(module), 204: NoContent('None'), ...crmErrors },
  },
  create: {
    summary: `Create ${module}`,
    tags: [module],
    body: RecordsBody(MAX_RECORDS_PER_CALL),
    response: { 201: RecordResults('Created'), ...crmErrors },
  },
});

export function lookupRoutes(root: FastifyInstance, deps: AppDeps): void {
  const app = typed(root);
  const { db } = deps.storage;

  app.get('/crm/v6/Contacts/search', { schema: contactSearch }, async (request, reply) => {
    const email = request.query.email;
    // Absent or not an address: the same refusal (INVALID_QUERY), as before the schema.
    if (email === undefined || !isValidEmail(email.trim()))
      throw apiError(400, 'INVALID_QUERY', 'email must be an email address', { param_name: 'email' });
    const data = await service.findContactsByEmail(db, email.trim());
    return data.length
      ? { data, info: { page: 1, per_page: 20, count: data.length, more_records: false } }
      : reply.code(204).send();
  });

  for (const module of MODULES) {
    const schemas = moduleSchemas(module);
    app.get(`/crm/v6/${module}`, { schema: schemas.list }, async (request, reply) => {
      const page = pageOf(request.query);
      const rows = await service.listModule(db, module, page.perPage + 1, page.offset);
      return listOrEmpty(pageInfo(rows, page), reply);
    });

    app.post(`/crm/v6/${module}`, { schema: schemas.create }, async (request, reply) => {
      const records = request.body.data;
      const results = await deps.storage.write((trx) =>
        service.createRecords(trx, module, userOf(request).id, records),
      );
      return reply.code(201).send({ data: results });
    });
  }
}
