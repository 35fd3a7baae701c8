import { registerAjvFormats } from '@fastify/type-provider-typebox';
import fastJson from 'fast-json-stringify';
import type { FastifyInstance, FastifySchemaCompiler, FastifyTypeProvider } from 'fastify';
import type { FastifySerializerCompiler } from 'fastify/types/schema';
import { type Static, type TSchema, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import { apiError, type HttpError, quoted } from './errors';

/*
 * Schema-first routes (issue 13): every route declares params, querystring, body and replies as TypeBox schemas.
 * TypeBox rather than Zod because its types are JSON Schema: the same object is checked here, serialised by
 * fast-json-stringify and published by @fastify/swagger, with no conversion layer in between.
 */

registerAjvFormats();

type Part = 'body' | 'querystring' | 'params' | 'headers';

interface SchemaIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

/** `/data/0/id` → `$.data[0].id`, Zoho's json_path. */
function jsonPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .reduce((path, key) => (/^\d+$/.test(key) ? `${path}[${key}]` : `${path}.${key}`), '$');
}

/** The last property name of a pointer (array indexes skipped): what Zoho calls the api_name. */
function apiNameOf(pointer: string): string | undefined {
  return pointer
    .split('/')
    .slice(1)
    .filter((key) => !/^\d+$/.test(key))
    .pop();
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  integer: 'integer',
  number: 'double',
  boolean: 'boolean',
  object: 'jsonobject',
  array: 'jsonarray',
};

function firstRequired(schema: TSchema): string | undefined {
  const required = (schema as { required?: unknown }).required;
  return Array.isArray(required) && typeof required[0] === 'string' ? required[0] : undefined;
}

/** A body that fails its schema, in Zoho's shape: the field named in details.api_name, nothing written. */
function bodyError(issue: SchemaIssue, schema: TSchema, value: unknown): HttpError {
  const { keyword, instancePath, params } = issue;
  if (instancePath === '' && (value === null || value === '')) {
    const field = firstRequired(schema);
    return apiError(400, 'MANDATORY_NOT_FOUND', `the request body must be a JSON object`, {
      ...(field ? { api_name: field } : {}),
    });
  }
  if (keyword === 'required') {
    const missing =
      (params.requiredProperties as string[] | undefined)?.[0] ?? String(params.missingProperty);
    const pointer = `${instancePath}/${missing}`;
    return apiError(400, 'MANDATORY_NOT_FOUND', `required field not found: ${missing}`, {
      api_name: missing,
      json_path: jsonPath(pointer),
    });
  }
  const apiName = apiNameOf(instancePath);
  const where = apiName ? { api_name: apiName, json_path: jsonPath(instancePath) } : {};
  if (keyword === 'type') {
    const expected = EXPECTED[String(params.type)] ?? String(params.type);
    return apiError(
      400,
      'INVALID_DATA',
      apiName ? `${apiName} must be ${params.type}` : 'the request body must be a JSON object',
      { ...where, expected_data_type: expected },
    );
  }
  if (keyword === 'minItems' && params.limit === 1)
    return apiError(400, 'MANDATORY_NOT_FOUND', `${apiName} must hold at least one record`, where);
  if (keyword === 'maxItems')
    return apiError(400, 'LIMIT_EXCEEDED', `at most ${params.limit} records per call`, {
      ...where,
      limit: params.limit,
    });
  if (keyword === 'maxLength')
    return apiError(400, 'INVALID_DATA', `${apiName}: at most ${params.limit} characters`, {
      ...where,
      maximum_length: params.limit,
    });
  return apiError(400, 'INVALID_DATA', `${apiName ?? 'the body'}: ${issue.message}`, where);
}

/** A query parameter, path part or header that fails its schema. */
function requestLineError(part: Part, issue: SchemaIssue, value: unknown): HttpError {
  const name =
    issue.keyword === 'required'
      ? String((issue.params.requiredProperties as string[] | undefined)?.[0])
      : (apiNameOf(issue.instancePath) ?? '');
  if (part === 'params') {
    const given = (value as Record<string, unknown> | null)?.[name];
    return apiError(400, 'INVALID_URL_PATTERN', 'the record id in the URL is not valid', {
      id: quoted(given, 30),
    });
  }
  if (issue.keyword === 'required')
    return apiError(400, 'MANDATORY_NOT_FOUND', `required parameter not found: ${name}`, {
      api_name: name,
      param_name: name,
    });
  return apiError(400, 'INVALID_DATA', `${name}: ${issue.message}`, { api_name: name, param_name: name });
}

