import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { type AppDeps, serviceContext } from '../http/context';
import { apiError } from '../http/errors';
import {
  crmErrors,
  FilePart,
  Loose,
  MultipartBody,
  notFound,
  SuccessReply,
  typed,
  ZohoError,
} from '../http/schema';
import { fileError, importStatus, reportCsv, runImport } from './import.service';
import type { ImportLimits } from './limits';
import { type FileKind, ImportFileError, kindOf, spool } from './readers';

export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

function jsonField(value: string | undefined, name: string): Record<string, string | null> | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    const parsed = JSON.parse(value) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, string | null>;
  } catch {
    /* reported below */
  }
  throw apiError(400, 'INVALID_DATA', `${name} must be a JSON object`, { api_name: name });
}

const SPOOL_PREFIX = 'import-';
const tags = ['Import'];
const KeyParams = Type.Object({ key: Type.String({ description: 'The import_key of the upload' }) });
const schemas = {
  upload: {
    summary: 'Import cases from a CSV or XLSX file (multipart: file, optional import_key, mapping, defaults)',
    tags,
    consumes: ['multipart/form-data'],
    body: MultipartBody(
      {
        file: FilePart('The CSV or XLSX file (at most 64 MiB)'),
        import_key: Type.Optional(
          Type.String({ description: 'Your key: a repeated upload with it is not run twice' }),
        ),
        mapping: Type.Optional(
          Type.String({ description: 'JSON object: column → api_name (or null to skip)' }),
        ),
        defaults: Type.Optional(Type.String({ description: 'JSON object: api_name → value for every row' })),
      },
      ['file'],
    ),
    response: {
      200: SuccessReply('data', 'Import finished: details holds the counts'),
      ...crmErrors,
      413: ZohoError('File larger than the limit'),
      415: ZohoError('Not multipart/form-data'),
    },
  },
  status: {
    summary: 'Status of an import by its key',
    tags,
    params: KeyParams,
    response: {
      200: Type.Object(
        { data: Type.Array(Loose()) },
        { additionalProperties: true, description: 'The import' },
      ),
      ...notFound,
      ...crmErrors,
    },
  },
  report: {
    summary: "An import's refused rows as CSV",
    tags,
    params: KeyParams,
    response: {
      200: { description: 'CSV (UTF-8 with BOM)', content: { 'text/csv': { schema: Type.String() } } },
      ...notFound,
      ...crmErrors,
    },
  },
};

/**
 * Remove upload spools a stopped process left behind (each DATA_DIR belongs to one server process, so none of
 * them is in use at start).
 */
export function removeLeftoverSpools(tmpDir: string): void {
  if (!fs.existsSync(tmpDir)) return;
  for (const name of fs.readdirSync(tmpDir))
    if (name.startsWith(SPOOL_PREFIX)) fs.rmSync(path.join(tmpDir, name), { force: true });
}

/** POST /Cases/actions/import (multipart: file, optional import_key, mapping, defaults); status and report by key. */
export function importRoutes(
  root: FastifyInstance,
  deps: AppDeps,
  options: { tmpDir: string; limits: ImportLimits },
): void {
  const app = typed(root);
  const { tmpDir, limits } = options;
  app.post('/crm/v6/Cases/actions/import', { schema: schemas.upload }, async (request) => {
    if (!request.isMultipart())
      throw apiError(415, 'INVALID_DATA', 'upload the file as multipart/form-data in a field named "file"', {
        api_name: 'file',
      });
    fs.mkdirSync(tmpDir, { recursive: true });
    const fields: Record<string, string> = {};
    let spooled: { file: string; fileName: string; kind: FileKind } | undefined;
    try {
      for await (const part of request.parts({
        limits: { fileSize: MAX_IMPORT_BYTES + 1, files: 1, fields: 5, fieldSize: 64 * 1024 },
      })) {
        if (part.type === 'field') {
          fields[part.fieldname] = String(part.value);
          continue;
        }
        if (part.fieldname !== 'file')
          throw apiError(400, 'INVALID_DATA', 'the file must be in a field named "file"', {
            api_name: 'file',
          });
        const kind = kindOf(part.filename);
        const file = path.join(tmpDir, `${SPOOL_PREFIX}${crypto.randomBytes(8).toString('hex')}`);
        spooled = { file, fileName: part.filename.slice(0, 255), kind };
        await spool(part.file, file, kind, MAX_IMPORT_BYTES);
        if (part.file.truncated)
          throw new ImportFileError(`the file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB`);
      }
      if (!spooled)
        throw apiError(400, 'MANDATORY_NOT_FOUND', 'a file in a field named "file" is required', {
          api_name: 'file',
        });
      const summary = await runImport(deps.storage, serviceContext(deps, request), {
        key: fields.import_key || undefined,
        fileName: spooled.fileName,
        file: spooled.file,
        kind: spooled.kind,
        mapping: jsonField(fields.mapping, 'mapping'),
        defaults: jsonField(fields.defaults, 'defaults'),
        limits,
      });
      return { data: [{ code: 'SUCCESS', details: summary, message: 'import finished', status: 'success' }] };
    } catch (error) {
      throw fileError(error);
    } finally {
      if (spooled) fs.rmSync(spooled.file, { force: true });
    }
  });

  app.get('/crm/v6/imports/:key', { schema: schemas.status }, async (request) => {
    const { report, ...summary } = await importStatus(deps.storage, request.params.key);
    return { data: [{ ...summary, errors: report.length }] };
  });

  app.get('/crm/v6/imports/:key/report', { schema: schemas.report }, async (request, reply) => {
    const { report } = await importStatus(deps.storage, request.params.key);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="import-report.csv"')
      .send(`\uFEFF${reportCsv(report)}`);
  });
}
