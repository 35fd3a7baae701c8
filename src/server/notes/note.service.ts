import { NOTE_LIMITS, type NoteRecord } from '../../shared/followup-types';
import type { RecordResult } from '../../shared/api-types';
import { characterCount } from '../../shared/case-fields';
import { isRecordId, type FieldError } from '../../shared/validation';
import { type Executor, nowIso } from '../db/executor';
import { notFound } from '../http/errors';
import { type Page, pageInfo } from '../http/paging';
import { namesOf } from '../lookups/lookup.repository';
import { requireCase } from '../cases/case.service';
import type { ServiceContext } from '../http/context';
import * as cases from '../cases/case.repository';
import * as history from '../history/history.service';
import { type BatchMode, inRequestOrder, refuseIfAllOrNothing } from '../zoho/batch';
import * as repo from './note.repository';

type Validated = { ok: true; title: string | null; content: string } | { ok: false; errors: FieldError[] };

const KNOWN = new Set(['Note_Title', 'Note_Content', 'Parent_Id', 'se_module', '$se_module', 'id']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function contentErrors(content: unknown, required: boolean): FieldError[] {
  if (content === undefined && !required) return [];
  if (typeof content !== 'string' || !content.trim())
    return [{ code: 'MANDATORY_NOT_FOUND', api_name: 'Note_Content', message: 'Note_Content is required' }];
  if (characterCount(content) > NOTE_LIMITS.Note_Content || content.includes('\u0000'))
    return [
      {
        code: 'INVALID_DATA',
        api_name: 'Note_Content',
        message: `Note_Content: at most ${NOTE_LIMITS.Note_Content} characters allowed`,
        maximum_length: NOTE_LIMITS.Note_Content,
      },
    ];
  return [];
}

function titleErrors(title: unknown): FieldError[] {
  if (title === undefined || title === null) return [];
  if (typeof title !== 'string' || characterCount(title) > NOTE_LIMITS.Note_Title || title.includes('\u0000'))
    return [
      {
        code: 'INVALID_DATA',
        api_name: 'Note_Title',
        message: `Note_Title: text of at most ${NOTE_LIMITS.Note_Title} characters`,
        maximum_length: NOTE_LIMITS.Note_Title,
      },
    ];
  return [];
}

/** A note's fields; `allowed` are the other properties the endpoint reads itself (Parent_Id, id). */
function validateNote(
  input: unknown,
  required: boolean,
  allowed: ReadonlySet<string> = new Set(),
): Validated {
  if (!isObject(input))
    return {
      ok: false,
      errors: [{ code: 'INVALID_DATA', api_name: 'data', message: 'each note must be a JSON object' }],
    };
  const { Note_Title: title, Note_Content: content } = input;
  const errors: FieldError[] = Object.keys(input)
    .filter((k) => !KNOWN.has(k) || (!allowed.has(k) && k !== 'Note_Title' && k !== 'Note_Content'))
    .map((k) => ({
      code: 'INVALID_DATA',
      api_name: k.slice(0, 60),
      message: `${k.slice(0, 60)}: no such field in Notes`,
    }));
  errors.push(...contentErrors(content, required), ...titleErrors(title));
  if (errors.length) return { ok: false, errors };
  return { ok: true, title: typeof title === 'string' && title ? title : null, content: content as string };
}

const success = (message: string, details: { id: string } & Record<string, unknown>): RecordResult => ({
  code: 'SUCCESS',
  details,
  message,
  status: 'success',
});

async function insertValidNote(
  trx: Executor,
  ctx: ServiceContext,
  caseId: string,
  note: { title: string | null; content: string },
  now: string,
): Promise<RecordResult> {
  const id = await repo.insertNote(trx, {
    case_id: caseId,
    title: note.title,
    content: note.content,
    created_by_id: ctx.user.id,
    created_time: now,
    modified_time: now,
  });
  await history.record(trx, caseId, 'note_added', ctx.user.id, now, [
    { api_name: 'Notes', old: null, new: note.title ?? note.content.slice(0, 80) },
  ]);
  const by = { id: ctx.user.id, name: ctx.user.name };
  return success('record added', {
    id,
    Created_Time: now,
    Modified_Time: now,
    Created_By: by,
    Modified_By: by,
  });
}

/** POST /Cases/{id}/Notes. */
export async function addNotes(
  trx: Executor,
  ctx: ServiceContext,
  caseId: string,
  inputs: unknown[],
  mode: BatchMode = 'all_or_nothing',
): Promise<RecordResult[]> {
  await requireCase(trx, caseId);
  const validated = inputs.map((input) => validateNote(input, true));
  const perRecord = validated.map((v) => (v.ok ? null : v.errors));
  refuseIfAllOrNothing(mode, perRecord);
  const now = nowIso();
  const written: RecordResult[] = [];
  for (const v of validated) if (v.ok) written.push(await insertValidNote(trx, ctx, caseId, v, now));
  return inRequestOrder(perRecord, written);
}

/** The case a note's Parent_Id names: {id, module: {api_name}} (v6), or an id with se_module (older clients). */
function parentOf(input: Record<string, unknown>): string | FieldError {
  const parent = input.Parent_Id;
  const raw = isObject(parent) ? parent.id : parent;
  const module = isObject(parent) ? parent.module : (input.se_module ?? input.$se_module);
  const moduleName = isObject(module) ? module.api_name : module;
  const id = typeof raw === 'number' ? String(raw) : raw;
  if (id === undefined || id === null)
    return { code: 'MANDATORY_NOT_FOUND', api_name: 'Parent_Id', message: 'Parent_Id is required' };
  if (moduleName !== undefined && moduleName !== 'Cases')
    return { code: 'INVALID_DATA', api_name: 'Parent_Id', message: 'Parent_Id: notes belong to Cases here' };
  if (!isRecordId(id))
    return { code: 'INVALID_DATA', api_name: 'Parent_Id', message: 'Parent_Id.id is not a record id' };
  return id;
}

/** POST /Notes: each note names its case in Parent_Id. */
export async function createNotes(
  trx: Executor,
  ctx: ServiceContext,
  inputs: unknown[],
  mode: BatchMode,
): Promise<RecordResult[]> {
  const plans: ({ caseId: string; title: string | null; content: string } | null)[] = [];
  const perRecord: (FieldError[] | null)[] = [];
  const allowed = new Set(['Parent_Id', 'se_module', '$se_module']);
  for (const input of inputs) {
    const v = validateNote(input, true, allowed);
    const parent = isObject(input) ? parentOf(input) : null;
    const errors = [...(v.ok ? [] : v.errors), ...(typeof parent === 'object' && parent ? [parent] : [])];
    if (!errors.length && typeof parent === 'string' && !(await cases.caseExists(trx, parent)))
      errors.push({ code: 'INVALID_DATA', api_name: 'Parent_Id', message: `no case with id ${parent}` });
    perRecord.push(errors.length ? errors : null);
    plans.push(!errors.length && v.ok && typeof parent === 'string' ? { caseId: parent, ...v } : null);
  }
  refuseIfAllOrNothing(mode, perRecord);
  const now = nowIso();
  const written: RecordResult[] = [];
  for (const plan of plans) if (plan) written.push(await insertValidNote(trx, ctx, plan.caseId, plan, now));
  return inRequestOrder(perRecord, written);
}

export interface NoteUpdate {
  id: string;
  input: unknown;
}

/** PUT /Notes and /Notes/{id}: title and content of existing notes. */
export async function updateNotes(
  trx: Executor,
  ctx: ServiceContext,
  updates: NoteUpdate[],
  mode: BatchMode,
): Promise<RecordResult[]> {
  const rows = new Map(
    (
      await repo.findNotesByIds(
        trx,
        updates.map((u) => u.id),
      )
    ).map((r) => [String(r.id), r]),
  );
  const perRecord: (FieldError[] | null)[] = [];
  const plans: { row: repo.NoteRow; input: Record<string, unknown> }[] = [];
  for (const update of updates) {
    const row = rows.get(update.id);
    const v = validateNote(update.input, false, new Set(['id']));
    const missing: FieldError = {
      code: 'INVALID_DATA',
      api_name: 'id',
      message: `no note with id ${update.id}`,
    };
    const errors = !row ? [missing] : v.ok ? [] : v.errors;
    perRecord.push(errors.length ? errors : null);
    if (!errors.length && row) plans.push({ row, input: update.input as Record<string, unknown> });
  }
  refuseIfAllOrNothing(mode, perRecord);
  const now = nowIso();
  const written: RecordResult[] = [];
  for (const { row, input } of plans) {
    const patch = {
      ...(input.Note_Title !== undefined ? { title: (input.Note_Title as string | null) || null } : {}),
      ...(input.Note_Content !== undefined ? { content: input.Note_Content as string } : {}),
      modified_time: now,
    };
    await repo.updateNote(trx, String(row.id), patch);
    await history.record(trx, String(row.case_id), 'updated', ctx.user.id, now, [
      {
        api_name: 'Notes',
        old: row.title ?? row.content.slice(0, 80),
        new: patch.title ?? row.title ?? (patch.content ?? row.content).slice(0, 80),
      },
    ]);
    written.push(success('record updated', { id: String(row.id), Modified_Time: now }));
  }
  return inRequestOrder(perRecord, written);
}

/** DELETE /Notes?ids= and /Notes/{id}: each id deleted or reported as not found. */
export async function deleteNotes(
  trx: Executor,
  ctx: ServiceContext,
  ids: string[],
  mode: BatchMode,
): Promise<RecordResult[]> {
  const rows = new Map((await repo.findNotesByIds(trx, ids)).map((r) => [String(r.id), r]));
  const perRecord = ids.map((id): FieldError[] | null =>
    rows.has(id) ? null : [{ code: 'INVALID_DATA', api_name: 'id', message: `no note with id ${id}` }],
  );
  refuseIfAllOrNothing(mode, perRecord);
  const now = nowIso();
  const written: RecordResult[] = [];
  for (const id of ids) {
    const row = rows.get(id);
    if (!row || !(await repo.deleteNote(trx, id))) continue;
    await history.record(trx, String(row.case_id), 'updated', ctx.user.id, now, [
      { api_name: 'Notes', old: row.title ?? row.content.slice(0, 80), new: null },
    ]);
    written.push(success('record deleted', { id }));
  }
  return inRequestOrder(perRecord, written);
}

/** Notes in Zoho's record shape: Parent_Id names the case, Owner is who wrote it. */
async function noteRecords(db: Executor, rows: repo.NoteRow[]): Promise<NoteRecord[]> {
  const users = await namesOf(
    db,
    'Users',
    rows.map((r) => r.created_by_id),
  );
  const caseRows = await cases.findCasesByIds(db, [...new Set(rows.map((r) => String(r.case_id)))]);
  const subjects = new Map(caseRows.map((c) => [String(c.id), c.subject ?? '']));
  return rows.map((r) => {
    const user = { id: String(r.created_by_id), name: users.get(String(r.created_by_id))?.name ?? '' };
    return {
      id: String(r.id),
      Note_Title: r.title,
      Note_Content: r.content,
      Parent_Id: {
        id: String(r.case_id),
        name: subjects.get(String(r.case_id)) ?? '',
        module: { api_name: 'Cases' },
      },
      $se_module: 'Cases',
      Owner: user,
      Created_By: user,
      Modified_By: user,
      Created_Time: r.created_time,
      Modified_Time: r.modified_time,
    };
  });
}

/** GET /Cases/{id}/Notes: a case's notes, newest first, a page at a time. */
export async function listNotes(db: Executor, caseId: string, page: Page) {
  await requireCase(db, caseId);
  const { data, info } = pageInfo(await repo.notesOfCase(db, caseId, page.perPage + 1, page.offset), page);
  return { data: await noteRecords(db, data), info };
}

/** GET /Notes: every note, newest first. */
export async function listAllNotes(db: Executor, page: Page) {
  const { data, info } = pageInfo(await repo.listNotes(db, page.perPage + 1, page.offset), page);
  return { data: await noteRecords(db, data), info };
}

export async function getNote(db: Executor, id: string): Promise<NoteRecord> {
  const [row] = await repo.findNotesByIds(db, [id]);
  if (!row) throw notFound(id);
  return (await noteRecords(db, [row]))[0];
}
