import type { FieldMetadata } from '../../shared/api-types';
import {
  CUSTOM_TEXT_DEFAULT_LIMIT,
  FieldDefinition,
  FieldType,
  STANDARD_FIELDS,
  caseFields,
} from '../../shared/case-fields';

const TYPE_OF: Record<string, FieldType> = {
  text: 'text',
  textarea: 'textarea',
  picklist: 'picklist',
  email: 'email',
  website: 'url',
  url: 'url',
  phone: 'phone',
  integer: 'number',
  bigint: 'number',
  double: 'number',
  number: 'number',
  currency: 'number',
  decimal: 'number',
  date: 'date',
  boolean: 'boolean',
};

function translation(meta: FieldMetadata, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = meta.translations?.[key];
    if (typeof value === 'string' && value.trim()) return value;
  }
  return undefined;
}

/** An administrator's custom field, from the fields metadata, as the shared model's definition. */
export function customFieldFromMetadata(meta: FieldMetadata): FieldDefinition | null {
  const type = TYPE_OF[meta.data_type];
  if (!type || meta.read_only) return null;
  const en = meta.display_label || meta.field_label || meta.api_name;
  const field: FieldDefinition = {
    apiName: meta.api_name,
    label: {
      en,
      pl: translation(meta, 'pl', 'pl_PL') ?? en,
      'zh-CN': translation(meta, 'zh-CN', 'zh_CN', 'zh') ?? en,
    },
    type,
    custom: true,
    mandatory: meta.system_mandatory === true,
  };
  if (type === 'text' || type === 'textarea' || type === 'email' || type === 'url' || type === 'phone') {
    field.maxLength =
      typeof meta.length === 'number' && meta.length > 0 ? meta.length : CUSTOM_TEXT_DEFAULT_LIMIT;
  }
  if (type === 'picklist') {
    const values = (meta.pick_list_values ?? []).filter((v) => v.actual_value !== '-None-');
    if (!values.length) return null;
    field.picklist = values.map((v) => ({
      value: v.actual_value,
      label: { en: v.display_value, pl: v.display_value, 'zh-CN': v.display_value },
    }));
  }
  return field;
}

/**
 * Standard fields from the shared model with the organisation's layout applied (hidden, read-only), followed by its
 * custom fields from the metadata.
 */
export function fieldsFromMetadata(metadata: readonly FieldMetadata[]): FieldDefinition[] {
  const standard = new Set(STANDARD_FIELDS.map((f) => f.apiName));
  const byName = new Map(metadata.map((m) => [m.api_name, m]));
  const custom = metadata
    .filter((m) => m.custom_field && !standard.has(m.api_name) && m.visible !== false)
    .map(customFieldFromMetadata)
    .filter((f): f is FieldDefinition => f !== null);
  return caseFields(custom).map((f) => {
    const meta = byName.get(f.apiName);
    if (!meta) return f;
    // The layout's quick-create choice (issue 16, item 1); an older server sends none and the defaults decide.
    const quick = typeof meta.quick_create === 'boolean' ? { quick: meta.quick_create } : {};
    if (f.custom || (meta.visible !== false && !meta.read_only)) return { ...f, ...quick };
    return {
      ...f,
      ...quick,
      ...(meta.visible === false ? { hidden: true } : {}),
      ...(meta.read_only ? { readOnly: true } : {}),
    };
  });
}
