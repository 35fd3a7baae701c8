import { NOTE_LIMITS, type NoteRecord } from '../../shared/followup-types';
import { characterCount } from '../../shared/case-fields';
import type { FieldError } from '../../shared/validation';
import { type Executor, nowIso } from '../db/executor';
import { failBatch } from '../http/errors';
import { namesOf } from '../lookups/lookup.repository';
import { requireCase, type ServiceContext } from '../cases/case.service';
import * as history from '../history/history.service';

function validateNote(
  input: unknown,
): { ok: true; title: string | null; content: string } | { ok: false; errors: FieldError[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return {
      ok: false,
      errors: [{ code: 'INVALID_DATA', api_name: 'data', message: 'each note must be a JSON object' }],
    };
  const { Note_Title: title, Note_Content: content, ...rest } = input as Record<string, unknown>;
  const errors: FieldError[] = Object.keys(rest).map((k) => ({
    code: 'INVALID_DATA',
    api_name: k.slice(0, 60),
    message: `${k.slice(0, 60)}: no such field in Notes`,
  }));
  if (typeof content !== 'string' || !content.trim())
    errors.push({
      code: 'MANDATORY_NOT_FOUND',
      api_name: 'Note_Content',
      message: 'Note_Content is required',
    });
  else if (characterCount(content) > NOTE_LIMITS.Note_Content || content.includes('\u0000'))
    errors.push({
      code: 'INVALID_DATA',
      api_name: 'Note_Content',
      message: `Note_Content: at most ${NOTE_LIMITS.Note_Content} characters allowed`,
      maximum_length: NOTE_LIMITS.Note_Content,
    });
  if (
    title !== undefined &&
    title !== null &&
    (typeof title !== 'string' || characterCount(title) > NOTE_LIMITS.Note_Title || title.includes('\u0000'))
  )
    errors.push({
      code: 'INVALID_DATA',
      api_name: 'Note_Title',
      message: `Note_Title: text of at most ${NOTE_LIMITS.Note_Title} characters`,
      maximum_length: NOTE_LIMITS.Note_Title,
    });
  if (errors.length) return { ok: false, errors };
  return { ok: true, title: typeof title === 'string' && title ? title : null, content: content as string };
}

export async function addNotes(trx: Executor, ctx: ServiceContext, caseId: string, inputs: unknown[]) {
  await requireCase(trx, caseId);
  const validated = inputs.map(validateNote);
  if (validated.some((v) => !v.ok)) throw failBatch(validated.map((v) => (v.ok ? null : v.errors)));
  const now = nowIso();
  const results = [];
  for (const v of validated) {
    if (!v.ok) continue;
    const { id } = await trx
      .insertInto('notes')
      .values({
        case_id: caseId,
        title: v.title,
        content: v.content,
        created_by_id: ctx.user.id,
        created_time: now,
        modified_time: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await history.record(trx, caseId, 'note_added', ctx.user.id, now, [
      { api_name: 'Notes', old: null, new: v.title ?? v.content.slice(0, 80) },
    ]);
    results.push({
      code: 'SUCCESS' as const,
      details: { id: String(id), Created_Time: now },
      message: 'note added',
      status: 'success' as const,
    });
  }
  return results;
}

export async function listNotes(db: Executor, caseId: string): Promise<NoteRecord[]> {
  await requireCase(db, caseId);
  const rows = await db
    .selectFrom('notes')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
  const users = await namesOf(
    db,
    'Users',
    rows.map((r) => r.created_by_id),
  );
  return rows.map((r) => ({
    id: String(r.id),
    Note_Title: r.title,
    Note_Content: r.content,
    Created_By: { id: String(r.created_by_id), name: users.get(String(r.created_by_id))?.name ?? '' },
    Created_Time: r.created_time,
    Modified_Time: r.modified_time,
  }));
}
