import type { FieldDefinition } from '../shared/case-fields';
import { MAX_RECORDS_PER_CALL } from '../shared/api-types';
import { watchPaths } from './notifications/watch.openapi';
import { ALL_OR_NOTHING, zohoCompatPaths } from './zoho/openapi-paths';
import { mailboxPaths } from './mailboxes/mailbox.openapi';

type Schema = Record<string, unknown>;

function fieldSchema(field: FieldDefinition): Schema {
  const description =
    field.label.en + (field.mandatory ? ' (mandatory)' : '') + (field.readOnly ? ' (read-only)' : '');
  switch (field.type) {
    case 'picklist':
      return { type: 'string', enum: field.picklist?.map((o) => o.value), description };
    case 'lookup':
      return {
        oneOf: [{ type: 'string' }, { $ref: '#/components/schemas/LookupRef' }],
        description: `${description}; lookup to ${field.lookupModule}`,
      };
    case 'number':
      return { type: 'number', description };
    case 'boolean':
      return { type: 'boolean', description };
    case 'date':
      return { type: 'string', format: 'date', description };
    case 'email':
      return { type: 'string', format: 'email', maxLength: field.maxLength, description };
    case 'autonumber':
      return { type: 'string', pattern: `^\\d{1,${field.maxDigits}}$`, readOnly: true, description };
    default:
      return { type: 'string', maxLength: field.maxLength, description };
  }
}

const ok = (description: string, schema?: Schema) => ({
  description,
  ...(schema ? { content: { 'application/json': { schema } } } : {}),
});
const errors = {
  '400': ok('Invalid input: field-level errors naming the api_name; nothing written', {
    $ref: '#/components/schemas/RecordResults',
  }),
  '401': ok('Missing, forged, expired or wrong-audience token', { $ref: '#/components/schemas/Error' }),
  '403': ok('The role lacks the needed permission', { $ref: '#/components/schemas/Error' }),
  '413': ok('Body larger than 1 MiB', { $ref: '#/components/schemas/Error' }),
  '429': ok('Rate limit per user exceeded', { $ref: '#/components/schemas/Error' }),
};
const id = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[1-9][0-9]{0,18}$' },
};
const listParams = ['page', 'per_page', 'sort_by', 'sort_order', 'fields'].map((name) => ({
  name,
  in: 'query',
  schema: { type: 'string' },
}));
const body = (ref: string) => ({
  required: true,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
});
const listOf = (ref: string) => ({
  type: 'object',
  properties: {
    data: { type: 'array', items: { $ref: `#/components/schemas/${ref}` } },
    info: { $ref: '#/components/schemas/Info' },
  },
});
const results = { $ref: '#/components/schemas/RecordResults' };

