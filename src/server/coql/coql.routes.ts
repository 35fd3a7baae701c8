import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../http/context';
import { crmErrors, NoContent, typed, ZohoError } from '../http/schema';
import { runCoql } from './coql.service';

const schema = {
  summary:
    "COQL (Zoho's Query API) on Cases: SELECT fields, dotted lookup fields (Owner.email, Related_To.Full_Name) and COUNT/SUM/MIN/MAX/AVG FROM Cases WHERE (=, !=, <, >, <=, >=, [not] like, [not] in, [not] between, is [not] null; and/or, parentheses) [GROUP BY] [ORDER BY] [LIMIT offset, count | LIMIT n OFFSET m]; 200 records by default, at most 2,000 per query and 10,000 through OFFSET; view permission",
  tags: ['COQL'],
  // The length is the parser's to refuse (LIMIT_EXCEEDED with the clause), so maxLength only documents it.
  body: Type.Object(
    { select_query: Type.String({ description: 'select … from Cases where … (at most 20,000 characters)' }) },
    { additionalProperties: true },
  ),
  response: {
    200: Type.Object(
      {
        data: Type.Array(Type.Object({}, { additionalProperties: true })),
        info: Type.Object(
          { count: Type.Integer(), more_records: Type.Boolean() },
          { additionalProperties: true },
        ),
      },
      {
        additionalProperties: true,
        description: 'Records (lookups as {id, name}) or groups, keyed by field, dotted field or alias',
      },
    ),
    204: NoContent('No record matches'),
    ...crmErrors,
    400: ZohoError(
      'SYNTAX_ERROR (details: clause, near, line, column), INVALID_QUERY (column_name, api_name, reason), LIMIT_EXCEEDED (clause, limit), DUPLICATE_DATA',
    ),
  },
};

/**
 * POST /crm/v6/coql: Zoho's Query API on Cases. A read, so it needs the view permission GET /Cases needs, though
 * it is a POST (the query travels in the body, as in Zoho).
 */
export function coqlRoutes(root: FastifyInstance, deps: AppDeps): void {
  const app = typed(root);
  app.post('/crm/v6/coql', { config: { permission: 'view' }, schema }, async (request, reply) => {
    const text = request.body.select_query;
    const result = await runCoql(deps.storage.db, deps.storage.dialect, deps.fields, text);
    return result.data.length ? result : reply.code(204).send();
  });
}
