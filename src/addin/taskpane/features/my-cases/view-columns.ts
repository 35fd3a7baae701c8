import { type FieldDefinition, fieldByApiName } from '../../../../shared/case-fields';
import type { CustomView } from '../../../../shared/view-types';

/** What every queue row shows already: its number and subject, status, priority and age. */
export const ROW_FIELDS = ['Case_Number', 'Subject', 'Status', 'Priority', 'Created_Time'];
const ROW_COLUMNS = new Set(['id', ...ROW_FIELDS]);

/**
 * The columns a saved view adds to its rows, in the view's order: the fields it lists beyond what every row shows.
 * Built-in views keep the row as designed (their columns are Zoho's defaults). Names the layout no longer has
 * (a removed custom field) and system columns without a layout field are left out rather than shown as codes.
 */
export function viewColumns(
  view: CustomView | undefined,
  fields: readonly FieldDefinition[],
): FieldDefinition[] {
  if (!view || view.system_defined) return [];
  return view.fields.flatMap(({ api_name }) => {
    const field = ROW_COLUMNS.has(api_name) ? undefined : fieldByApiName(fields, api_name);
    return field ? [field] : [];
  });
}

/** The fields an agent can add to a view's rows, in the layout's order. */
export function columnChoices(fields: readonly FieldDefinition[]): FieldDefinition[] {
  return fields.filter((f) => !ROW_COLUMNS.has(f.apiName));
}
