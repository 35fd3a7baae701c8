import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../http/context';
import { apiError } from '../http/errors';
import { runCoql } from './coql.service';

/** The query text of a COQL body: {"select_query": "select … from Cases where …"}. */
function selectQueryOf(body: unknown): string {
  const query =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as { select_query?: unknown }).select_query
      : undefined;
  if (query === undefined)
    throw apiError(400, 'MANDATORY_NOT_FOUND', 'required field not found: select_query', {
      api_name: 'select_query',
    });
  if (typeof query !== 'string')
    throw apiError(400, 'INVALID_DATA', 'select_query must be text', {
      api_name: 'select_query',
      expected_data_type: 'text',
    });
  return query;
}

/**
 * POST /crm/v6/coql: Zoho's Query API on Cases. A read, so it needs the view permission GET /Cases needs, though
 * it is a POST (the query travels in the body, as in Zoho).
 */
export function coqlRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.post('/crm/v6/coql', { config: { permission: 'view' } }, async (request, reply) => {
    const text = selectQueryOf(request.body);
    const result = await runCoql(deps.storage.db, deps.storage.engine, deps.fields, text);
    return result.data.length ? result : reply.code(204).send();
  });
}
