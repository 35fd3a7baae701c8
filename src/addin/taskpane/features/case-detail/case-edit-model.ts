/** The case detail's editable part without React: which fields, what changed, validation against the shared model. */
import type { CaseInput, CaseRecord } from '../../../../shared/api-types';
import { FieldDefinition, fieldByApiName } from '../../../../shared/case-fields';
import { FieldError, validateCase } from '../../../../shared/validation';
import type { CaseDraft, DraftLookup } from '../../../storage/drafts';

/** Fields the agent works on from the pane, in this order (Owner is a lookup, the rest picklists and texts). */
export const DETAIL_FIELDS = [
  'Status',
  'Priority',
  'Owner',
  'Type',
  'Case_Reason',
  'Internal_Comments',
  'Solution',
  'Add_Comment',
] as const;
export type DetailField = (typeof DETAIL_FIELDS)[number];

/** What the agent changed and has not saved: only edited fields, on top of the stored case. */
export interface CaseEdits {
  values: Record<string, string>;
  owner?: DraftLookup | null;
}

export const NO_EDITS: CaseEdits = { values: {} };

/** The detail fields the organisation's layout shows; `editable` false when the layout makes them read-only. */
export function detailFields(
  fields: readonly FieldDefinition[],
): { field: FieldDefinition; editable: boolean }[] {
  return DETAIL_FIELDS.map((name) => fieldByApiName(fields, name))
    .filter((f): f is FieldDefinition => f !== undefined && !f.hidden)
    .map((field) => ({ field, editable: !field.readOnly }));
}

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** The stored case's values of the detail fields, as the form shows them. */
export function storedValues(record: CaseRecord): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of DETAIL_FIELDS) if (name !== 'Owner') values[name] = text(record[name]);
  return values;
}

export function shownValues(record: CaseRecord, edits: CaseEdits): Record<string, string> {
  return { ...storedValues(record), ...edits.values };
}

export function shownOwner(record: CaseRecord, edits: CaseEdits): DraftLookup | null {
  if (edits.owner !== undefined) return edits.owner;
  return record.Owner ? { id: record.Owner.id, name: record.Owner.name } : null;
}

/** The fields whose shown value differs from the stored case, as the update body (cleared text is sent as null). */
export function changesOf(record: CaseRecord, edits: CaseEdits): CaseInput {
  const stored = storedValues(record);
  const changes: CaseInput = {};
  for (const [name, value] of Object.entries(edits.values)) {
    if ((stored[name] ?? '') !== value) changes[name] = value === '' ? null : value;
  }
  if (edits.owner !== undefined && (edits.owner?.id ?? null) !== (record.Owner?.id ?? null)) {
    changes.Owner = edits.owner ? { id: edits.owner.id } : null;
  }
  return changes;
}

export function validateChanges(
  record: CaseRecord,
  changes: CaseInput,
  fields: readonly FieldDefinition[],
): FieldError[] {
  const result = validateCase(changes, {
    fields,
    mode: 'update',
    existing: {
      ...storedValues(record),
      Case_Origin: record.Case_Origin,
      Email: record.Email,
      Subject: record.Subject,
    },
  });
  return result.ok ? [] : result.errors;
}

/**
 * After a reload that followed a conflict: the fields the agent edited that someone else also changed, with the
 * value they have now, so nothing the other agent did is overwritten without the agent seeing it.
 */
export function overlappingChanges(
  before: CaseRecord,
  after: CaseRecord,
  edits: CaseEdits,
): { apiName: string; now: string }[] {
  const a = storedValues(before);
  const b = storedValues(after);
  const overlap = Object.keys(edits.values)
    .filter((name) => a[name] !== b[name])
    .map((apiName) => ({ apiName, now: b[apiName] }));
  if (edits.owner !== undefined && (before.Owner?.id ?? null) !== (after.Owner?.id ?? null)) {
    overlap.push({ apiName: 'Owner', now: after.Owner?.name ?? '' });
  }
  return overlap;
}

/** Edits as a stored draft (the draft store's shape: values, lookups). */
export function editsToDraft(edits: CaseEdits): Omit<CaseDraft, 'savedAt'> {
  return {
    values: edits.values,
    lookups: edits.owner !== undefined ? { Owner: edits.owner } : {},
    descriptionTruncated: false,
    unsent: false,
  };
}

export function draftToEdits(draft: CaseDraft | null): CaseEdits | null {
  if (!draft) return null;
  const allowed = new Set<string>(DETAIL_FIELDS);
  const values = Object.fromEntries(Object.entries(draft.values).filter(([k]) => allowed.has(k)));
  const edits: CaseEdits = { values };
  if ('Owner' in draft.lookups) edits.owner = draft.lookups.Owner ?? null;
  return Object.keys(values).length || edits.owner !== undefined ? edits : null;
}
