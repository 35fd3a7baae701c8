import fs from 'node:fs';
import { TextDecoder } from 'node:util';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { firstInvalidUtf8 } from '../http/utf8';
import type { Cell } from './mapping';
import { type ImportClock, ImportFileError, type ImportLimits, limitError } from './limits';
import { xlsxRows } from './xlsx';

export { ImportFileError };

export type FileKind = 'csv' | 'xlsx';

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
        // Up to three leading continuation bytes may finish a character the previous chunk began.
        let carried = 0;
        while (carried < 3 && (chunk[carried] & 0xc0) === 0x80) carried++;
        const bad = carried + firstInvalidUtf8(chunk.subarray(carried));
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

/** A CSV reader's own refusals, in words that name the cap (csv-parse's codes are stable; its messages are not). */
function csvError(error: unknown, limits: ImportLimits): ImportFileError {
  if (error instanceof ImportFileError) return error;
  const { code, message } = error as { code?: string; message: string };
  if (code === 'CSV_MAX_RECORD_SIZE')
    return limitError('maxRecordBytes', limits.maxRecordBytes / 1024, 'a CSV record is too long', ' KiB');
  return new ImportFileError(`the CSV could not be read: ${message}`);
}

/**
 * Rows of the first sheet with their line (CSV) or row (XLSX) number, header first, read as a stream so memory
 * stays flat whatever the file size; every stage runs under the import's caps and its clock.
 */
export async function* readRows(
  file: string,
  kind: FileKind,
  limits: ImportLimits,
  clock: ImportClock,
): AsyncGenerator<{ cells: Cell[]; line: number }> {
  if (kind === 'xlsx') {
    yield* xlsxRows(file, limits, clock);
    return;
  }
  const parser = fs.createReadStream(file).pipe(
    parse({
      bom: true,
      delimiter: delimiterOf(await firstLineOf(file)),
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: limits.maxRecordBytes,
      info: true,
    }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      clock.check();
      yield { cells: record, line: info.lines };
    }
  } catch (error) {
    throw csvError(error, limits);
  } finally {
    parser.destroy();
  }
}

const isEmptyRow = (cells: Cell[]) => cells.every((c) => c === null || c === '');

/**
 * An upper bound on the CSV's records and the length of its longest record in bytes, from one pass over the
 * bytes (tens of milliseconds for 30 MiB): a line break inside double quotes does not end a record, and a
 * doubled quote toggles twice. Empty lines count as records, so the bound never falls short of csv-parse's count
 * for a well-formed file (a malformed one fails in csv-parse, and the row loop keeps its own count).
 */
async function scanCsv(file: string): Promise<{ records: number; longest: number }> {
  let records = 0;
  let longest = 0;
  let length = 0;
  let quoted = false;
  for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === 0x22) quoted = !quoted;
      else if (byte === 0x0a && !quoted) {
        records++;
        if (length > longest) longest = length;
        length = 0;
        continue;
      }
      length++;
    }
  }
  return { records: records + (length > 0 ? 1 : 0), longest: Math.max(longest, length) };
}

const tooManyRows = (limits: ImportLimits) =>
  limitError('maxRows', limits.maxRows, 'the file has more rows than one import may hold', ' rows');

/**
 * Refuse a file over the row or record caps before a row of it is written, so a refused file leaves nothing
 * behind. A CSV whose records (bounded from its bytes) are few and short enough needs no second look; otherwise its rows are counted
 * (stopping at the first one over the cap). An XLSX is read once through: every error in it surfaces here.
 */
export async function checkFile(
  file: string,
  kind: FileKind,
  limits: ImportLimits,
  clock: ImportClock,
): Promise<void> {
  if (kind === 'csv') {
    const { records, longest } = await scanCsv(file);
    if (longest > limits.maxRecordBytes) throw csvError({ code: 'CSV_MAX_RECORD_SIZE', message: '' }, limits);
    if (records <= limits.maxRows + 1) return; // the header is a record too
  }
  let rows = -1; // the header is not a data row
  for await (const { cells } of readRows(file, kind, limits, clock)) {
    if (rows >= 0 && isEmptyRow(cells)) continue;
    if (++rows > limits.maxRows) throw tooManyRows(limits);
  }
}

export { isEmptyRow, tooManyRows };
