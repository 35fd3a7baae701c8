import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { MAX_ATTACHMENT_BYTES } from '../../shared/attachments';
import { type AppDeps, serviceContext } from '../http/context';
import { recordIdParam } from '../http/envelope';
import { apiError } from '../http/errors';
import {
  crmErrors,
  FilePart,
  IdParams,
  ListReply,
  MultipartBody,
  NoContent,
  notFound,
  RecordId,
  RecordResults,
  typed,
  ZohoError,
} from '../http/schema';
import type { BlobStore } from './blob-store';
import { addAttachment, listAttachments, readAttachment } from './attachment.service';

const tags = ['Attachments'];
const schemas = {
  upload: {
    summary: 'Attach a file to the case (multipart: file, optional source_message_id)',
    tags,
    consumes: ['multipart/form-data'],
    params: IdParams,
    body: MultipartBody(
      {
        file: FilePart(`The file (at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MiB)`),
        source_message_id: Type.Optional(Type.String({ description: 'The email it was copied from' })),
      },
      ['file'],
    ),
    response: {
      201: RecordResults('Attached: details.id'),
      ...notFound,
      ...crmErrors,
      413: ZohoError('File larger than the limit'),
      415: ZohoError('Not multipart/form-data'),
    },
  },
  list: {
    summary: "The case's attachments",
    tags,
    params: IdParams,
    response: { 200: ListReply('Attachments'), 204: NoContent('None'), ...notFound, ...crmErrors },
  },
  download: {
    summary: 'Download an attachment (sandboxed, as an attachment)',
    tags,
    params: Type.Object({ id: RecordId, attachmentId: RecordId }),
    response: {
      200: {
        description: 'The file, with its content type',
        content: { 'application/octet-stream': { schema: FilePart('The bytes') } },
      },
      ...notFound,
      ...crmErrors,
    },
  },
};

/** Zoho's attachment API: multipart upload of `file`, list, download. */
export async function attachmentRoutes(
  root: FastifyInstance,
  deps: AppDeps,
  blobs: BlobStore,
): Promise<void> {
  const app = typed(root);
  await app.register(multipart, {
    limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 5, fieldSize: 2000, parts: 10 },
  });
  const { db } = deps.storage;

  app.post('/crm/v6/Cases/:id/Attachments', { schema: schemas.upload }, async (request, reply) => {
    const caseId = recordIdParam(request.params.id);
    if (!request.isMultipart())
      throw apiError(415, 'INVALID_DATA', 'upload the file as multipart/form-data in a field named "file"', {
        api_name: 'file',
      });
    const part = await request.file();
    if (!part || part.fieldname !== 'file')
      throw apiError(400, 'MANDATORY_NOT_FOUND', 'a file in a field named "file" is required', {
        api_name: 'file',
      });
    const data = await part.toBuffer().catch((error: { code?: string }) => {
      if (error.code === 'FST_REQ_FILE_TOO_LARGE')
        throw apiError(
          413,
          'LIMIT_EXCEEDED',
          `files larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MiB are not accepted`,
          { api_name: 'file' },
        );
      throw error;
    });
    // Over the limit the parser stops reading and marks the stream truncated rather than failing.
    if (part.file.truncated)
      throw apiError(
        413,
        'LIMIT_EXCEEDED',
        `files larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MiB are not accepted`,
        { api_name: 'file' },
      );
    const source = part.fields.source_message_id;
    const sourceMessageId =
      source && 'value' in source && typeof source.value === 'string' ? source.value : undefined;
    const result = await deps.storage.write((trx) =>
      addAttachment(trx, serviceContext(deps, request), blobs, caseId, {
        fileName: part.filename,
        contentType: part.mimetype,
        data,
        sourceMessageId,
      }),
    );
    return reply.code(201).send({ data: [result] });
  });

  app.get('/crm/v6/Cases/:id/Attachments', { schema: schemas.list }, async (request, reply) => {
    const data = await listAttachments(db, recordIdParam(request.params.id));
    return data.length ? { data } : reply.code(204).send();
  });

  app.get(
    '/crm/v6/Cases/:id/Attachments/:attachmentId',
    { schema: schemas.download },
    async (request, reply) => {
      const file = await readAttachment(
        db,
        blobs,
        recordIdParam(request.params.id),
        recordIdParam(request.params.attachmentId),
      );
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
        .header('content-security-policy', "sandbox; default-src 'none'")
        .send(file.data);
    },
  );
}
