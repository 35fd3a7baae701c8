/**
 * CSV for spreadsheets: UTF-8 with a byte-order mark (Excel otherwise reads Polish and Chinese as ANSI), CRLF rows,
 * RFC 4180 quoting, and a leading ' on any cell a spreadsheet would run as a formula (= + - @ tab CR: OWASP's list).
 */

export type Cell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: Cell): string {
  if (value === null) return '';
  // Numbers are ours (counts, seconds), never formulas, so a negative trend value keeps its sign.
  if (typeof value === 'number') return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

interface Section {
  data: readonly object[];
  info: { scope: string };
}

/** A lookup ({id, name}) becomes two columns, <key>_id and <key>_name. */
const LOOKUP_KEYS = new Set(['owner']);

function headerOf(rows: readonly object[]): string[] {
  const first = rows[0] as Record<string, unknown> | undefined;
  if (!first) return [];
  return Object.keys(first).flatMap((k) => (LOOKUP_KEYS.has(k) ? [`${k}_id`, `${k}_name`] : [k]));
}

function cellsOf(row: object): Cell[] {
  return Object.entries(row).flatMap(([k, v]): Cell[] => {
    if (LOOKUP_KEYS.has(k)) {
      const ref = v as { id: string; name: string } | null;
      return [ref?.id ?? null, ref?.name ?? null];
    }
    return [typeof v === 'number' || typeof v === 'string' ? v : v === null ? null : String(v)];
  });
}

/** A report as CSV: a scope column (own, team, all) and the rows' fields; agents' team totals follow their own rows. */
export function reportCsv(report: Section & { team_totals?: Section }, columns: readonly string[]): string {
  const sections = [report, ...(report.team_totals ? [report.team_totals] : [])];
  const all = sections.flatMap((s) => s.data);
  const header = all.length ? headerOf(all) : [...columns];
  const rows = sections.flatMap((s) => s.data.map((row) => [s.info.scope, ...cellsOf(row)]));
  return toCsv(['scope', ...header], rows);
}
