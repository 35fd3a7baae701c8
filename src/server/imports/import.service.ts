import fs from 'node:fs';
import crypto from 'node:crypto';
import type { CaseValues } from '../../shared/validation';
import { isValidEmail, validateCase } from '../../shared/validation';
import type { Storage } from '../db/database';
import { nowIso } from '../db/executor';
import { apiError } from '../http/errors';
import { findUserIdByEmail } from '../users/user.repository';
import { insertValidatedMany, lookupErrors, type ServiceContext } from '../cases/case.service';
import { type Cell, cellValue, csvCell, mapColumns } from './mapping';
import { type FileKind, ImportFileError, readRows } from './readers';

export interface ImportProblem {
  row: number;
  field: string;
  error: string;
}

export interface ImportSummary {
  import_key: string;
  file_name: string;
  status: 'running' | 'finished' | 'failed';
  total_rows: number;
  created_rows: number;
  skipped_rows: number;
  failed_rows: number;
  unmapped_columns?: string[];
  mapping?: Record<string, string>;
  report_truncated?: boolean;
}

/** Rows per transaction when the import runs inside the server: short enough not to hold up its other writes. */
const SERVER_BATCH = 500;
const MAX_REPORT = 10_000;

export interface ImportJob {
  key?: string;
  fileName: string;
  file: string;
  kind: FileKind;
  mapping?: Record<string, string | null>;
  defaults?: Record<string, unknown>;
  /** Rows per transaction; the CLI, with no requests to serve, takes larger ones (measured +7 %). */
  batchRows?: number;
}