/**
 * Marks a part of a schema that documents a value the service judges (answering per record, or knowing more than a
 * schema can say): /openapi.json shows it, the validator accepts anything there.
 */
const JUDGED = 'x-judged-by-service';
export const judgedByService = <T extends TSchema>(schema: T): T => ({ ...schema, [JUDGED]: true });

function withoutJudgedParts(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutJudgedParts);
  if (!node || typeof node !== 'object') return node;
  if ((node as Record<string, unknown>)[JUDGED] === true) return {};
  // Every own property, the non-enumerable ones too: TypeBox keeps a schema's kind in `~kind`, which Value.Convert
  // needs to turn query text into numbers and booleans (a copy of the enumerable ones converted nothing).
  const copy: Record<PropertyKey, unknown> = {};
  for (const key of Reflect.ownKeys(node)) {
    const descriptor = Object.getOwnPropertyDescriptor(node, key) as PropertyDescriptor;
    Object.defineProperty(copy, key, { ...descriptor, value: withoutJudgedParts(descriptor.value) });
  }
  return copy;
}

function isMultipart(contentType: string | undefined): boolean {
  return contentType === 'multipart/form-data';
}

/**
 * Fastify's validator compiler for every route. Query strings, path parts and headers are converted to their
 * schema's types (they arrive as text); bodies are not (a number where text belongs is the client's error, not
 * something to coerce). Nothing is removed and no default is filled in: an unknown field is for validateCase()
 * and the Zoho layer to judge. A failure is answered in Zoho's shape naming the field (never FST_ERR_VALIDATION).
 * Multipart bodies are read by @fastify/multipart in the handler; their schema only documents them.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = (route) => {
  const { httpPart } = route;
  const contentType = (route as { contentType?: string }).contentType;
  if (httpPart === 'body' && isMultipart(contentType)) return () => true;
  const part = (httpPart ?? 'body') as Part;
  return cached(validators, `${part} ${keyOf(route.schema)}`, () => validatorFor(part, route.schema));
};

function validatorFor(part: Part, routeSchema: TSchema) {
  const schema = withoutJudgedParts(routeSchema) as TSchema;
  const check = Compile(schema);
  return (value: unknown) => {
    const converted = part === 'body' ? value : Value.Convert(schema, value);
    if (check.Check(converted)) return { value: converted };
    const [issue] = check.Errors(converted) as SchemaIssue[];
    const error =
      part === 'body' ? bodyError(issue, schema, converted) : requestLineError(part, issue, converted);
    return { error };
  };
}

/*
 * About a hundred routes share a few dozen distinct schemas (ids, record bodies, Zoho's error replies): each is
 * compiled once, keyed by its text without annotations, so the app starts as fast as it did without schemas.
 */
const validators = new Map<string, ReturnType<typeof validatorFor>>();
const serializers = new Map<string, (data: unknown) => string>();
const ANNOTATIONS = new Set(['description', 'title', 'summary', 'examples', 'writeOnly', 'readOnly']);

function keyOf(schema: unknown): string {
  // Only annotation values are dropped, never a property that happens to be called `title` (its value is an object).
  return JSON.stringify(schema, (key, value: unknown) =>
    ANNOTATIONS.has(key) && typeof value !== 'object' ? undefined : value,
  );
}

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let found = cache.get(key);
  if (found === undefined) {
    found = make();
    cache.set(key, found);
  }
  return found;
}

/** fast-json-stringify for replies, as Fastify's default, compiled once per distinct schema. */
export const serializerCompiler: FastifySerializerCompiler<TSchema> = ({ schema }) =>
  cached(serializers, keyOf(schema), () => fastJson(schema as Parameters<typeof fastJson>[0]));

/**
 * Types a handler's params, query, headers and body from its schemas. Replies stay untyped at compile time:
 * handlers pick their status at run time (201, 207 or 400 by the records' outcome), which a reply type keyed by
 * status cannot follow; the response schemas still serialise and document every reply.
 */
export interface SchemaTypes extends FastifyTypeProvider {
  validator: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
  serializer: unknown;
}

export const typed = (app: FastifyInstance) => app.withTypeProvider<SchemaTypes>();

/* Building blocks the route schemas share. */

export const RecordId = Type.String({
  pattern: '^[1-9][0-9]{0,18}$',
  description: 'A record id: a positive long, as text',
});
export const IdParams = Type.Object({ id: RecordId });