/** OpenAPI 3.1 description of the Cases API, generated from the same field model the server enforces. */
export function openApiDocument(fields: readonly FieldDefinition[]): Schema {
  const caseProperties = Object.fromEntries(fields.map((f) => [f.apiName, fieldSchema(f)]));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Casepane Cases API',
      version: '6',
      description:
        'Zoho CRM v6 REST conventions: {"data": [...]} envelopes, per-record results, 204 for empty lists. Writes of several records on the Zoho-shaped endpoints are per record, as Zoho: each valid record is written, every record reports its result (207 when some were refused); all_or_nothing=true writes nothing when any record is refused. Bodies without Content-Type are read as JSON.',
    },
    security: [{ bearer: [] }],
    paths: {
      '/crm/v6/Cases': {
        get: {
          summary:
            'List cases; page and per_page reach the first 2,000, page_token (info.next_page_token) goes past them',
          parameters: [
            ...listParams,
            {
              name: 'ids',
              in: 'query',
              description: 'Only these ids (up to 200)',
              schema: { type: 'string' },
            },
            { name: 'page_token', in: 'query', schema: { type: 'string' } },
            { name: 'If-Modified-Since', in: 'header', schema: { type: 'string' } },
          ],
          responses: {
            '200': ok('Cases', listOf('Case')),
            '204': ok('No cases'),
            '304': ok('Nothing modified since If-Modified-Since'),
          },
        },
        post: {
          summary: `Create up to ${MAX_RECORDS_PER_CALL} cases`,
          parameters: [ALL_OR_NOTHING],
          requestBody: body('CaseWrite'),
          responses: { '201': ok('Created', results), '207': ok('Some created', results), ...errors },
        },
        put: {
          summary: 'Update up to 100 cases (each with id)',
          parameters: [ALL_OR_NOTHING],
          requestBody: body('CaseWrite'),
          responses: {
            '200': ok('Updated', results),
            '207': ok('Some updated', results),
            '409': ok('Changed by someone else'),
            ...errors,
          },
        },
      },
      '/crm/v6/Cases/{id}': {
        get: {
          summary: 'Get a case',
          parameters: [id],
          responses: { '200': ok('The case', listOf('Case')), '404': ok('No such case') },
        },
        put: {
          summary: 'Update a case',
          parameters: [id],
          requestBody: body('CaseWrite'),
          responses: { '200': ok('Updated', results), ...errors },
        },
        delete: {
          summary: 'Delete a case (manager, admin)',
          parameters: [id],
          responses: { '200': ok('Deleted', results), ...errors },
        },
      },
      '/crm/v6/Cases/search': {
        get: {
          summary:
            'Search cases: exactly one of criteria (equals, not_equal, starts_with, in, greater_than, greater_equal, less_than, less_equal; and/or), email, phone, word',
          parameters: [
            ...['criteria', 'email', 'phone', 'word'].map((name) => ({
              name,
              in: 'query',
              schema: { type: 'string' },
            })),
            ...listParams,
          ],
          responses: { '200': ok('Matches', listOf('Case')), '204': ok('No match'), ...errors },
        },
      },
      '/crm/v6/Cases/{id}/actions/clone': {
        post: {
          summary: 'Clone a case, optionally changing fields',
          parameters: [id],
          responses: { '201': ok('Cloned', results), ...errors },
        },
      },
      '/crm/v6/Cases/actions/from_email': {
        post: {
          summary: 'Create a case and link its email in one transaction; idempotent on internet_message_id',
          requestBody: body('FromEmail'),
          responses: {
            '201': ok('Created', results),
            '200': ok('Already converted: the first case (details.duplicate = true)', results),
            ...errors,
          },
        },
      },
      '/crm/v6/Cases/{id}/Emails': {
        get: {
          summary: "The case's linked emails",
          parameters: [id],
          responses: { '200': ok('Emails'), '204': ok('None') },
        },
        post: {
          summary: 'Link received messages to the case',
          parameters: [id],
          requestBody: body('EmailWrite'),
          responses: { '201': ok('Linked', results), ...errors },
        },
      },
      '/crm/v6/Emails/cases': {
        get: {
          summary: 'Cases linked to a message or its thread',
          parameters: ['internet_message_id', 'conversation_id'].map((name) => ({
            name,
            in: 'query',
            schema: { type: 'string' },
          })),
          responses: { '200': ok('Linked cases'), '204': ok('None') },
        },
      },
      '/crm/v6/Contacts/search': {
        get: {
          summary: 'Find contacts by email',
          parameters: [{ name: 'email', in: 'query', required: true, schema: { type: 'string' } }],
          responses: { '200': ok('Contacts'), '204': ok('None') },
        },
      },
      ...Object.fromEntries(
        ['Contacts', 'Accounts', 'Products', 'Deals'].map((m) => [
          `/crm/v6/${m}`,
          {
            get: { summary: `List ${m}`, responses: { '200': ok(m), '204': ok('None') } },
            post: { summary: `Create ${m}`, responses: { '201': ok('Created', results), ...errors } },
          },
        ]),
      ),
      '/crm/v6/users': {
        get: {
          summary: 'Users (owners): type=AllUsers|ActiveUsers|CurrentUser',
          responses: { '200': ok('Users') },
        },
      },
      '/crm/v6/settings/fields': {
        get: {
          summary:
            "Fields of a module with Zoho's data types (ownerlookup, lookup, picklist, autonumber…), custom fields included",
          parameters: [
            {
              name: 'module',
              in: 'query',
              required: true,
              schema: { enum: ['Cases', 'Contacts', 'Accounts', 'Products', 'Deals', 'Notes', 'Users'] },
            },
          ],
          responses: { '200': ok('Fields') },
        },
      },
      '/crm/v6/coql': {
        post: {
          summary:
            "COQL (Zoho's Query API) on Cases: SELECT fields, dotted lookup fields (Owner.email, Related_To.Full_Name) and COUNT/SUM/MIN/MAX/AVG FROM Cases WHERE (=, !=, <, >, <=, >=, [not] like, [not] in, [not] between, is [not] null; and/or, parentheses) [GROUP BY] [ORDER BY] [LIMIT offset, count | LIMIT n OFFSET m]; 200 records by default, at most 2,000 per query and 10,000 through OFFSET; view permission",
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['select_query'],
                  properties: { select_query: { type: 'string', maxLength: 20_000 } },
                },
              },
            },
          },
          responses: {
            '200': ok('Records (lookups as {id, name}) or groups, keyed by field, dotted field or alias', {
              type: 'object',
              properties: {
                data: { type: 'array', items: { type: 'object', additionalProperties: true } },
                info: {
                  type: 'object',
                  properties: { count: { type: 'integer' }, more_records: { type: 'boolean' } },
                },
              },
            }),
            '204': ok('No record matches'),
            ...errors,
            '400': ok(
              'SYNTAX_ERROR (details: clause, near, line, column), INVALID_QUERY (column_name, api_name, reason), LIMIT_EXCEEDED (clause, limit), DUPLICATE_DATA',
              { $ref: '#/components/schemas/Error' },
            ),
          },
        },
      },
      '/health': {
        get: {
          summary: 'Liveness and database check',
          security: [],
          responses: { '200': ok('Healthy'), '503': ok('Database unavailable') },
        },
      },
      '/auth/config': {
        get: { summary: 'How clients sign in', security: [], responses: { '200': ok('Auth settings') } },
      },
      // The Notification API (issue 10, item 7).
      ...watchPaths,
      ...zohoCompatPaths(),
      // Cases from a support mailbox (issue 11, section 1).
      ...mailboxPaths,
    },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'Also accepted as "Zoho-oauthtoken <JWT>"',
        },
      },
      schemas: {
        LookupRef: {
          type: 'object',
          properties: { id: { type: 'string' }, name: { type: 'string' } },
          required: ['id'],
        },
        Case: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            ...caseProperties,
            Created_Time: { type: 'string' },
            Modified_Time: { type: 'string' },
            Created_By: { $ref: '#/components/schemas/LookupRef' },
            Modified_By: { $ref: '#/components/schemas/LookupRef' },
          },
        },
        CaseWrite: {
          type: 'object',
          properties: {
            data: {
              type: 'array',
              maxItems: MAX_RECORDS_PER_CALL,
              items: { type: 'object', properties: caseProperties, additionalProperties: false },
            },
          },
          required: ['data'],
        },
        EmailMessage: {
          type: 'object',
          required: ['internet_message_id', 'from'],
          properties: {
            internet_message_id: { type: 'string', maxLength: 998 },
            conversation_id: { type: 'string' },
            item_id: { type: 'string' },
            mailbox: { type: 'string' },
            from: {
              type: 'object',
              properties: { name: { type: 'string' }, email: { type: 'string', format: 'email' } },
            },
            to: { type: 'array' },
            cc: { type: 'array' },
            subject: { type: 'string' },
            sent_time: { type: 'string', format: 'date-time' },
            body_text: { type: 'string' },
          },
        },
        EmailWrite: {
          type: 'object',
          properties: { data: { type: 'array', items: { $ref: '#/components/schemas/EmailMessage' } } },
        },
        FromEmail: {
          type: 'object',
          properties: {
            data: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  case: { type: 'object', properties: caseProperties },
                  message: { $ref: '#/components/schemas/EmailMessage' },
                },
              },
            },
          },
        },
        Info: {
          type: 'object',
          properties: {
            page: { type: 'integer' },
            per_page: { type: 'integer' },
            count: { type: 'integer' },
            more_records: { type: 'boolean' },
          },
        },
        RecordResults: {
          type: 'object',
          properties: {
            data: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  code: { type: 'string' },
                  details: { type: 'object' },
                  message: { type: 'string' },
                  status: { enum: ['success', 'error'] },
                },
              },
            },
          },
        },
        Error: {
          type: 'object',
          properties: {
            code: { type: 'string' },
            details: { type: 'object' },
            message: { type: 'string' },
            status: { const: 'error' },
          },
        },
      },
    },
  };
}
