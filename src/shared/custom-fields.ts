import {
  CUSTOM_FIELD_TYPES,
  CUSTOM_TEXTAREA_MAX_LIMIT,
  CUSTOM_TEXT_DEFAULT_LIMIT,
  CustomFieldType,
  FieldDefinition,
  STANDARD_FIELDS,
  SYSTEM_FIELDS,
} from './case-fields';

/**
 * An administrator's custom field as written in the fields config file
 * (`DATA_DIR/fields.json` or CASEPANE_FIELDS_FILE): `{ "fields": [CustomFieldConfig...] }`.
 */
export interface CustomFieldConfig {
  api_name: string;
  label: string | { en: string; pl?: string; 'zh-CN'?: string };
  type: CustomFieldType;
  length?: number;
  pick_list_values?: string[];
  mandatory?: boolean;
}

const API_NAME = /^[A-Za-z][A-Za-z0-9_]{0,49}$/;

/**
 * Names every plain JavaScript object answers to (`constructor`, `toString`, `valueOf`, …): a field with one of them
 * would be found in every record and every form the pane or a client keeps in an ordinary object.
 */
export function isReservedApiName(name: string): boolean {
  return Object.hasOwn(Object.prototype, name);
}

/** A label as text or per language; undefined unless every given label is non-empty text (English required). */
function labelsOf(label: unknown): { en: string; pl?: string; 'zh-CN'?: string } | undefined {
  const text = (v: unknown) => typeof v === 'string' && v.trim() !== '';
  if (text(label)) return { en: label as string };
  if (typeof label !== 'object' || label === null || Array.isArray(label)) return undefined;
  const { en, pl, 'zh-CN': zh } = label as Record<string, unknown>;
  if (!text(en) || (pl !== undefined && !text(pl)) || (zh !== undefined && !text(zh))) return undefined;
  return { en: en as string, pl: pl as string | undefined, 'zh-CN': zh as string | undefined };
}

/** Turn config entries into field definitions, refusing anything ambiguous so a bad file fails at start-up. */
export function parseCustomFields(
  input: unknown,
  existing: readonly FieldDefinition[] = STANDARD_FIELDS,
): FieldDefinition[] {
  const entries = (input as { fields?: unknown })?.fields;
  if (!Array.isArray(entries)) throw new Error('custom fields config: expected {"fields": [...]}');
  const taken = new Set<string>([
    ...STANDARD_FIELDS.map((f) => f.apiName),
    ...existing.map((f) => f.apiName),
    ...SYSTEM_FIELDS,
  ]);
  return entries.map((raw, index) => {
    const where = `custom fields config: fields[${index}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw new Error(`${where}: expected {"api_name": …, "label": …, "type": …}`);
    const entry = raw as Partial<CustomFieldConfig>;
    if (typeof entry.api_name !== 'string' || !API_NAME.test(entry.api_name))
      throw new Error(`${where}: api_name must match ${API_NAME}`);
    if (isReservedApiName(entry.api_name))
      throw new Error(`${where}: api_name ${entry.api_name} is reserved (a JavaScript built-in name)`);
    if (taken.has(entry.api_name)) throw new Error(`${where}: api_name ${entry.api_name} is already used`);
    taken.add(entry.api_name);
    if (!CUSTOM_FIELD_TYPES.includes(entry.type as CustomFieldType))
      throw new Error(`${where}: type must be one of ${CUSTOM_FIELD_TYPES.join(', ')}`);
    const type = entry.type as CustomFieldType;
    const labels = labelsOf(entry.label);
    if (!labels) throw new Error(`${where}: label is text or {"en": …, "pl": …, "zh-CN": …} of texts`);
    const en = labels.en;
    if (entry.mandatory !== undefined && typeof entry.mandatory !== 'boolean')
      throw new Error(`${where}: mandatory is true or false`);
    const field: FieldDefinition = {
      apiName: entry.api_name,
      label: { en, pl: labels.pl ?? en, 'zh-CN': labels['zh-CN'] ?? en },
      type,
      custom: true,
      mandatory: entry.mandatory === true,
    };
    if (type === 'text' || type === 'textarea' || type === 'email' || type === 'url') {
      const length = entry.length ?? CUSTOM_TEXT_DEFAULT_LIMIT;
      if (!Number.isInteger(length) || length < 1 || length > CUSTOM_TEXTAREA_MAX_LIMIT)
        throw new Error(`${where}: length must be an integer from 1 to ${CUSTOM_TEXTAREA_MAX_LIMIT}`);
      field.maxLength = length;
    }
    if (type === 'picklist') {
      const values = entry.pick_list_values;
      if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === 'string' && v))
        throw new Error(`${where}: pick_list_values must be a non-empty list of strings`);
      field.picklist = values.map((v) => ({ value: v, label: { en: v, pl: v, 'zh-CN': v } }));
    }
    return field;
  });
}
