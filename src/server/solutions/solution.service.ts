import { SOLUTION_LIMITS, SOLUTION_STATUSES, type SolutionRecord } from '../../shared/followup-types';
import { characterCount } from '../../shared/case-fields';
import { isRecordId, type FieldError } from '../../shared/validation';
import type { Dialect } from '../db/dialect';
import { type Executor, nowIso } from '../db/executor';
import type { ListInfo } from '../../shared/api-types';
import { apiError, failBatch, notFound, recordError, recordErrors } from '../http/errors';
import { type Page, pageInfo } from '../http/paging';
import { namesOf } from '../lookups/lookup.repository';
import { findCaseById, findCasesByIds } from '../cases/case.repository';
import { formatCaseNumber } from '../cases/case.mapper';
import type { ServiceContext } from '../http/context';
import * as history from '../history/history.service';
import * as repo from './solution.repository';

type SolutionInput = {
  title?: string;
  question?: string | null;
  answer?: string;
  status?: string;
  caseIds: string[];
};

function validateSolution(
  input: unknown,
  mode: 'create' | 'update',
): { ok: true; value: SolutionInput } | { ok: false; errors: FieldError[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return {
      ok: false,
      errors: [{ code: 'INVALID_DATA', api_name: 'data', message: 'each solution must be a JSON object' }],
    };
  const r = input as Record<string, unknown>;
  const errors: FieldError[] = [];
  const bad = (api_name: string, message: string, extra: Partial<FieldError> = {}) =>
    errors.push({ code: 'INVALID_DATA', api_name, message: `${api_name}: ${message}`, ...extra });
  for (const k of Object.keys(r))
    if (!['Solution_Title', 'Question', 'Answer', 'Status', 'Cases'].includes(k))
      bad(k.slice(0, 60), 'no such field in Solutions');
  const text = (name: keyof typeof SOLUTION_LIMITS): string | null | undefined => {
    const v = r[name];
    if (v === undefined) return undefined;
    if (v === null || v === '') return null;
    if (typeof v !== 'string' || v.includes('\u0000')) return (bad(name, 'expected text'), undefined);
    if (characterCount(v) > SOLUTION_LIMITS[name])
      return (
        bad(name, `at most ${SOLUTION_LIMITS[name]} characters allowed`, {
          maximum_length: SOLUTION_LIMITS[name],
        }),
        undefined
      );
    return v;
  };
  const value: SolutionInput = {
    title: text('Solution_Title') ?? undefined,
    question: text('Question'),
    answer: text('Answer') ?? undefined,
    caseIds: [],
  };
  for (const name of ['Solution_Title', 'Answer'] as const) {
    const given = name === 'Solution_Title' ? value.title : value.answer;
    if ((mode === 'create' || name in r) && !given?.trim() && !errors.some((e) => e.api_name === name))
      errors.push({ code: 'MANDATORY_NOT_FOUND', api_name: name, message: `${name} is required` });
  }
  if (r.Status !== undefined) {
    if (!SOLUTION_STATUSES.includes(r.Status as never))
      bad('Status', `one of ${SOLUTION_STATUSES.join(', ')}`);
    else value.status = r.Status as string;
  }
  if (r.Cases !== undefined) {
    const ids = Array.isArray(r.Cases)
      ? r.Cases.map((c) => (typeof c === 'object' && c !== null ? (c as { id?: unknown }).id : c))
      : [null];
    if (ids.length > 100 || !ids.every(isRecordId)) bad('Cases', 'expected up to 100 case ids');
    else value.caseIds = ids as string[];
  }
  return errors.length ? { ok: false, errors } : { ok: true, value };
}

async function linkCases(
  trx: Executor,
  ctx: ServiceContext,
  solutionId: string,
  caseIds: string[],
  title: string,
  now: string,
) {
  for (const caseId of caseIds) {
    await repo.linkSolutionCase(trx, solutionId, caseId);
    await history.record(trx, caseId, 'solution_published', ctx.user.id, now, [
      { api_name: 'Solutions', old: null, new: title },
    ]);
  }
}

async function insertSolution(trx: Executor, ctx: ServiceContext, v: SolutionInput, now: string) {
  const number = await repo.nextSolutionNumber(trx, ctx.dialect);
  const id = await repo.insertSolution(trx, {
    solution_number: number,
    title: v.title as string,
    question: v.question ?? null,
    answer: v.answer as string,
    status: v.status ?? 'Draft',
    owner_id: ctx.user.id,
    created_by_id: ctx.user.id,
    modified_by_id: ctx.user.id,
    created_time: now,
    modified_time: now,
  });
  await linkCases(trx, ctx, id, v.caseIds, v.title as string, now);
  return { id, Solution_Number: formatCaseNumber(number) };
}

export async function createSolutions(trx: Executor, ctx: ServiceContext, inputs: unknown[]) {
  const validated = inputs.map((i) => validateSolution(i, 'create'));
  const perRecord: (FieldError[] | null)[] = [];
  for (const v of validated) {
    if (!v.ok) perRecord.push(v.errors);
    else {
      const found = await findCasesByIds(trx, v.value.caseIds);
      perRecord.push(
        found.length === new Set(v.value.caseIds).size
          ? null
          : [{ code: 'INVALID_DATA', api_name: 'Cases', message: 'Cases: some case ids do not exist' }],
      );
    }
  }
  if (perRecord.some((e) => e)) throw failBatch(perRecord);
  const now = nowIso();
  const results = [];
  for (const v of validated)
    if (v.ok)
      results.push({
        code: 'SUCCESS' as const,
        details: { ...(await insertSolution(trx, ctx, v.value, now)), Created_Time: now },
        message: 'record added',
        status: 'success' as const,
      });
  return results;
}

export async function updateSolution(trx: Executor, ctx: ServiceContext, id: string, input: unknown) {
  const row = await repo.findSolutionById(trx, id);
  if (!row) throw notFound(id);
  const v = validateSolution(input, 'update');
  if (!v.ok) throw recordErrors(400, [recordError(v.errors, 0)]);
  const now = nowIso();
  const patch = {
    ...(v.value.title !== undefined ? { title: v.value.title } : {}),
    ...(v.value.question !== undefined ? { question: v.value.question } : {}),
    ...(v.value.answer !== undefined ? { answer: v.value.answer } : {}),
    ...(v.value.status !== undefined ? { status: v.value.status } : {}),
    modified_time: now,
    modified_by_id: ctx.user.id,
  };
  await repo.updateSolution(trx, id, patch);
  if (v.value.caseIds.length) {
    if ((await findCasesByIds(trx, v.value.caseIds)).length !== new Set(v.value.caseIds).size)
      throw apiError(400, 'INVALID_DATA', 'Cases: some case ids do not exist', { api_name: 'Cases' });
    await linkCases(trx, ctx, id, v.value.caseIds, v.value.title ?? row.title, now);
  }
  return {
    code: 'SUCCESS' as const,
    details: { id, Modified_Time: now },
    message: 'record updated',
    status: 'success' as const,
  };
}

/** Publish a case's Solution field as a Solution record linked to the case (seed step 5). */
export async function publishFromCase(
  trx: Executor,
  ctx: ServiceContext,
  caseId: string,
  overrides: unknown,
) {
  const row = await findCaseById(trx, caseId);
  if (!row) throw notFound(caseId);
  if (!row.solution?.trim())
    throw apiError(400, 'MANDATORY_NOT_FOUND', 'write the case’s Solution before publishing it', {
      api_name: 'Solution',
    });
  const o = (
    typeof overrides === 'object' && overrides !== null && !Array.isArray(overrides) ? overrides : {}
  ) as Record<string, unknown>;
  const v = validateSolution(
    {
      Solution_Title: row.subject.slice(0, 255),
      Question: row.description,
      Answer: row.solution,
      Status: 'Published',
      ...o,
      Cases: [caseId],
    },
    'create',
  );
  if (!v.ok) throw recordErrors(400, [recordError(v.errors, 0)]);
  const now = nowIso();
  const created = await insertSolution(trx, ctx, v.value, now);
  return {
    code: 'SUCCESS' as const,
    details: { ...created, Created_Time: now },
    message: 'solution published',
    status: 'success' as const,
  };
}

async function toRecords(db: Executor, rows: repo.SolutionRow[]): Promise<SolutionRecord[]> {
  const ids = rows.map((r) => String(r.id));
  const links = await repo.caseLinksOf(db, ids);
  const cases = new Map(
    (
      await findCasesByIds(
        db,
        links.map((l) => l.case_id),
      )
    ).map((c) => [String(c.id), c]),
  );
  const owners = await namesOf(
    db,
    'Users',
    rows.map((r) => r.owner_id as string),
  );
  return rows.map((r) => ({
    id: String(r.id),
    Solution_Number: formatCaseNumber(r.solution_number as number),
    Solution_Title: r.title,
    Question: r.question,
    Answer: r.answer,
    Status: r.status as SolutionRecord['Status'],
    Owner: { id: String(r.owner_id), name: owners.get(String(r.owner_id))?.name ?? '' },
    Created_Time: r.created_time,
    Modified_Time: r.modified_time,
    Cases: links
      .filter((l) => String(l.solution_id) === String(r.id))
      .map((l) => cases.get(String(l.case_id)))
      .filter((c) => c !== undefined)
      .map((c) => ({ id: String(c.id), Case_Number: formatCaseNumber(c.case_number), Subject: c.subject })),
  }));
}

export async function getSolution(db: Executor, id: string): Promise<SolutionRecord> {
  const row = await repo.findSolutionById(db, id);
  if (!row) throw notFound(id);
  return (await toRecords(db, [row]))[0];
}

/** List or search: `word` in the title or answer, optional `status` (the pane asks for Published). */
export async function findSolutions(
  db: Executor,
  dialect: Dialect,
  filter: { word?: string; status?: string; caseId?: string },
  page: Page,
): Promise<{ data: SolutionRecord[]; info: ListInfo }> {
  const words = filter.word?.split(/\s+/).filter(Boolean).slice(0, 10) ?? [];
  const rows = await repo.findSolutions(db, dialect, {
    ...filter,
    words,
    limit: page.perPage + 1,
    offset: page.offset,
  });
  const { data, info } = pageInfo(rows, page);
  return { data: await toRecords(db, data), info };
}
