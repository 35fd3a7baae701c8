import type { SaxesParser } from 'saxes';
import type { Cell } from './mapping';
import { type ImportClock, type ImportLimits, limitError } from './limits';
import { StringTable } from './string-table';
import {
  attribute,
  MAX_METADATA_BYTES,
  metadataTooLarge,
  ofType,
  Package,
  parsePart,
  relationships,
  unreadable,
  xmlParser,
} from './ooxml-package';

/**
 * The first sheet of an XLSX file, row by row, under caps — written for hostile files.
 *
 * Why not ExcelJS's streaming reader (which this replaced): it reads the zip front to back, so a file whose
 * sheets come before the workbook's relationships made it spool every sheet, unpacked, to the system temp
 * folder (gigabytes, files left behind); and it keeps every shared string in memory with no limit (a 5 MB
 * file unpacked to 2 GB of strings and killed the process). Here the package layer (ooxml-package.ts) reads
 * parts in any order, under caps, without spooling; the one part held in memory, the shared strings, is
 * capped on its own (IMPORT_MAX_SHARED_STRINGS_MB) and every cell on its length.
 */

export interface SheetRow {
  cells: Cell[];
  line: number;
}

/** Excel's last column, XFD. */
const MAX_COLUMNS = 16_384;

/** Date formats Excel has built in (ECMA-376 part 1, 18.8.30 numFmt, and the East Asian ids 27–36, 50–58). */
const BUILTIN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54,
  55, 56, 57, 58,
]);

interface Workbook {
  sheet: string;
  date1904: boolean;
  sharedStrings?: string;
  styles?: string;
}

/** Where the first visible sheet is (the tab an agent sees first), and the parts it needs. */
async function workbookOf(pkg: Package, clock: ImportClock): Promise<Workbook> {
  const workbookPart = ofType(await relationships(pkg, '', clock), 'officeDocument') ?? 'xl/workbook.xml';
  if (!pkg.has(workbookPart)) throw unreadable('it has no workbook (is it an Excel file?)');
  const rels = await relationships(pkg, workbookPart, clock);
  const sheets: { id: string; hidden: boolean }[] = [];
  let date1904 = false;
  await parsePart(pkg, workbookPart, MAX_METADATA_BYTES, metadataTooLarge(workbookPart), clock, {
    open(name, tag) {
      if (name === 'workbookPr') date1904 = ['1', 'true'].includes(attribute(tag, 'date1904') ?? '');
      if (name !== 'sheet') return;
      const id = Object.entries(tag.attributes).find(([n]) => n.endsWith(':id'))?.[1];
      if (id) sheets.push({ id, hidden: (tag.attributes.state ?? 'visible') !== 'visible' });
    },
  });
  const first = sheets.find((s) => !s.hidden) ?? sheets[0];
  const sheet = first && rels.get(first.id)?.target;
  if (!sheet || !pkg.has(sheet)) throw unreadable('the workbook has no sheet');
  return { sheet, date1904, sharedStrings: ofType(rels, 'sharedStrings'), styles: ofType(rels, 'styles') };
}

/** A custom number format shows a date when, outside quoted text, escapes and [colour] codes, it has d/m/y/h/s. */
function isDateFormatCode(code: string): boolean {
  const section = code.split(';')[0];
  const bare = section
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/General/gi, '');
  return /[dmyhs]/i.test(bare);
}

/** The cell styles (indexes into cellXfs) whose number format is a date. */
async function dateStylesOf(
  pkg: Package,
  part: string | undefined,
  clock: ImportClock,
): Promise<Set<number>> {
  const dates = new Set<number>();
  if (!part || !pkg.has(part)) return dates;
  const customDateFormats = new Set<number>();
  let inCellXfs = false;
  let index = 0;
  await parsePart(pkg, part, MAX_METADATA_BYTES, metadataTooLarge(part), clock, {
    open(name, tag) {
      if (name === 'numFmt' && isDateFormatCode(tag.attributes.formatCode ?? ''))
        customDateFormats.add(Number(tag.attributes.numFmtId));
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) {
        const format = Number(tag.attributes.numFmtId ?? 0);
        if (BUILTIN_DATE_FORMATS.has(format) || customDateFormats.has(format)) dates.add(index);
        index++;
      }
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return dates;
}

/**
 * The shared-strings table: the one part a sheet reader must hold, so its unpacked size is capped
 * (IMPORT_MAX_SHARED_STRINGS_MB) before a byte is unpacked, and each string's length while it is read.
 * Rich-text runs are joined; phonetic guides (rPh) are not part of the text.
 */
async function sharedStringsOf(
  pkg: Package,
  part: string | undefined,
  limits: ImportLimits,
  clock: ImportClock,
): Promise<StringTable> {
  const strings = new StringTable();
  if (!part || !pkg.has(part)) return strings;
  let current = '';
  let inText = false;
  let phonetic = 0;
  await parsePart(
    pkg,
    part,
    limits.maxSharedStringsBytes,
    () =>
      limitError(
        'maxSharedStringsBytes',
        limits.maxSharedStringsBytes / 1024 / 1024,
        "the sheet's shared strings unpack to too much text",
        ' MiB',
      ),
    clock,
    {
      open(name) {
        if (name === 'si') current = '';
        else if (name === 'rPh') phonetic++;
        else if (name === 't' && !phonetic) inText = true;
      },
      close(name) {
        if (name === 'si') strings.push(current);
        else if (name === 'rPh') phonetic--;
        else if (name === 't') inText = false;
      },
      text(text) {
        if (!inText) return;
        current += text;
        if (current.length > limits.maxCellChars)
          throw limitError('maxCellChars', limits.maxCellChars, 'a shared string is too long', ' characters');
      },
    },
  );
  return strings;
}

/** ExcelJS's conversion (so dates read as they did before): serial days since 1899-12-30, UTC. */
function serialToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 24 * 3600 * 1000));
}

