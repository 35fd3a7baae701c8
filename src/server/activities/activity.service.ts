import {
  ACTIVITY_TYPES,
  CLOSED_ACTIVITY_STATUSES,
  OPEN_ACTIVITY_STATUSES,
  type ActivityRecord,
  type ActivityType,
} from '../../shared/followup-types';
import { characterCount } from '../../shared/case-fields';
import { isRecordId, type FieldError } from '../../shared/validation';
import { type Executor, nowIso } from '../db/executor';
import type { ListInfo } from '../../shared/api-types';
import { apiError, failBatch, notFound } from '../http/errors';
import { type Page, pageInfo } from '../http/paging';
import { namesOf } from '../lookups/lookup.repository';
import { requireCase } from '../cases/case.service';
import type { ServiceContext } from '../http/context';
import * as history from '../history/history.service';
import * as repo from './activity.repository';

const OPEN_STATUSES: readonly string[] = OPEN_ACTIVITY_STATUSES;
const CLOSED_STATUSES: readonly string[] = CLOSED_ACTIVITY_STATUSES;

type Parsed = {
  kind: ActivityType;
  subject: string;
  due: string | null;
  end: string | null;
  status: string;
  description: string | null;
  owner: string | null;
};

function validateActivity(input: unknown): { ok: true; value: Parsed } | { ok: false; errors: FieldError[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return {
      ok: false,
      errors: [{ code: 'INVALID_DATA', api_name: 'data', message: 'each activity must be a JSON object' }],
    };
  const r = input as Record<string, unknown>;
  const errors: FieldError[] = [];
  const bad = (api_name: string, message: string, code: FieldError['code'] = 'INVALID_DATA') =>
    errors.push({ code, api_name, message: `${api_name}: ${message}` });
  for (const k of Object.keys(r))
    if (
      !['Activity_Type', 'Subject', 'Due_Date', 'End_DateTime', 'Status', 'Description', 'Owner'].includes(k)
    )
      bad(k.slice(0, 60), 'no such field');
  const kind = r.Activity_Type ?? 'Tasks';
  if (!ACTIVITY_TYPES.includes(kind as ActivityType))
    bad('Activity_Type', `one of ${ACTIVITY_TYPES.join(', ')}`);
  if (typeof r.Subject !== 'string' || !r.Subject.trim())
    bad('Subject', 'is required', 'MANDATORY_NOT_FOUND');
  else if (characterCount(r.Subject) > 255 || r.Subject.includes('\u0000'))
    bad('Subject', 'at most 255 characters allowed');
  const time = (name: string): string | null => {
    const v = r[name];
    if (v === undefined || v === null || v === '') return null;
    const t = typeof v === 'string' ? Date.parse(v) : NaN;
    if (Number.isNaN(t)) return (bad(name, 'expected an ISO 8601 date or date-time'), null);
    return new Date(t).toISOString();
  };
  const due = time('Due_Date');
  const end = time('End_DateTime');
  const status = r.Status ?? 'Not Started';
  if (typeof status !== 'string' || ![...OPEN_STATUSES, ...CLOSED_STATUSES].includes(status))
    bad('Status', `one of ${[...OPEN_STATUSES, ...CLOSED_STATUSES].join(', ')}`);
  if (
    r.Description !== undefined &&
    r.Description !== null &&
    (typeof r.Description !== 'string' || characterCount(r.Description) > 32_000)
  )
    bad('Description', 'text of at most 32000 characters');
  const owner =
    r.Owner === undefined || r.Owner === null
      ? null
      : typeof r.Owner === 'object'
        ? (r.Owner as { id?: unknown }).id
        : r.Owner;
  if (owner !== null && !isRecordId(owner)) bad('Owner', 'expected a user id');
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      kind: kind as ActivityType,
      subject: r.Subject as string,
      due,
      end,
      status: status as string,
      description: (r.Description as string) || null,
      owner: owner as string | null,
    },
  };
}

export async function addActivities(trx: Executor, ctx: ServiceContext, caseId: string, inputs: unknown[]) {
  await requireCase(trx, caseId);
  const validated = inputs.map(validateActivity);
  const perRecord: (FieldError[] | null)[] = [];
  for (const v of validated) {
    if (!v.ok) perRecord.push(v.errors);
    else if (v.value.owner && !(await namesOf(trx, 'Users', [v.value.owner])).has(v.value.owner))
      perRecord.push([
        { code: 'INVALID_DATA', api_name: 'Owner', message: `Owner: no user with id ${v.value.owner}` },
      ]);
    else perRecord.push(null);
  }
  if (perRecord.some((e) => e)) throw failBatch(perRecord);
  const now = nowIso();
  const results = [];
  for (const v of validated) {
    if (!v.ok) continue;
    const a = v.value;
    const id = await repo.insertActivity(trx, {
      case_id: caseId,
      kind: a.kind,
      subject: a.subject,
      due_time: a.due,
      end_time: a.end,
      status: a.status,
      description: a.description,
      owner_id: a.owner ?? ctx.user.id,
      created_by_id: ctx.user.id,
      created_time: now,
      closed_time: CLOSED_STATUSES.includes(a.status) ? now : null,
    });
    await history.record(trx, caseId, 'activity_added', ctx.user.id, now, [
      { api_name: a.kind, old: null, new: a.subject },
    ]);
    results.push({
      code: 'SUCCESS' as const,
      details: { id, Created_Time: now },
      message: 'activity added',
      status: 'success' as const,
    });
  }
  return results;
}

export async function completeActivity(trx: Executor, ctx: ServiceContext, id: string) {
  const row = await repo.findActivityById(trx, id);
  if (!row) throw notFound(id);
  if (CLOSED_STATUSES.includes(row.status))
    throw apiError(400, 'INVALID_DATA', 'the activity is already completed', { api_name: 'Status' });
  const now = nowIso();
  await repo.closeActivity(trx, id, 'Completed', now);
  await history.record(trx, String(row.case_id), 'activity_completed', ctx.user.id, now, [
    { api_name: row.kind, old: row.status, new: 'Completed' },
  ]);
  return {
    code: 'SUCCESS' as const,
    details: { id },
    message: 'activity completed',
    status: 'success' as const,
  };
}

export async function listActivities(
  db: Executor,
  caseId: string,
  which: 'open' | 'closed',
  page: Page,
): Promise<{ data: ActivityRecord[]; info: ListInfo }> {
  await requireCase(db, caseId);
  const { data: rows, info } = pageInfo(
    await repo.activitiesOfCase(db, caseId, which, CLOSED_STATUSES, {
      limit: page.perPage + 1,
      offset: page.offset,
    }),
    page,
  );
  const users = await namesOf(
    db,
    'Users',
    rows.map((r) => r.owner_id),
  );
  const data = rows.map((r) => ({
    id: String(r.id),
    Activity_Type: r.kind as ActivityType,
    Subject: r.subject,
    Due_Date: r.due_time,
    End_DateTime: r.end_time,
    Status: r.status,
    Description: r.description,
    Owner: { id: String(r.owner_id), name: users.get(String(r.owner_id))?.name ?? '' },
    Created_Time: r.created_time,
    Closed_Time: r.closed_time,
  }));
  return { data, info };
}
