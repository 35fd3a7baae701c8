import type { FastifyInstance } from 'fastify';
import { isValidEmail } from '../../shared/validation';
import { type AppDeps, userOf } from '../http/context';
import { recordsOf } from '../http/envelope';
import { apiError } from '../http/errors';
import * as service from './lookup.service';

const MODULES: service.LookupModuleName[] = ['Contacts', 'Accounts', 'Products', 'Deals'];

export function lookupRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { db } = deps.storage;

  app.get<{ Querystring: { email?: unknown } }>('/crm/v6/Contacts/search', async (request, reply) => {
    const email = request.query.email;
    if (typeof email !== 'string' || !isValidEmail(email.trim()))
      throw apiError(400, 'INVALID_QUERY', 'email must be an email address', { param_name: 'email' });
    const data = await service.findContactsByEmail(db, email.trim());
    return data.length
      ? { data, info: { page: 1, per_page: 20, count: data.length, more_records: false } }
      : reply.code(204).send();
  });

  for (const module of MODULES) {
    app.get<{ Querystring: { page?: string; per_page?: string } }>(
      `/crm/v6/${module}`,
      async (request, reply) => {
        const page = Math.max(1, Number.parseInt(request.query.page ?? '1', 10) || 1);
        const perPage = Math.min(
          200,
          Math.max(1, Number.parseInt(request.query.per_page ?? '200', 10) || 200),
        );
        const rows = await service.listModule(db, module, perPage + 1, (page - 1) * perPage);
        const data = rows.slice(0, perPage);
        if (data.length === 0) return reply.code(204).send();
        return {
          data,
          info: { page, per_page: perPage, count: data.length, more_records: rows.length > perPage },
        };
      },
    );

    app.post(`/crm/v6/${module}`, async (request, reply) => {
      const records = recordsOf(request.body);
      const results = await deps.storage.write((trx) =>
        service.createRecords(trx, module, userOf(request).id, records),
      );
      return reply.code(201).send({ data: results });
    });
  }
}
