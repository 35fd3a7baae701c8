import fs from 'node:fs';
import crypto from 'node:crypto';
import type { CaseValues } from '../../shared/validation';
import { isValidEmail, validateCase } from '../../shared/validation';
import type { FieldDefinition } from '../../shared/case-fields';
import type { Storage } from '../db/database';
import { nowIso } from '../db/executor';
import { apiError } from '../http/errors';
import { findUserIdByEmail } from '../users/user.repository';
import { insertValidatedMany, lookupErrors } from '../cases/case.service';
import type { ServiceContext } from '../http/context';
import * as repo from './import.repository';
import { ImportClock, ImportFileError, type ImportLimits } from './limits';
import { type Cell, cellValue, csvCell, mapColumns } from './mapping';
import { checkFile, type FileKind, isEmptyRow, readRows, tooManyRows } from './readers';

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
/** A running import beats this many times within its stale window (limits.staleAfterSeconds). */
const BEATS_PER_WINDOW = 6;

export interface ImportJob {
  key?: string;
  fileName: string;
  file: string;
  kind: FileKind;
  mapping?: Record<string, string | null>;
  defaults?: Record<string, unknown>;
  /** Rows per transaction; the CLI, with no requests to serve, takes larger ones (measured +7 %). */
  batchRows?: number;
  limits: ImportLimits;
}

