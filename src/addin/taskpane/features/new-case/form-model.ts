/** The new-case form without React: prefill from the message, turning the form into a CaseInput, error texts. */
import type { CaseInput } from '../../../../shared/api-types';
import {
  FieldDefinition,
  Language,
  characterCount,
  isQuickField,
  labelOf,
  truncateToLimit,
} from '../../../../shared/case-fields';
import { FieldError, validateCase, wellFormed } from '../../../../shared/validation';
import type { Translate } from '../../../i18n';
import type { OpenMessage } from '../../../office/types';
import type { CaseDraft } from '../../../storage/drafts';

/** Lookups the form can fill; Product and Deal have no search endpoint for the pane yet. */
export const FORM_LOOKUPS = ['Owner', 'Related_To', 'Account_Name'] as const;
export type FormLookup = (typeof FORM_LOOKUPS)[number];

const ORDER = [
  'Subject',
  'Email',
  'Reported_By',
  'Related_To',
  'Account_Name',
  'Owner',
  'Status',
  'Priority',
  'Case_Origin',
  'Type',
  'Case_Reason',
  'Phone',
  'Description',
  'Internal_Comments',
  'Solution',
  'Add_Comment',
];

/** The fields the form shows (not hidden or read-only in the layout), in the order agents fill them; custom fields last. */
export function formFields(fields: readonly FieldDefinition[]): FieldDefinition[] {
  const editable = fields.filter(
    (f) =>
      !f.readOnly &&
      !f.hidden &&
      f.type !== 'autonumber' &&
      (f.type !== 'lookup' || (FORM_LOOKUPS as readonly string[]).includes(f.apiName)),
  );
  const rank = (f: FieldDefinition) => {
    const i = ORDER.indexOf(f.apiName);
    return i === -1 ? ORDER.length : i;
  };
  return editable
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
    .map(({ f }) => f);
}

export type FormDraft = Omit<CaseDraft, 'savedAt'>;

/** The form as prefilled from the message: nothing here needs the network. */
/**
 * The form as the open message fills it. Owner starts empty: the server then applies the assignment rules, and
 * failing those the creator owns the case — the same as for every other origin.
 */
export function prefillDraft(message: OpenMessage, fields: readonly FieldDefinition[]): FormDraft {
  const values: Record<string, string> = {};
  for (const field of formFields(fields)) {
    if (field.type !== 'lookup') values[field.apiName] = field.defaultValue ?? '';
  }
  // The message is received text: lone surrogates become U+FFFD, or the agent would face an error they cannot see.
  const limit = (apiName: string, received: string) => {
    const text = wellFormed(received);
    const max = fields.find((f) => f.apiName === apiName)?.maxLength;
    return max === undefined ? { text, truncated: false } : truncateToLimit(text, max);
  };
  values.Subject = limit('Subject', message.subject).text;
  values.Email = message.from.email;
  values.Reported_By = limit('Reported_By', message.from.name).text;
  values.Case_Origin = 'Email';
  values.Status = 'New';
  const description = limit('Description', message.bodyText);
  values.Description = description.text;
  return { values, lookups: {}, descriptionTruncated: description.truncated, unsent: false };
}

/** The form's values as the API takes them; blank fields are left out. */
export function toCaseInput(draft: FormDraft, fields: readonly FieldDefinition[]): CaseInput {
  const input: CaseInput = {};
  for (const field of formFields(fields)) {
    if (field.type === 'lookup') {
      const ref = draft.lookups[field.apiName];
      if (ref) input[field.apiName] = { id: ref.id };
      continue;
    }
    const raw = draft.values[field.apiName] ?? '';
    if (raw === '') continue;
    if (field.type === 'number') {
      const n = Number(raw);
      input[field.apiName] = raw.trim() !== '' && Number.isFinite(n) ? n : raw;
    } else if (field.type === 'boolean') {
      input[field.apiName] = raw === 'true';
    } else {
      input[field.apiName] = raw;
    }
  }
  return input;
}

export function validateDraft(draft: FormDraft, fields: readonly FieldDefinition[]) {
  const input = toCaseInput(draft, fields);
  const result = validateCase(input, { fields, mode: 'create' });
  return result.ok ? { ok: true as const, input } : { ok: false as const, errors: result.errors };
}

/** A field error in the agent's language, naming the field by its label. */
export function fieldErrorText(
  t: Translate,
  error: FieldError,
  fields: readonly FieldDefinition[],
  language: Language,
): string {
  const field = fields.find((f) => f.apiName === error.api_name);
  const label = field ? labelOf(field, language) : error.api_name;
  if (error.code === 'MANDATORY_NOT_FOUND') return t('fieldRequired', { field: label });
  if (error.maximum_length !== undefined)
    return t('fieldTooLong', { field: label, max: error.maximum_length });
  if (error.expected_data_type === 'email') return t('fieldInvalidEmail', { field: label });
  return t('fieldInvalid', { field: label, message: error.message.replace(/^[A-Za-z0-9_.[\]]+: /, '') });
}

/** Counters show from this share of a field's limit (issue 16, item 1): far from it they are noise. */
export const COUNTER_FROM = 0.8;

export const nearLimit = (field: FieldDefinition, value: string, from = COUNTER_FROM): boolean =>
  field.maxLength !== undefined && characterCount(value) >= field.maxLength * from;

/** The quick form's fields and the rest ("More fields"), each in the form's order. */
export function splitQuick(shown: readonly FieldDefinition[]): {
  quick: FieldDefinition[];
  more: FieldDefinition[];
} {
  return { quick: shown.filter(isQuickField), more: shown.filter((f) => !isQuickField(f)) };
}

export function overLimit(field: FieldDefinition, value: string): number {
  return field.maxLength === undefined ? 0 : Math.max(0, characterCount(value) - field.maxLength);
}

/** Split a display name into the contact's first and last name; the address stands in for a missing name. */
export function contactNameParts(name: string, email: string): { First_Name?: string; Last_Name: string } {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return { Last_Name: email.split('@')[0] || email };
  if (parts.length === 1) return { Last_Name: parts[0] };
  return { First_Name: parts.slice(0, -1).join(' '), Last_Name: parts[parts.length - 1] };
}
