import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { MAX_RECORDS_PER_CALL } from '../../shared/api-types';
import { type AppDeps, serviceContext } from '../http/context';
import { recordIdParam } from '../http/envelope';
import { apiError } from '../http/errors';
import {
  AllOrNothing,
  BatchQuery,
  crmErrors,
  IdParams,
  ListReply,
  NoContent,
  notFound,
  PageQuery,
  queryText,
  RecordResults,
  RecordsBody,
  typed,
} from '../http/schema';
import { addingRelated, listOrEmpty, relatedList, RelatedResults } from '../http/related-lists';
import { batchModeOf, batchStatus } from '../zoho/batch';
import * as service from './note.service';
import { pageOf } from '../http/paging';

const tags = ['Notes'];
const writes = {
  207: RecordResults('Some records written, some refused: see each record'),
  ...crmErrors,
  400: RecordResults('No record written: field-level errors naming the api_name'),
};
const schemas = {
  caseNotes: relatedList("The case's notes", 'Notes', tags),
  addCaseNotes: {
    ...addingRelated('Add notes to the case', tags),
    querystring: BatchQuery,
    response: { 201: RelatedResults, 207: RecordResults('Some added'), ...notFound, ...crmErrors },
  },
  list: {
    summary: 'Every note, newest first, each with Parent_Id {id, name, module}',
    tags,
    querystring: PageQuery,
    response: { 200: ListReply('Notes'), 204: NoContent('No notes'), ...crmErrors },
  },
  get: {
    summary: 'A note',
    tags,
    params: IdParams,
    response: { 200: ListReply('The note'), ...notFound, ...crmErrors },
  },
  create: {
    summary:
      'Add notes, each naming its case in Parent_Id {id, module: {api_name: "Cases"}} (or Parent_Id + se_module)',
    tags,
    querystring: BatchQuery,
    body: RecordsBody(MAX_RECORDS_PER_CALL),
    response: { 201: RecordResults('Added'), ...writes },
  },
  update: {
    summary: 'Update notes (each with id): Note_Title, Note_Content',
    tags,
    querystring: BatchQuery,
    body: RecordsBody(MAX_RECORDS_PER_CALL),
    response: { 200: RecordResults('Updated'), ...writes },
  },
  updateOne: {
    summary: 'Update a note',
    tags,
    params: IdParams,
    body: RecordsBody(1),
    response: { 200: RecordResults('Updated'), ...writes },
  },
  delete: {
    summary: 'Delete notes by ids=1,2,3 (manager, admin)',
    tags,
    querystring: Type.Object(
      { ids: queryText('up to 100 note ids'), all_or_nothing: AllOrNothing },
      { additionalProperties: true },
    ),
    response: { 200: RecordResults('Deleted'), ...writes },
  },
  deleteOne: {
    summary: 'Delete a note (manager, admin)',
    tags,
    params: IdParams,
    response: { 200: RecordResults('Deleted'), 404: RecordResults('No such note'), ...crmErrors },
  },
};

/** `ids=1,2,3` as record ids (at most 100, as Zoho's mass delete takes). */
export function idsParam(value: unknown, max = 100): string[] {
  if (typeof value !== 'string' || !value.trim())
    throw apiError(400, 'REQUIRED_PARAM_MISSING', 'ids is required', { param_name: 'ids' });
  const ids = value.split(',').map((s) => s.trim());
  if (ids.length > max)
    throw apiError(400, 'LIMIT_EXCEEDED', `at most ${max} ids`, { param_name: 'ids', limit: max });
  return ids.map(recordIdParam);
}

/** Zoho's Notes API: a case's notes (/Cases/{id}/Notes), and every note by id, each naming its case in Parent_Id. */
export function noteRoutes(root: FastifyInstance, deps: AppDeps): void {
  const app = typed(root);
  const { db } = deps.storage;
  const write = deps.storage.write;
  const remove = { permission: 'delete' as const };

  app.get('/crm/v6/Cases/:id/Notes', { schema: schemas.caseNotes }, async (request, reply) => {
    const id = recordIdParam(request.params.id);
    return listOrEmpty(await service.listNotes(db, id, pageOf(request.query)), reply);
  });
  app.post('/crm/v6/Cases/:id/Notes', { schema: schemas.addCaseNotes }, async (request, reply) => {
    const id = recordIdParam(request.params.id);
    const notes = request.body.data;
    const mode = batchModeOf(request);
    const data = await write((trx) => service.addNotes(trx, serviceContext(deps, request), id, notes, mode));
    return reply.code(batchStatus(data, 201)).send({ data });
  });

  app.get('/crm/v6/Notes', { schema: schemas.list }, async (request, reply) => {
    return listOrEmpty(await service.listAllNotes(db, pageOf(request.query)), reply);
  });
  app.get('/crm/v6/Notes/:id', { schema: schemas.get }, async (request) => ({
    data: [await service.getNote(db, recordIdParam(request.params.id))],
  }));
  app.post('/crm/v6/Notes', { schema: schemas.create }, async (request, reply) => {
    const inputs = request.body.data;
    const mode = batchModeOf(request);
    const data = await write((trx) => service.createNotes(trx, serviceContext(deps, request), inputs, mode));
    return reply.code(batchStatus(data, 201)).send({ data });
  });
  app.put('/crm/v6/Notes', { schema: schemas.update }, async (request, reply) => {
    const updates = request.body.data.map((input, index) => {
      const id = (input as { id?: unknown } | null)?.id;
      if (typeof id !== 'string' && typeof id !== 'number')
        throw apiError(400, 'MANDATORY_NOT_FOUND', `data[${index}].id is required to update`, {
          api_name: 'id',
          json_path: `$.data[${index}].id`,
        });
      return { id: recordIdParam(String(id)), input };
    });
    const mode = batchModeOf(request);
    const data = await write((trx) => service.updateNotes(trx, serviceContext(deps, request), updates, mode));
    return reply.code(batchStatus(data, 200)).send({ data });
  });
  app.put('/crm/v6/Notes/:id', { schema: schemas.updateOne }, async (request, reply) => {
    const id = recordIdParam(request.params.id);
    const [input] = request.body.data;
    const data = await write((trx) =>
      service.updateNotes(trx, serviceContext(deps, request), [{ id, input }], 'per_record'),
    );
    return reply.code(batchStatus(data, 200)).send({ data });
  });
  app.delete('/crm/v6/Notes', { config: remove, schema: schemas.delete }, async (request, reply) => {
    const ids = idsParam(request.query.ids);
    const mode = batchModeOf(request);
    const data = await write((trx) => service.deleteNotes(trx, serviceContext(deps, request), ids, mode));
    return reply.code(batchStatus(data, 200)).send({ data });
  });
  app.delete('/crm/v6/Notes/:id', { config: remove, schema: schemas.deleteOne }, async (request, reply) => {
    const id = recordIdParam(request.params.id);
    const data = await write((trx) =>
      service.deleteNotes(trx, serviceContext(deps, request), [id], 'per_record'),
    );
    return reply.code(data[0].status === 'error' ? 404 : 200).send({ data });
  });
}
