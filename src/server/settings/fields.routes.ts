import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { modifiedSince } from '../zoho/conditional';
import type { AppDeps } from '../http/context';
import { apiError } from '../http/errors';
import { crmErrors, judgedByService, Loose, NoContent, RecordResult, typed } from '../http/schema';
import { addCustomFields, type FieldRegistry, saveLayout } from './field-registry';
import {
  FIELD_MODULES,
  caseLayouts,
  caseRelatedLists,
  fieldMetadata,
  moduleFields,
  moduleList,
  organisation,
} from './zoho-metadata';

export { fieldMetadata };

const tags = ['Settings'];
const ModuleQuery = (description: string) =>
  Type.Object({ module: Type.Optional(Type.String({ description })) }, { additionalProperties: true });
const CasesOnly = ModuleQuery('Cases');
const listOf = (key: string, description: string) =>
  Type.Object({ [key]: Type.Array(Loose()) }, { additionalProperties: true, description });
const schemas = {
  modules: {
    summary: 'Modules served, with api_supported and generated_type',
    tags,
    headers: Type.Object(
      {
        'If-Modified-Since': Type.Optional(
          Type.String({ description: 'Only what changed after this time; 304 when nothing did' }),
        ),
      },
      { additionalProperties: true },
    ),
    response: {
      200: listOf('modules', 'Modules'),
      304: NoContent('Not modified since If-Modified-Since'),
      ...crmErrors,
    },
  },
  fields: {
    summary:
      "Fields of a module with Zoho's data types (ownerlookup, lookup, picklist, autonumber…), custom fields included",
    tags,
    querystring: ModuleQuery(FIELD_MODULES.join(', ')),
    response: { 200: listOf('fields', 'Fields'), ...crmErrors },
  },
  relatedLists: {
    summary:
      'Related lists of Cases (Notes, Emails, Attachments, Open_Activities, Closed_Activities) with href',
    tags,
    querystring: CasesOnly,
    response: { 200: listOf('related_lists', 'Related lists'), ...crmErrors },
  },
  layouts: {
    summary: 'The Cases layout: its visible fields in order',
    tags,
    querystring: CasesOnly,
    response: { 200: listOf('layouts', 'Layouts'), ...crmErrors },
  },
  org: { summary: 'The organisation', tags, response: { 200: listOf('org', 'Organisation'), ...crmErrors } },
  addFields: {
    summary: 'Add custom fields to Cases (admin)',
    tags,
    querystring: CasesOnly,
    body: judgedByService(
      Loose('{"fields": [{api_name, field_label, data_type, length, pick_list_values}]}; judged per field'),
    ),
    response: {
      201: Type.Object({ fields: Type.Array(RecordResult) }, { description: 'Added' }),
      ...crmErrors,
    },
  },
  layout: {
    summary: 'Set the order, hidden and read-only fields of the Cases layout (admin)',
    tags,
    querystring: CasesOnly,
    body: judgedByService(Loose('{"fields": [{api_name, hidden, read_only}]} in the order wanted')),
    response: { 200: listOf('fields', 'The fields, in the new order'), ...crmErrors },
  },
};

function onlyCases(query: { module?: string }): void {
  if (query.module !== 'Cases')
    throw apiError(400, 'INVALID_MODULE', 'module must be Cases', { param_name: 'module' });
}

/**
 * Zoho's metadata APIs: settings/modules, settings/fields?module= for every module served, settings/related_lists
 * and settings/layouts for Cases, and org. Admins add custom fields (POST settings/fields) and set order, hidden
 * and read-only (PUT settings/layout).
 */
export function fieldRoutes(root: FastifyInstance, deps: AppDeps, registry: FieldRegistry): void {
  const app = typed(root);
  const admin = { permission: 'admin' as const };

  app.get('/crm/v6/settings/modules', { schema: schemas.modules }, async (request, reply) => {
    const since = modifiedSince(request);
    const modules = moduleList(registry.modifiedTime(), since);
    return since && modules.length === 0 ? reply.code(304).send() : { modules };
  });
  app.get('/crm/v6/settings/fields', { schema: schemas.fields }, async (request) => {
    const module = request.query.module;
    const fields = module === undefined ? undefined : moduleFields(module, deps.fields);
    if (!fields)
      throw apiError(400, 'INVALID_MODULE', `module must be one of ${FIELD_MODULES.join(', ')}`, {
        param_name: 'module',
      });
    return { fields };
  });
  app.get('/crm/v6/settings/related_lists', { schema: schemas.relatedLists }, async (request) => {
    onlyCases(request.query);
    return { related_lists: caseRelatedLists() };
  });
  app.get('/crm/v6/settings/layouts', { schema: schemas.layouts }, async (request) => {
    onlyCases(request.query);
    return { layouts: caseLayouts(deps.fields, registry.modifiedTime()) };
  });
  app.get('/crm/v6/org', { schema: schemas.org }, async () => ({ org: [organisation()] }));
  app.post(
    '/crm/v6/settings/fields',
    { config: admin, schema: schemas.addFields },
    async (request, reply) => {
      onlyCases(request.query);
      const added = await addCustomFields(deps.storage, registry, request.body);
      return reply.code(201).send({
        fields: added.map((api_name) => ({
          code: 'SUCCESS',
          details: { api_name },
          message: 'field added',
          status: 'success',
        })),
      });
    },
  );
  app.put('/crm/v6/settings/layout', { config: admin, schema: schemas.layout }, async (request) => {
    onlyCases(request.query);
    await saveLayout(deps.storage, registry, request.body);
    return { fields: deps.fields.map(fieldMetadata) };
  });
}
