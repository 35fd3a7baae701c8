import fs from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import type { Cell } from './mapping';

export type FileKind = 'csv' | 'xlsx';

export class ImportFileError extends Error {}

export function kindOf(fileName: string): FileKind {
  const ext = fileName.toLowerCase().split('.').pop();
  if (ext === 'csv' || ext === 'txt' || ext === 'tsv') return 'csv';
  if (ext === 'xlsx') return 'xlsx';
  if (ext === 'xls')
    throw new ImportFileError('legacy .xls files are not supported: save the sheet as .xlsx or CSV (UTF-8)');
  throw new ImportFileError('import a .csv or .xlsx file');
}

/**
 * Copy the upload to a temp file before anything is written, so a wrong encoding or an oversize file is refused
 * whole. CSV is checked to be UTF-8 (a UTF-16 file with a byte-order mark is converted), with the line of the first bad byte.
 */
export async function spool(
  source: Readable,
  target: string,
  kind: FileKind,
  maxBytes: number,
): Promise<number> {
  let size = 0;
  let decoder: TextDecoder | undefined;
  let first = true;
  let line = 1;
  const check = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > maxBytes)
        return callback(new ImportFileError(`the file is larger than ${maxBytes / 1024 / 1024} MiB`));
      if (kind === 'xlsx') return callback(null, chunk);
      if (first) {
        first = false;
        const utf16 =
          chunk[0] === 0xff && chunk[1] === 0xfe
            ? 'utf-16le'
            : chunk[0] === 0xfe && chunk[1] === 0xff
              ? 'utf-16be'
              : undefined;
        decoder = new TextDecoder(utf16 ?? 'utf-8', { fatal: true });
      }
      try {
        const text = decoder!.decode(chunk, { stream: true });
        for (const c of text) if (c === '\n') line++;
        callback(null, Buffer.from(text, 'utf8'));
      } catch {
        const bad = firstInvalidUtf8(chunk);
        for (let i = 0; i < bad; i++) if (chunk[i] === 0x0a) line++;
        callback(
          new ImportFileError(
            `the file is not UTF-8 text (first bad byte on line ${line}); save it as "CSV UTF-8"`,
          ),
        );
      }
    },
    flush(callback) {
      try {
        decoder?.decode();
        callback();
      } catch {
        callback(new ImportFileError('the file ends in the middle of a UTF-8 character'));
      }
    },
  });
  await pipeline(source, check, fs.createWriteStream(target));
  return size;
}

/** Offset of the first byte that breaks UTF-8 (a sequence cut at the chunk's end counts as valid). */
function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const extra =
      b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (extra < 0) return i;
    for (let k = 1; k <= extra; k++) if (i + k < bytes.length && (bytes[i + k] & 0xc0) !== 0x80) return i;
    i += extra + 1;
  }
  return bytes.length;
}

function delimiterOf(firstLine: string): string {
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const);
  return counts.reduce((best, c) => (c[1] > best[1] ? c : best))[0];
}

async function firstLineOf(file: string): Promise<string> {
  const stream = fs.createReadStream(file, { encoding: 'utf8', end: 64 * 1024 });
  let text = '';
  for await (const chunk of stream) text += chunk;
  return text.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
}

/**
 * Rows of the first sheet with their line (CSV) or row (XLSX) number, header first, read as a stream so memory
 * stays flat whatever the file size.
 */
export async function* readRows(
  file: string,
  kind: FileKind,
): AsyncGenerator<{ cells: Cell[]; line: number }> {
  if (kind === 'csv') {
    const parser = fs.createReadStream(file).pipe(
      parse({
        bom: true,
        delimiter: delimiterOf(await firstLineOf(file)),
        relax_column_count: true,
        skip_empty_lines: true,
        max_record_size: 256 * 1024,
        info: true,
      }),
    );
    try {
      for await (const { record, info } of parser as AsyncIterable<{
        record: string[];
        info: { lines: number };
      }>)
        yield { cells: record, line: info.lines };
    } catch (error) {
      throw new ImportFileError(`the CSV could not be read: ${(error as Error).message}`);
    }
    return;
  }
  // Loaded on first use: ExcelJS takes 0.2 s to load, which every server start and CSV import paid for nothing.
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(fs.createReadStream(file), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = (row.values as unknown[]).slice(1);
        yield { cells: values.map(xlsxCell), line: row.number };
      }
      break; // first sheet only
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError(`the XLSX file could not be read: ${(error as Error).message}`);
  }
}

/** Formula cells keep their formula as text (never evaluated); rich text and hyperlinks keep their text. */
function xlsxCell(value: unknown): Cell {
  if (value === undefined || value === null) return null;
  if (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    value instanceof Date
  )
    return value;
  const v = value as {
    formula?: string;
    sharedFormula?: string;
    richText?: { text: string }[];
    text?: string;
    error?: string;
  };
  if (v.formula !== undefined || v.sharedFormula !== undefined) return `=${v.formula ?? v.sharedFormula}`;
  if (v.richText) return v.richText.map((r) => r.text).join('');
  if (v.text !== undefined) return String(v.text);
  if (v.error !== undefined) return v.error;
  return String(value);
}
