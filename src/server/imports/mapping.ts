import type { FieldDefinition } from '../../shared/case-fields';

/** A spreadsheet cell as the readers hand it over. */
export type Cell = string | number | boolean | Date | null;

const normalize = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-.:*]+/g, '');

/**
 * Match columns to fields by API name or by label in any of the three languages ("Temat", "主题", "Subject").
 * An explicit mapping {column header: api_name} wins; read-only fields (Case Number) are never written.
 */
export function mapColumns(
  headers: string[],
  fields: readonly FieldDefinition[],
  explicit: Record<string, string | null> = {},
): { columns: Map<number, FieldDefinition>; unmapped: string[] } {
  const byName = new Map<string, FieldDefinition>();
  for (const field of fields) {
    if (field.readOnly) continue;
    for (const name of [field.apiName, field.label.en, field.label.pl, field.label['zh-CN']])
      byName.set(normalize(name), field);
  }
  const columns = new Map<number, FieldDefinition>();
  const unmapped: string[] = [];
  headers.forEach((header, index) => {
    // Own keys only: a column headed "constructor" or "toString" must not find Object's members.
    const chosen = Object.hasOwn(explicit, header) ? explicit[header] : undefined;
    const field =
      chosen === null
        ? undefined
        : chosen !== undefined
          ? fields.find((f) => f.apiName === chosen && !f.readOnly)
          : byName.get(normalize(header));
    if (field && ![...columns.values()].includes(field)) columns.set(index, field);
    else unmapped.push(header);
  });
  return { columns, unmapped };
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

const TRUE = ['true', 'yes', '1', 'tak', '是', 'y'];
const FALSE = ['false', 'no', '0', 'nie', '否', 'n'];

/** Turn a cell into what validateCase() expects for the field; undefined for an empty cell. */
export function cellValue(cell: Cell, field: FieldDefinition): unknown {
  if (cell === null || cell === '') return undefined;
  switch (field.type) {
    case 'number': {
      if (typeof cell === 'number') return cell;
      const n = Number(String(cell).trim().replace(/\s/g, '').replace(',', '.'));
      return Number.isFinite(n) ? n : String(cell);
    }
    case 'boolean': {
      if (typeof cell === 'boolean') return cell;
      const s = String(cell).trim().toLowerCase();
      return TRUE.includes(s) ? true : FALSE.includes(s) ? false : String(cell);
    }
    case 'date':
      return cell instanceof Date ? isoDate(cell) : String(cell).trim();
    case 'lookup':
      return typeof cell === 'number' ? String(cell) : String(cell).trim();
    default:
      // Dates in text columns keep their calendar day; numbers keep their digits; formulas stay text.
      if (cell instanceof Date) return isoDate(cell);
      return String(cell);
  }
}

/** A value written into a CSV that spreadsheets will open: never let a cell start a formula (CSV injection). */
export function csvCell(value: string | number): string {
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