function columnIndex(reference: string | undefined, previous: number): number {
  const letters = reference ? /^[A-Za-z]+/.exec(reference)?.[0] : undefined;
  if (!letters) return previous + 1;
  let index = 0;
  for (const letter of letters.toUpperCase()) {
    index = index * 26 + letter.charCodeAt(0) - 64;
    if (index > MAX_COLUMNS) throw unreadable(`the cell ${letters.slice(0, 20)}… lies beyond column XFD`);
  }
  return index;
}

interface CellState {
  column: number;
  type: string;
  style: number;
  value: string;
  formula?: string;
  sharedFormula?: string;
}

interface SheetContext {
  strings: StringTable;
  dateStyles: Set<number>;
  date1904: boolean;
  /** Shared formulas by their `si`: dependents carry only the index, the master the text. */
  formulas: Map<string, string>;
}

/** A cell's value: formulas stay their text (never evaluated), shared strings resolved, dates by their style. */
function cellValueOf(cell: CellState, sheet: SheetContext): Cell {
  const formula =
    cell.formula || (cell.sharedFormula !== undefined ? sheet.formulas.get(cell.sharedFormula) : undefined);
  if (formula) return `=${formula}`;
  const { value } = cell;
  switch (cell.type) {
    case 's': {
      return sheet.strings.at(Number(value)) ?? null;
    }
    case 'inlineStr':
    case 'str':
    case 'e':
      return value;
    case 'b':
      return value === '1' || value.toLowerCase() === 'true';
    case 'd': {
      const date = new Date(value);
      return Number.isNaN(date.getTime()) ? value : date;
    }
    default: {
      if (value === '') return null;
      const n = Number(value);
      if (!Number.isFinite(n)) return value;
      return sheet.dateStyles.has(cell.style) ? serialToDate(n, sheet.date1904) : n;
    }
  }
}

/** The sheet's rows as SAX events arrive; the caller drains `rows` after every chunk. */
function sheetParser(part: string, sheet: SheetContext, limits: ImportLimits, rows: SheetRow[]): SaxesParser {
  let rowNumber = 0;
  let cells: Cell[] = [];
  let cell: CellState | undefined;
  let target: 'value' | 'formula' | undefined;
  let phonetic = 0;
  return xmlParser(part, {
    open(name, tag) {
      if (name === 'row') {
        const r = Number(tag.attributes.r);
        rowNumber = Number.isInteger(r) && r > 0 ? r : rowNumber + 1;
        cells = [];
      } else if (name === 'c') {
        const column = columnIndex(tag.attributes.r, cells.length);
        cell = { column, type: tag.attributes.t ?? 'n', style: Number(tag.attributes.s ?? 0), value: '' };
      } else if (!cell) return;
      else if (name === 'v') target = 'value';
      else if (name === 't' && !phonetic) target = 'value';
      else if (name === 'rPh') phonetic++;
      else if (name === 'f') {
        target = 'formula';
        cell.formula = '';
        if (tag.attributes.t === 'shared' && tag.attributes.si !== undefined)
          cell.sharedFormula = tag.attributes.si;
      }
    },
    close(name) {
      if (name === 'row') {
        rows.push({ cells, line: rowNumber });
        cells = [];
        cell = undefined;
      } else if (name === 'c' && cell) {
        if (cell.formula && cell.sharedFormula !== undefined)
          sheet.formulas.set(cell.sharedFormula, cell.formula);
        while (cells.length < cell.column - 1) cells.push(null);
        cells[cell.column - 1] = cellValueOf(cell, sheet);
        // A next cell without a reference follows this one (columnIndex counts from cells.length).
        cell = undefined;
      } else if (name === 'rPh') phonetic--;
      else if (name === 'v' || name === 't' || name === 'f') target = undefined;
    },
    text(text) {
      if (!cell || !target) return;
      if (target === 'formula') cell.formula += text;
      else cell.value += text;
      if (cell.value.length > limits.maxCellChars || (cell.formula?.length ?? 0) > limits.maxCellChars)
        throw limitError(
          'maxCellChars',
          limits.maxCellChars,
          `a cell in row ${rowNumber} is too long`,
          ' characters',
        );
    },
  });
}

/**
 * Rows of the first visible sheet, header first, each with its row number as Excel shows it. Memory holds the
 * shared strings (capped) and one chunk's rows; the sheet's unpacked size is capped (IMPORT_MAX_SHEET_MB).
 */
export async function* xlsxRows(
  file: string,
  limits: ImportLimits,
  clock: ImportClock,
): AsyncGenerator<SheetRow> {
  const pkg = await Package.open(file);
  try {
    const workbook = await workbookOf(pkg, clock);
    const sheet: SheetContext = {
      strings: await sharedStringsOf(pkg, workbook.sharedStrings, limits, clock),
      dateStyles: await dateStylesOf(pkg, workbook.styles, clock),
      date1904: workbook.date1904,
      formulas: new Map(),
    };
    const rows: SheetRow[] = [];
    const parser = sheetParser(workbook.sheet, sheet, limits, rows);
    const tooLarge = () =>
      limitError(
        'maxSheetBytes',
        limits.maxSheetBytes / 1024 / 1024,
        'the sheet unpacks to too much XML',
        ' MiB',
      );
    for await (const chunk of pkg.text(workbook.sheet, limits.maxSheetBytes, tooLarge, clock)) {
      parser.write(chunk);
      yield* rows.splice(0);
    }
    parser.close();
    yield* rows.splice(0);
  } finally {
    pkg.close();
  }
}
