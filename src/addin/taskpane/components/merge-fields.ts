import type { CaseRecord } from '../../../shared/api-types';

/** The merge fields a template may use, as the server fills them. */
export const MERGE_FIELDS = ['Case_Number', 'Subject', 'Contact_Name', 'Owner_Name', 'Status'] as const;

/** Merge fields as the server fills them ({{Case_Number}}, {{Subject}}, {{Contact_Name}}, {{Owner_Name}}, {{Status}}). */
export function renderTemplate(text: string, record: CaseRecord): string {
  // A Map, so the preview leaves {{constructor}} as written, like the server does.
  const values = new Map<string, string>([
    ['Case_Number', record.Case_Number],
    ['Subject', record.Subject],
    ['Status', record.Status],
    ['Contact_Name', record.Related_To?.name ?? record.Reported_By ?? ''],
    ['Owner_Name', record.Owner?.name ?? ''],
  ]);
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => values.get(name) ?? whole);
}
