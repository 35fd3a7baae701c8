import type { FieldDefinition } from '../../shared/case-fields';
import { fieldByApiName } from '../../shared/case-fields';
import { isRecordId } from '../../shared/validation';
import type { CustomView, CustomViewInput, ViewCriteria } from '../../shared/view-types';
import { compileCriteria, SORTABLE, SYSTEM_COLUMNS, sortColumn } from '../cases/case.query';
import { type CaseCondition, allOf } from '../cases/case-condition';
import type { CaseColumn } from '../cases/case.repository';
import { type Criteria, CriteriaError, parseCriteria } from '../cases/criteria';
import type { Dialect } from '../db/dialect';
import { type Executor, nowIso } from '../db/executor';
import type { CurrentUser } from '../http/context';
import { apiError } from '../http/errors';
import { namesOf } from '../lookups/lookup.repository';
import { BUILT_IN_VIEWS, type BuiltInView, builtInView } from './builtin-views';
import * as repo from './views.repository';

/**
 * Custom views: who sees and changes what, validation of what is saved, and what a view means for a list.
 * A private view (only_to_me) is its owner's alone; a shared one (public) is read by everyone and changed only by
 * admins, who alone may share. Built-in views are read-only.
 */

export const DEFAULT_COLUMNS = ['Case_Number', 'Subject', 'Status', 'Priority', 'Owner', 'Created_Time'];
const MAX_COLUMNS = 50;
const MAX_VIEWS_PER_USER = 200;

export interface ViewContext {
  db: Executor;
  dialect: Dialect;
  fields: readonly FieldDefinition[];
  user: CurrentUser;
}

/** Zoho's criteria object for parsed search-grammar criteria (Zoho spells `equals` as `equal` there). */
export function criteriaObject(criteria: Criteria): ViewCriteria {
  if (criteria.kind !== 'condition')
    return { group_operator: criteria.kind, group: criteria.items.map(criteriaObject) };
  return {
    comparator: criteria.operator === 'equals' ? 'equal' : criteria.operator,
    field: { api_name: criteria.field },
    value: criteria.values.length === 1 ? criteria.values[0] : criteria.values,
  };
}

function parsedObject(text: string | null): ViewCriteria | null {
  if (!text) return null;
  try {
    return criteriaObject(parseCriteria(text));
  } catch {
    return null; // saved criteria were checked on save; the built-ins' placeholders are not meant to be parsed back
  }
}

function columnsOf(json: string): { api_name: string }[] {
  try {
    const list: unknown = JSON.parse(json);
    if (Array.isArray(list))
      return list.filter((f) => typeof f === 'string').map((api_name) => ({ api_name }));
  } catch {
    // a damaged column reads as the default columns
  }
  return DEFAULT_COLUMNS.map((api_name) => ({ api_name }));
}

function builtInToApi(view: BuiltInView): CustomView {
  return {
    id: view.id,
    name: view.name,
    display_value: view.name,
    system_name: view.systemName,
    system_defined: true,
    default: view.id === BUILT_IN_VIEWS[0].id,
    category: 'public_views',
    access_type: 'public',
    sort_by: null,
    sort_order: null,
    criteria: parsedObject(view.criteria),
    search_criteria: null,
    fields: DEFAULT_COLUMNS.map((api_name) => ({ api_name })),
    created_by: null,
    created_time: null,
    modified_time: null,
    editable: false,
  };
}

function mayEdit(row: repo.CustomViewRow, user: CurrentUser): boolean {
  return row.shared ? user.role === 'admin' : String(row.owner_id) === user.id;
}

function rowToApi(row: repo.CustomViewRow, user: CurrentUser, ownerName: string): CustomView {
  const mine = String(row.owner_id) === user.id;
  return {
    id: String(row.id),
    name: row.name,
    display_value: row.name,
    system_name: null,
    system_defined: false,
    default: false,
    category: row.shared ? 'public_views' : mine ? 'created_by_me' : 'shared_with_me',
    access_type: row.shared ? 'public' : 'only_to_me',
    sort_by: row.sort_by ? { api_name: row.sort_by } : null,
    sort_order: row.sort_order === 'asc' || row.sort_order === 'desc' ? row.sort_order : null,
    criteria: parsedObject(row.criteria),
    search_criteria: row.criteria,
    fields: columnsOf(row.fields_json),
    created_by: { id: String(row.owner_id), name: ownerName },
    created_time: row.created_time,
    modified_time: row.modified_time,
    editable: mayEdit(row, user),
  };
}

