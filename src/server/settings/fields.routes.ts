import type { FastifyInstance } from 'fastify';
import { modifiedSince } from '../zoho/conditional';
import type { AppDeps } from '../http/context';
import { apiError } from '../http/errors';
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

type ModuleQuery = { Querystring: { module?: string } };

function onlyCases(query: { module?: string }): void {
  if (query.module !== 'Cases')
    throw apiError(400, 'INVALID_MODULE', 'module must be Cases', { param_name: 'module' });
}

/**
 * Zoho's metadata APIs: settings/modules, settings/fields?module= for every module served, settings/related_lists
 * and settings/layouts for Cases, and org. Admins add custom fields (POST settings/fields) and set order, hidden
 * and read-only (PUT settings/layout).
 */
export function fieldRoutes(app: FastifyInstance, deps: AppDeps, registry: FieldRegistry): void {
  const admin = { config: { permission: 'admin' as const } };

  app.get('/crm/v6/settings/modules', async (request, reply) => {
    const since = modifiedSince(request);
    const modules = moduleList(registry.modifiedTime(), since);
    return since && modules.length === 0 ? reply.code(304).send() : { modules };
  });
  app.get<ModuleQuery>('/crm/v6/settings/fields', async (request) => {
    const module = request.query.module;
    const fields = typeof module === 'string' ? moduleFields(module, deps.fields) : undefined;
    if (!fields)
      throw apiError(400, 'INVALID_MODULE', `module must be one of ${FIELD_MODULES.join(', ')}`, {
        param_name: 'module',
      });
    return { fields };
  });
  app.get<ModuleQuery>('/crm/v6/settings/related_lists', async (request) => {
    onlyCases(request.query);
    return { related_lists: caseRelatedLists() };
  });
  app.get<ModuleQuery>('/crm/v6/settings/layouts', async (request) => {
    onlyCases(request.query);
    return { layouts: caseLayouts(deps.fields, registry.modifiedTime()) };
  });
  app.get('/crm/v6/org', async () => ({ org: [organisation()] }));
  app.post<ModuleQuery>('/crm/v6/settings/fields', admin, async (request, reply) => {
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
  });
  app.put<ModuleQuery>('/crm/v6/settings/layout', admin, async (request) => {
    onlyCases(request.query);
    await saveLayout(deps.storage, registry, request.body);
    return { fields: deps.fields.map(fieldMetadata) };
  });
}