export async function fileDigest(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Import cases from a spooled CSV/XLSX file. Every row goes through validateCase(); valid rows land in batches,
 * invalid ones are reported (row, field, error). Rows already imported under the same key are skipped, so
 * re-running a file creates nothing twice. Progress is written to the imports row after every batch.
 */
export async function runImport(
  storage: Storage,
  ctx: ServiceContext,
  job: ImportJob,
  onProgress?: (s: ImportSummary) => void,
): Promise<ImportSummary> {
  const { db } = storage;
  const key = job.key ?? `sha256:${await fileDigest(job.file)}`;
  if (!/^[\w:.-]{1,100}$/.test(key))
    throw apiError(400, 'INVALID_DATA', 'import_key: 1 to 100 letters, digits, _ : . -', {
      api_name: 'import_key',
    });
  const rows = readRows(job.file, job.kind);
  const first = await rows.next().catch((e) => {
    throw e instanceof ImportFileError ? apiError(400, 'INVALID_DATA', e.message, { api_name: 'file' }) : e;
  });
  if (first.done) throw apiError(400, 'INVALID_DATA', 'the file has no header row', { api_name: 'file' });
  const headers = first.value.cells.map((h) => String(h ?? '').trim());
  const { columns, unmapped } = mapColumns(headers, ctx.fields, job.mapping);
  const mappedNames = new Set([...columns.values()].map((f) => f.apiName));
  const defaults = job.defaults ?? {};
  for (const field of ctx.fields)
    if (
      field.mandatory &&
      !field.defaultValue &&
      !mappedNames.has(field.apiName) &&
      defaults[field.apiName] === undefined
    )
      throw apiError(
        400,
        'MANDATORY_NOT_FOUND',
        `no column is mapped to ${field.apiName} and no default is given`,
        { api_name: field.apiName, unmapped_columns: unmapped },
      );

  const now = nowIso();
  const existing = await db
    .selectFrom('imports')
    .selectAll()
    .where('import_key', '=', key)
    .executeTakeFirst();
  if (existing?.status === 'running' && Date.now() - Date.parse(existing.created_time) < 10 * 60_000)
    throw apiError(409, 'CONFLICT', 'an import with this key is running; wait for it to finish', {
      import_key: key,
    });
  if (existing)
    await db
      .updateTable('imports')
      .set({ status: 'running', created_time: now, file_name: job.fileName })
      .where('import_key', '=', key)
      .execute();
  else
    await db
      .insertInto('imports')
      .values({
        import_key: key,
        file_name: job.fileName,
        status: 'running',
        report: '[]',
        total_rows: 0,
        created_rows: 0,
        skipped_rows: 0,
        failed_rows: 0,
        created_by_id: ctx.user.id,
        created_time: now,
      })
      .execute();

  const summary: ImportSummary = {
    import_key: key,
    file_name: job.fileName,
    status: 'running',
    total_rows: 0,
    created_rows: 0,
    skipped_rows: 0,
    failed_rows: 0,
    unmapped_columns: unmapped,
    mapping: Object.fromEntries([...columns].map(([i, f]) => [headers[i], f.apiName])),
  };
  const problems: ImportProblem[] = [];
  const problem = (row: number, field: string, error: string) => {
    if (problems.length < MAX_REPORT) problems.push({ row, field, error });
  };
  const owners = new Map<string, string | undefined>();
  let batch: { row: number; values: CaseValues }[] = [];

  const flush = async () => {
    const items = batch;
    batch = [];
    await storage.write(async (trx) => {
      const done = new Set(
        (
          await trx
            .selectFrom('import_rows')
            .select('row_number')
            .where('import_key', '=', key)
            .where(
              'row_number',
              'in',
              items.map((i) => i.row),
            )
            .execute()
        ).map((r) => r.row_number),
      );
      const fresh: typeof items = [];
      for (const item of items) {
        if (done.has(item.row)) {
          summary.skipped_rows++;
          continue;
        }
        const lookups = await lookupErrors(trx, item.values, ctx.fields);
        if (lookups.length) {
          summary.failed_rows++;
          lookups.forEach((e) => problem(item.row, e.api_name, e.message));
        } else fresh.push(item);
      }
      const inserted = await insertValidatedMany(
        trx,
        ctx,
        fresh.map((i) => i.values),
        nowIso(),
        'imported',
      );
      // The row claims commit with the cases: a re-run of the file skips exactly the rows that landed.
      if (inserted.length)
        await trx
          .insertInto('import_rows')
          .values(
            inserted.map((c, index) => ({ import_key: key, row_number: fresh[index].row, case_id: c.id })),
          )
          .execute();
      summary.created_rows += inserted.length;
      await trx
        .updateTable('imports')
        .set({
          total_rows: summary.total_rows,
          created_rows: summary.created_rows,
          skipped_rows: summary.skipped_rows,
          failed_rows: summary.failed_rows,
        })
        .where('import_key', '=', key)
        .execute();
    });
    onProgress?.({ ...summary });
  };

  try {
    // Rows are numbered as the file shows them (CSV line, sheet row), so the report points at the right place.
    for await (const { cells, line: rowNumber } of rows) {
      if (cells.every((c: Cell) => c === null || c === '')) continue;
      summary.total_rows++;
      const values: Record<string, unknown> = { ...defaults };
      for (const [index, field] of columns) {
        const value = cellValue(cells[index] ?? null, field);
        if (value !== undefined) values[field.apiName] = value;
      }
      // Owners may be given by email address in a sheet; the API itself takes ids.
      if (typeof values.Owner === 'string' && isValidEmail(values.Owner)) {
        const email = values.Owner.toLowerCase();
        if (!owners.has(email)) owners.set(email, await findUserIdByEmail(db, email));
        const id = owners.get(email);
        if (id) values.Owner = id;
      }
      const result = validateCase(values, { fields: ctx.fields, mode: 'create' });
      if (!result.ok) {
        summary.failed_rows++;
        result.errors.forEach((e) => problem(rowNumber, e.api_name, e.message));
        continue;
      }
      batch.push({ row: rowNumber, values: result.values });
      if (batch.length >= (job.batchRows ?? SERVER_BATCH)) await flush();
    }
    if (batch.length) await flush();
    summary.status = 'finished';
  } catch (error) {
    summary.status = 'failed';
    problem(
      0,
      'file',
      error instanceof ImportFileError ? error.message : 'the import stopped on an unexpected error',
    );
    await db
      .updateTable('imports')
      .set({ status: 'failed', report: JSON.stringify(problems), finished_time: nowIso() })
      .where('import_key', '=', key)
      .execute();
    if (error instanceof ImportFileError)
      throw apiError(
        400,
        'INVALID_DATA',
        `${error.message} (rows before it: ${summary.created_rows} imported)`,
        { api_name: 'file', import_key: key },
      );
    throw error;
  }
  summary.report_truncated = problems.length >= MAX_REPORT;
  await db
    .updateTable('imports')
    .set({
      status: 'finished',
      total_rows: summary.total_rows,
      created_rows: summary.created_rows,
      skipped_rows: summary.skipped_rows,
      failed_rows: summary.failed_rows,
      report: JSON.stringify(problems),
      finished_time: nowIso(),
    })
    .where('import_key', '=', key)
    .execute();
  return summary;
}

export async function importStatus(
  storage: Storage,
  key: string,
): Promise<ImportSummary & { report: ImportProblem[] }> {
  const row = await storage.db
    .selectFrom('imports')
    .selectAll()
    .where('import_key', '=', key)
    .executeTakeFirst();
  if (!row)
    throw apiError(404, 'INVALID_DATA', `no import with key ${key.slice(0, 100)}`, {
      import_key: key.slice(0, 100),
    });
  return {
    import_key: row.import_key,
    file_name: row.file_name,
    status: row.status as ImportSummary['status'],
    total_rows: row.total_rows,
    created_rows: row.created_rows,
    skipped_rows: row.skipped_rows,
    failed_rows: row.failed_rows,
    report: JSON.parse(row.report) as ImportProblem[],
  };
}

/** The row-level report as CSV: row, field, error — safe to open in a spreadsheet. */
export function reportCsv(problems: ImportProblem[]): string {
  return (
    ['row,field,error', ...problems.map((p) => [p.row, p.field, p.error].map(csvCell).join(','))].join(
      '\r\n',
    ) + '\r\n'
  );
}
