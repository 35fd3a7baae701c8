import type { FastifyInstance } from 'fastify';
import type { FieldMetadata } from '../../shared/api-types';
import type { FieldDefinition } from '../../shared/case-fields';
import type { AppDeps } from '../http/context';
import { apiError } from '../http/errors';

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
    custom_field: field.custom === true,
    pick_list_values: (field.picklist ?? []).map((o) => ({
      display_value: o.label.en,
      actual_value: o.value,
    })),
    lookup: field.lookupModule ? { module: { api_name: field.lookupModule } } : null,
    translations: { ...field.label },
  };
}

/** GET /settings/fields?module=Cases: the organisation's layout, custom fields included (Zoho's shape). */
export function fieldRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Querystring: { module?: string } }>('/crm/v6/settings/fields', async (request) => {
    if (request.query.module !== 'Cases')
      throw apiError(400, 'INVALID_MODULE', 'module must be Cases', { param_name: 'module' });
    return { fields: deps.fields.map(fieldMetadata) };
  });
}
