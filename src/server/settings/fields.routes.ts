import type { FastifyInstance } from 'fastify';
import type { FieldMetadata } from '../../shared/api-types';
import type { FieldDefinition } from '../../shared/case-fields';
import type { AppDeps } from '../http/context';
import { apiError } from '../http/errors';
import { addCustomFields, type FieldRegistry, saveLayout } from './field-registry';

const DATA_TYPES: Record<FieldDefinition['type'], string> = {
  autonumber: 'autonumber',
  text: 'text',
  textarea: 'textarea',
  email: 'email',
  phone: 'phone',
  picklist: 'picklist',
  lookup: 'lookup',
  number: 'double',
  date: 'date',
  url: 'website',
  boolean: 'boolean',
};

export function fieldMetadata(field: FieldDefinition): FieldMetadata {
  return {
    api_name: field.apiName,
    field_label: field.label.en,
    display_label: field.label.en,
    data_type: DATA_TYPES[field.type],
    length: field.maxLength ?? field.maxDigits ?? null,
    system_mandatory: field.mandatory === true,
    read_only: field.readOnly === true,
    visible: field.hidden !== true,
    custom_field: field.custom === true,
    pick_list_values: (field.picklist ?? []).map((o) => ({
      display_value: o.label.en,
      actual_value: o.value,
    })),
    lookup: field.lookupModule ? { module: { api_name: field.lookupModule } } : null,
    translations: { ...field.label },
  };
}

/**
 * GET /settings/fields?module=Cases: the organisation's layout in order, custom fields included (Zoho's shape);
 * admins add custom fields (POST) and set order, hidden and read-only (PUT /settings/layout).
 */
export function fieldRoutes(app: FastifyInstance, deps: AppDeps, registry: FieldRegistry): void {
  const admin = { config: { permission: 'admin' as const } };
  const moduleOf = (query: { module?: string }) => {
    if (query.module !== 'Cases')
      throw apiError(400, 'INVALID_MODULE', 'module must be Cases', { param_name: 'module' });
  };
  app.get<{ Querystring: { module?: string } }>('/crm/v6/settings/fields', async (request) => {
    moduleOf(request.query);
    return { fields: deps.fields.map(fieldMetadata) };
  });
  app.post<{ Querystring: { module?: string } }>('/crm/v6/settings/fields', admin, async (request, reply) => {
    moduleOf(request.query);
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
  app.put<{ Querystring: { module?: string } }>('/crm/v6/settings/layout', admin, async (request) => {
    moduleOf(request.query);
    await saveLayout(deps.storage, registry, request.body);
    return { fields: deps.fields.map(fieldMetadata) };
  });
}