/** An object whose fields are dynamic (custom fields, Zoho's records): passed through whole when serialised. */
export const Loose = (description?: string, title?: string) =>
  Type.Object(
    {},
    { additionalProperties: true, ...(description ? { description } : {}), ...(title ? { title } : {}) },
  );

const Details = Type.Record(Type.String(), Type.Unknown());

/** One record's outcome in a write: SUCCESS with its details, or an error naming the field. */
export const RecordResult = Type.Object(
  {
    code: Type.Optional(Type.String()),
    details: Type.Optional(Details),
    message: Type.Optional(Type.String()),
    status: Type.Optional(Type.Union([Type.Literal('success'), Type.Literal('error')])),
  },
  { additionalProperties: true },
);
export const RecordResults = (description: string) =>
  Type.Object({ data: Type.Optional(Type.Array(RecordResult)) }, { additionalProperties: true, description });

/** Zoho's error body: {code, details, message, status}, or per-record errors in {data: [...]}. */
export const ZohoError = (description: string) =>
  Type.Object(
    {
      code: Type.Optional(Type.String()),
      details: Type.Optional(Details),
      message: Type.Optional(Type.String()),
      status: Type.Optional(Type.String()),
      data: Type.Optional(Type.Array(RecordResult)),
    },
    { additionalProperties: true, description },
  );

export const NoContent = (description: string) => Type.Null({ description });

/** The refusals every /crm route may answer with (authentication and the rate limit come before the handler). */
export const crmErrors = {
  400: ZohoError('Invalid input: the field is named in details.api_name; nothing written'),
  401: ZohoError('Missing, forged, expired or wrong-audience token'),
  403: ZohoError('The role lacks the needed permission'),
  429: ZohoError('Rate limit per user exceeded'),
};
export const notFound = { 404: ZohoError('No such record') };

export const Info = Type.Object(
  {
    page: Type.Optional(Type.Integer()),
    per_page: Type.Optional(Type.Integer()),
    count: Type.Optional(Type.Integer()),
    more_records: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: true },
);

/** A Zoho list: {data: [records], info}. `title` names the record's component schema in /openapi.json. */
export const ListReply = (description: string, title?: string) =>
  Type.Object(
    { data: Type.Array(Loose(undefined, title)), info: Type.Optional(Info) },
    { additionalProperties: true, description },
  );

/** A Zoho write body: {"data": [1..max records]}; each record's fields are judged by the service. */
export const RecordsBody = <E extends Record<string, TSchema> = Record<never, TSchema>>(
  max: number,
  title?: string,
  extra?: E,
) =>
  Type.Object(
    {
      data: Type.Array(
        Type.Unknown({ description: 'A record: fields by api_name', ...(title ? { title } : {}) }),
        {
          minItems: 1,
          maxItems: max,
        },
      ),
      ...(extra as E),
    },
    { additionalProperties: true },
  );

/** What a body with one record holds after its schema passed. */
export type RecordsOf = { data: unknown[] };

const text = (description: string) => Type.Optional(Type.String({ description }));
export const queryText = text;

export const AllOrNothing = Type.Optional(
  Type.Union([Type.Literal('true'), Type.Literal('false')], {
    description:
      'true: write nothing when any record is refused (every record then reports why or NOT_EXECUTED). Default false: as Zoho, each valid record is written on its own and every record reports its result (201/200 all written, 207 some, 400 none)',
  }),
);
export const BatchQuery = Type.Object({ all_or_nothing: AllOrNothing }, { additionalProperties: true });

export const PageQuery = Type.Object(
  { page: text('Page, from 1'), per_page: text('Records a page, up to 200') },
  { additionalProperties: true },
);

/**
 * A multipart upload as the OpenAPI shows it. @fastify/multipart reads it in the handler (streamed, with its size
 * limits), so the validator compiler accepts any multipart body and this schema only documents the parts.
 */
export const MultipartBody = (parts: Record<string, TSchema>, required: string[]) => ({
  content: {
    'multipart/form-data': { schema: Type.Object(parts, { required }) },
  },
});
export const FilePart = (description: string) => Type.String({ format: 'binary', description });

/** The small SUCCESS answer of settings writes: {data|key: [{code, details, message, status}]}. */
export const SuccessReply = (key: string, description: string) =>
  Type.Object({ [key]: Type.Array(RecordResult) }, { description });
