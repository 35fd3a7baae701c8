import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { MAX_RECORDS_PER_CALL } from '../../shared/api-types';
import type { FieldDefinition } from '../../shared/case-fields';

type Schema = Record<string, unknown>;

/** A route as Fastify registered it: what test/server/openapi.test.ts compares the document with. */
export interface RegisteredRoute {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    registeredRoutes: readonly RegisteredRoute[];
  }
}

/**
 * Registers @fastify/swagger before any route, so that /openapi.json is generated from the routes' own schemas
 * (issue 13). Only the case record itself comes from elsewhere: its fields are the field model's (custom fields
 * included, changed by admins at run time), so the components Case, CaseWrite and FromEmail are written per
 * request and the route schemas name them by `title`.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  const routes: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', routes);
  // On the root, so it sees the routes of every plugin registered after it.
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Casepane Cases API',
        version: '6',
        description:
          'Zoho CRM v6 REST conventions: {"data": [...]} envelopes, per-record results, 204 for empty lists. Writes of several records on the Zoho-shaped endpoints are per record, as Zoho: each valid record is written, every record reports its result (207 when some were refused); all_or_nothing=true writes nothing when any record is refused. Bodies without Content-Type are read as JSON.',
      },
      security: [{ bearer: [] }],
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: 'Also accepted as "Zoho-oauthtoken <JWT>"',
          },
        },
      },
    },
  });
}

/** GET /openapi.json: the generated document with the field model's record schemas. */
export function openApiRoute(app: FastifyInstance, fields: () => readonly FieldDefinition[]): void {
  app.get(
    '/openapi.json',
    {
      schema: {
        summary: 'This document: OpenAPI 3.1, generated from the route schemas',
        security: [],
        response: { 200: Type.Object({}, { additionalProperties: true, description: 'OpenAPI 3.1' }) },
      },
    },
    async () => withRecordSchemas(app.swagger() as unknown as Schema, fields()),
  );
}

const TITLED = new Set(['Case', 'CaseWrite', 'FromEmail', 'EmailMessage']);

/** Replace every schema the routes titled with a component (a copy: swagger() caches its document). */
function linkTitled(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(linkTitled);
  if (!node || typeof node !== 'object') return node;
  const title = (node as Schema).title;
  if (typeof title === 'string' && TITLED.has(title)) return { $ref: `#/components/schemas/${title}` };
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, linkTitled(value)]));
}

export function withRecordSchemas(document: Schema, fields: readonly FieldDefinition[]): Schema {
  const linked = linkTitled(document) as Schema & { components?: { schemas?: Schema } };
  return {
    ...linked,
    components: {
      ...linked.components,
      schemas: { ...linked.components?.schemas, ...recordComponents(fields) },
    },
  };
}

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

/** The case record as the field model defines it, and the bodies that carry it. */
function recordComponents(fields: readonly FieldDefinition[]): Schema {
  const caseProperties = Object.fromEntries(fields.map((f) => [f.apiName, fieldSchema(f)]));
  return {
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
      description: `A case to write: its fields by api_name (at most ${MAX_RECORDS_PER_CALL} a call)`,
      properties: caseProperties,
      additionalProperties: false,
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
    FromEmail: {
      type: 'object',
      properties: {
        case: { type: 'object', properties: caseProperties },
        message: { $ref: '#/components/schemas/EmailMessage' },
      },
    },
  };
}