async function toApi(db: Executor, rows: repo.CustomViewRow[], user: CurrentUser): Promise<CustomView[]> {
  const names = await namesOf(
    db,
    'Users',
    rows.map((r) => r.owner_id),
  );
  return rows.map((r) => rowToApi(r, user, names.get(String(r.owner_id))?.name ?? ''));
}

/** GET /settings/custom_views: the built-in views, then the caller's own and the shared ones. */
export async function listViews(db: Executor, user: CurrentUser): Promise<CustomView[]> {
  return [
    ...BUILT_IN_VIEWS.map(builtInToApi),
    ...(await toApi(db, await repo.visibleViews(db, user.id), user)),
  ];
}

/** A saved view the caller may read; undefined for none (another's private view reads as none). */
async function readableRow(db: Executor, id: string, user: CurrentUser) {
  if (!isRecordId(id)) return undefined;
  const row = await repo.findView(db, id);
  return row && (row.shared || String(row.owner_id) === user.id) ? row : undefined;
}

export async function getView(db: Executor, id: string, user: CurrentUser): Promise<CustomView | undefined> {
  const builtIn = builtInView(id);
  if (builtIn) return builtInToApi(builtIn);
  const row = await readableRow(db, id, user);
  return row ? (await toApi(db, [row], user))[0] : undefined;
}

const invalid = (api_name: string, message: string): never => {
  throw apiError(400, 'INVALID_DATA', `${api_name}: ${message}`, { api_name });
};

interface ValidView {
  name: string;
  criteria: string | null;
  sort_by: string | null;
  sort_order: 'asc' | 'desc' | null;
  fields_json: string;
  shared: number;
}

function validCriteria(ctx: ViewContext, criteria: unknown): string | null {
  if (criteria === undefined || criteria === null || criteria === '') return null;
  if (typeof criteria !== 'string')
    return invalid('criteria', 'expected criteria text, e.g. (Status:equals:New)');
  try {
    compileCriteria(parseCriteria(criteria), ctx.fields);
  } catch (error) {
    if (error instanceof CriteriaError) invalid('criteria', error.message);
    throw error; // compileCriteria's own 400 names criteria and the field
  }
  return criteria;
}

function validColumns(ctx: ViewContext, fields: CustomViewInput['fields']): string {
  if (fields === undefined) return JSON.stringify(DEFAULT_COLUMNS);
  if (!Array.isArray(fields) || fields.length === 0 || fields.length > MAX_COLUMNS)
    invalid('fields', `from 1 to ${MAX_COLUMNS} columns`);
  const names = fields.map((f) => f.api_name);
  for (const name of names)
    if (!fieldByApiName(ctx.fields, name) && !SYSTEM_COLUMNS.has(name))
      invalid('fields', `no such field ${name.slice(0, 60)}`);
  return JSON.stringify([...new Set(names)]);
}

/** Check a create or a full replacement; throws a 400 naming the property, or a 403 for sharing without admin. */
function validate(ctx: ViewContext, input: CustomViewInput): ValidView {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (!name || name.length > 120) invalid('name', 'required text of at most 120 characters');
  const sortBy = input.sort_by?.api_name ?? null;
  if (sortBy !== null && !SORTABLE.includes(sortBy)) invalid('sort_by', `one of ${SORTABLE.join(', ')}`);
  const sortOrder = input.sort_order ?? (sortBy ? 'desc' : null);
  const shared = input.access_type === 'public';
  if (shared && ctx.user.role !== 'admin')
    throw apiError(403, 'NO_PERMISSION', 'access_type: only an administrator shares a view with the team', {
      api_name: 'access_type',
    });
  return {
    name,
    criteria: validCriteria(ctx, input.criteria),
    sort_by: sortBy,
    sort_order: sortOrder,
    fields_json: validColumns(ctx, input.fields),
    shared: shared ? 1 : 0,
  };
}

export async function createView(trx: Executor, ctx: ViewContext, input: CustomViewInput): Promise<string> {
  const valid = validate(ctx, input);
  const own = (await repo.visibleViews(trx, ctx.user.id)).filter((r) => String(r.owner_id) === ctx.user.id);
  if (own.length >= MAX_VIEWS_PER_USER)
    throw apiError(400, 'LIMIT_EXCEEDED', `at most ${MAX_VIEWS_PER_USER} views per user`, {
      api_name: 'name',
    });
  const now = nowIso();
  return repo.insertView(trx, { ...valid, owner_id: ctx.user.id, created_time: now, modified_time: now });
}

