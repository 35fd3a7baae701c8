import type { LookupRef } from '../../../shared/api-types';
import type { FieldDefinition, Language } from '../../../shared/case-fields';
import type { FieldValue } from '../../../shared/validation';
import type { Translate } from '../../i18n';

/** Names of users by id, for fields that hold a user (the history stores the id: "Case Owner: — → 1"). */
export type UserNames = ReadonlyMap<string, string>;

/** A field value as the agent reads it: picklist values in their language, users by name, empty as a dash. */
export function valueText(
  field: FieldDefinition | undefined,
  value: FieldValue | LookupRef | undefined,
  language: Language,
  t: Translate,
  users: UserNames = new Map(),
): string {
  if (value === null || value === undefined || value === '') return t('emptyValue');
  if (typeof value === 'boolean') return value ? t('yes') : t('no');
  // A record's lookup carries its name; the history keeps only the id.
  if (typeof value === 'object' && value.name) return value.name;
  const scalar = typeof value === 'object' ? String(value.id) : value;
  if (field?.lookupModule === 'Users') return users.get(String(scalar)) ?? t('unknownUser');
  const option = field?.picklist?.find((o) => o.value === scalar);
  return option ? (option.label[language] ?? option.label.en) : String(scalar);
}