export async function fileDigest(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * A file refused whole, as the API answers it: 400 naming `file`, with the cap that refused it; once rows have
 * landed, also how many and under which key (a re-run with it adds the rest). Any other error is passed on.
 */
export function fileError(error: unknown, progress?: { importKey: string; created: number }): unknown {
  if (!(error instanceof ImportFileError)) return error;
  const message = progress
    ? `${error.message} (rows before it: ${progress.created} imported)`
    : error.message;
  return apiError(400, 'INVALID_DATA', message, {
    api_name: 'file',
    ...(progress ? { import_key: progress.importKey } : {}),
    ...(error.limit ? { limit: error.limit.name, maximum: error.limit.max } : {}),
  });
}

type Rows = AsyncGenerator<{ cells: Cell[]; line: number }>;

/**
 * The header row, its columns matched to fields, and a refusal when a mandatory field has no column or default.
 * Read by a pass of its own, closed at once: an XLSX reader holds its shared strings while it is open.
 */
async function mappedColumns(ctx: ServiceContext, job: ImportJob, clock: ImportClock) {
  const rows = readRows(job.file, job.kind, job.limits, clock);
  const first = await rows
    .next()
    .catch((e) => {
      throw fileError(e);
    })
    .finally(() => rows.return(undefined));
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
  return { headers, columns, unmapped };
}

/** Take the key for this run: refused while another process is still working on it (its heartbeat is fresh). */
async function claimKey(storage: Storage, key: string, job: ImportJob, userId: string): Promise<void> {
  const existing = await repo.findImport(storage.db, key);
  const heartbeat = existing && Date.parse(existing.heartbeat_time ?? existing.created_time);
  if (
    existing?.status === 'running' &&
    Date.now() - (heartbeat as number) < job.limits.staleAfterSeconds * 1000
  )
    throw apiError(409, 'CONFLICT', 'an import with this key is running; wait for it to finish', {
      import_key: key,
    });
  await repo.startImport(
    storage.db,
    { key, fileName: job.fileName, userId, now: nowIso() },
    existing !== undefined,
  );
}

/**
 * Import cases from a spooled CSV/XLSX file. Every row goes through validateCase(); valid rows land in batches,
 * invalid ones are reported (row, field, error). Rows already imported under the same key are skipped, so
 * re-running a file creates nothing twice. Progress is written to the imports row after every batch. The
 * file runs under `job.limits`: a file over the row cap is refused before anything is written.
 */
export async function runImport(
  storage: Storage,
  ctx: ServiceContext,
  job: ImportJob,
  onProgress?: (s: ImportSummary) => void,
): Promise<ImportSummary> {
  const clock = new ImportClock(job.limits.maxSeconds);
  const key = job.key ?? `sha256:${await fileDigest(job.file)}`;
  if (!/^[\w:.-]{1,100}$/.test(key))
    throw apiError(400, 'INVALID_DATA', 'import_key: 1 to 100 letters, digits, _ : . -', {
      api_name: 'import_key',
    });
  const { headers, columns, unmapped } = await mappedColumns(ctx, job, clock);
  // One pass after another, never two open at once: each XLSX pass holds the shared strings (up to 64 MiB).
  await checkFile(job.file, job.kind, job.limits, clock).catch((e) => {
    throw fileError(e);
  });
  const rows = readRows(job.file, job.kind, job.limits, clock);
  try {
    await rows.next(); // the header, read above
    await claimKey(storage, key, job, ctx.user.id);
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
    const heartbeat = setInterval(
      () => void repo.beat(storage.db, key, nowIso()).catch(() => {}),
      (job.limits.staleAfterSeconds * 1000) / BEATS_PER_WINDOW,
    );
    try {
      return await importRows(storage, ctx, job, { rows, columns, summary, clock }, onProgress);
    } finally {
      clearInterval(heartbeat);
    }
  } finally {
    await rows.return(undefined);
  }
}

interface ImportRun {
  rows: Rows;
  columns: Map<number, FieldDefinition>;
  summary: ImportSummary;
  clock: ImportClock;
}

/** The row loop of one claimed import: validate, batch, write; the key's row ends finished or failed. */
async function importRows(
  storage: Storage,
  ctx: ServiceContext,
  job: ImportJob,
  run: ImportRun,
  onProgress?: (s: ImportSummary) => void,
): Promise<ImportSummary> {
  const { summary, columns } = run;
  const key = summary.import_key;
  const problems: ImportProblem[] = [];
  const problem = (row: number, field: string, error: string) => {
    if (problems.length < MAX_REPORT) problems.push({ row, field, error });
  };
  const owners = new Map<string, string | undefined>();
  let batch: { row: number; values: CaseValues }[] = [];
  const flush = async () => {
    await writeBatch(storage, ctx, key, batch, summary, problem);
    batch = [];
    run.clock.check();
    onProgress?.({ ...summary });
  };

  try {
    // Rows are numbered as the file shows them (CSV line, sheet row), so the report points at the right place.
    for await (const { cells, line: rowNumber } of run.rows) {
      if (isEmptyRow(cells)) continue;
      if (++summary.total_rows > job.limits.maxRows) throw tooManyRows(job.limits);
      const values: Record<string, unknown> = { ...job.defaults };
      for (const [index, field] of columns) {
        const value = cellValue(cells[index] ?? null, field);
        if (value !== undefined) values[field.apiName] = value;
      }
      // Owners may be given by email address in a sheet; the API itself takes ids.
      if (typeof values.Owner === 'string' && isValidEmail(values.Owner)) {
        const email = values.Owner.toLowerCase();
        if (!owners.has(email)) owners.set(email, await findUserIdByEmail(storage.db, email));
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
  } catch (error) {
    summary.status = 'failed';
    problem(
      0,
      'file',
      error instanceof ImportFileError ? error.message : 'the import stopped on an unexpected error',
    );
    await repo.finishImport(storage.db, key, {
      status: 'failed',
      report: JSON.stringify(problems),
      now: nowIso(),
    });
    throw fileError(error, { importKey: key, created: summary.created_rows });
  }
  summary.status = 'finished';
  summary.report_truncated = problems.length >= MAX_REPORT;
  await repo.finishImport(storage.db, key, {
    status: 'finished',
    report: JSON.stringify(problems),
    now: nowIso(),
    counters: countersOf(summary),
  });
  return summary;
}

const countersOf = (s: ImportSummary): repo.ImportCounters => ({
  total_rows: s.total_rows,
  created_rows: s.created_rows,
  skipped_rows: s.skipped_rows,
  failed_rows: s.failed_rows,
});

/** One transaction: skip rows a former run landed, check lookups, insert, claim the rows, save the counters. */
async function writeBatch(
  storage: Storage,
  ctx: ServiceContext,
  key: string,
  items: { row: number; values: CaseValues }[],
  summary: ImportSummary,
  problem: (row: number, field: string, error: string) => void,
): Promise<void> {
  await storage.write(async (trx) => {
    const done = await repo.landedRows(
      trx,
      key,
      items.map((i) => i.row),
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
    await repo.claimRows(
      trx,
      key,
      inserted.map((c, index) => ({ row: fresh[index].row, caseId: c.id })),
    );
    summary.created_rows += inserted.length;
    await repo.saveProgress(trx, key, countersOf(summary), nowIso());
  });
}

/**
 * After a start: imports left running by a process that died are marked failed, now and once more when a
 * heartbeat fresh at start has had time to go stale (a restart right after a crash). Returns the stop function.
 */
export function recoverInterruptedImports(
  storage: Storage,
  staleAfterSeconds: number,
  onError: (error: unknown) => void,
): () => void {
  const windowMs = staleAfterSeconds * 1000;
  const sweep = () =>
    repo.failStaleImports(storage.db, new Date(Date.now() - windowMs).toISOString(), nowIso()).catch(onError);
  void sweep();
  const later = setTimeout(() => void sweep(), windowMs + windowMs / BEATS_PER_WINDOW);
  later.unref();
  return () => clearTimeout(later);
}

export async function importStatus(
  storage: Storage,
  key: string,
): Promise<ImportSummary & { report: ImportProblem[] }> {
  const row = await repo.findImport(storage.db, key);
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