/** The saved view the caller may change: 404 when they cannot read it, 403 when they may only read it. */
async function editableRow(trx: Executor, id: string, user: CurrentUser): Promise<repo.CustomViewRow> {
  if (builtInView(id))
    throw apiError(403, 'NO_PERMISSION', 'a system-defined view cannot be changed', { id });
  const row = await readableRow(trx, id, user);
  if (!row) throw apiError(404, 'INVALID_DATA', 'no such custom view', { id: id.slice(0, 30) });
  if (!mayEdit(row, user))
    throw apiError(403, 'NO_PERMISSION', 'only an administrator changes a shared view', { id });
  return row;
}

/** PUT: what is given replaces the stored value, the rest stays; the result is checked as a whole. */
export async function updateView(
  trx: Executor,
  ctx: ViewContext,
  id: string,
  patch: Partial<CustomViewInput>,
): Promise<void> {
  const row = await editableRow(trx, id, ctx.user);
  const stored: CustomViewInput = {
    name: row.name,
    criteria: row.criteria,
    sort_by: row.sort_by ? { api_name: row.sort_by } : null,
    sort_order: row.sort_order === 'asc' || row.sort_order === 'desc' ? row.sort_order : null,
    fields: columnsOf(row.fields_json),
    access_type: row.shared ? 'public' : 'only_to_me',
  };
  await repo.updateView(trx, id, { ...validate(ctx, { ...stored, ...patch }), modified_time: nowIso() });
}

export async function removeView(trx: Executor, user: CurrentUser, id: string): Promise<void> {
  await editableRow(trx, id, user);
  await repo.deleteView(trx, id);
}

/** What a view means for a list: a condition on cases and, when the view has one, its sort. */
export interface ResolvedView {
  id: string;
  where: CaseCondition | undefined;
  sort: { column: CaseColumn; sortBy: string; direction: 'asc' | 'desc' } | undefined;
}

const badCvid = (message: string): never => {
  throw apiError(400, 'INVALID_DATA', `cvid: ${message}`, { param_name: 'cvid' });
};

/** The `cvid` of a list request: unknown, malformed and another's private view are all the same 400. */
export async function resolveView(ctx: ViewContext, cvid: unknown, now = new Date()): Promise<ResolvedView> {
  if (typeof cvid !== 'string' || !isRecordId(cvid)) return badCvid('expected a custom view id');
  const builtIn = builtInView(cvid);
  if (builtIn) return { id: cvid, where: builtIn.where({ userId: ctx.user.id, now }), sort: undefined };
  const row = await readableRow(ctx.db, cvid, ctx.user);
  if (!row) return badCvid('no such custom view');
  let where: CaseCondition | undefined;
  try {
    where = row.criteria ? compileCriteria(parseCriteria(row.criteria), ctx.fields) : undefined;
  } catch {
    // the layout changed under a saved view (a field it filters on is gone): say so rather than list everything
    return badCvid('the view filters on a field that can no longer be searched; edit the view');
  }
  const direction = row.sort_order === 'asc' ? 'asc' : 'desc';
  const sort = row.sort_by
    ? {
        column: sortColumn(row.sort_by, ctx.fields),
        sortBy: row.sort_by,
        direction: direction as 'asc' | 'desc',
      }
    : undefined;
  return { id: cvid, where, sort };
}

type Query = Record<string, unknown>;

/**
 * GET /Cases?cvid=…: the view's condition joined to the list's own, and the view's sort unless the request names
 * one (or follows a page_token, which carries the sort it started with).
 */
export async function withCvid(
  ctx: ViewContext,
  query: Query,
  where: CaseCondition | undefined,
): Promise<{ query: Query; where: CaseCondition | undefined }> {
  if (query.cvid === undefined) return { query, where };
  const view = await resolveView(ctx, query.cvid);
  const combined = allOf(where, view.where);
  const ownSort = query.sort_by !== undefined || query.page_token !== undefined;
  const sorted =
    view.sort && !ownSort
      ? { ...query, sort_by: view.sort.sortBy, sort_order: query.sort_order ?? view.sort.direction }
      : query;
  return { query: sorted, where: combined };
}
