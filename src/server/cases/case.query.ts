import type { CaseRecord, ListInfo } from '../../shared/api-types';
import { type FieldDefinition, fieldByApiName } from '../../shared/case-fields';
import { isRecordId, isValidEmail } from '../../shared/validation';
import type { Dialect } from '../db/dialect';
import type { Executor } from '../db/executor';
import { apiError } from '../http/errors';
import { MAX_PAGE, MAX_PER_PAGE, pageNumber } from '../http/paging';
import { type Criteria, CriteriaError, parseCriteria } from './criteria';
import { DISCRETE_PAGINATION_LIMIT, decodePageToken, encodePageToken } from './page-token';
import * as repo from './case.repository';
import type { CaseColumn } from './case.repository';
import { columnOf, parseCaseNumber, toRecords } from './case.mapper';
import { type CaseCondition, allOf, compare, isAnyOf, isNoneOf } from './case-condition';

// A Map, not an object literal: a name from the query (`constructor`, `toString`) must not find Object's members.
export const SYSTEM_COLUMNS = new Map<string, CaseColumn>([
  ['id', 'id'],
  ['Created_Time', 'created_time'],
  ['Modified_Time', 'modified_time'],
  ['Created_By', 'created_by_id'],
  ['Modified_By', 'modified_by_id'],
  ['Case_Number', 'case_number'],
]);
export const SORTABLE = [
  'id',
  'Created_Time',
  'Modified_Time',
  'Case_Number',
  'Subject',
  'Status',
  'Priority',
  'Case_Origin',
  'Type',
];

export interface PageParams {
  page: number;
  perPage: number;
  /** Where the page starts: (page - 1) * perPage, or where a page_token says. */
  offset: number;
  sortBy: string;
  sortOrder: 'asc' | 'desc';
  fields?: string[];
}

type Query = Record<string, unknown>;

function param(query: Query, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string')
    throw apiError(400, 'INVALID_DATA', `${name} must be given once`, { param_name: name });
  return v;
}

/** page, per_page, sort_by, sort_order and fields, as Zoho's list and search APIs take them. */
export function pageParams(
  query: Query,
  fields: readonly FieldDefinition[],
  defaultSort = 'Modified_Time',
): PageParams {
  const rawToken = param(query, 'page_token');
  const token = rawToken === undefined ? undefined : decodePageToken(rawToken);
  const sortBy = token?.sortBy ?? param(query, 'sort_by') ?? defaultSort;
  if (!SORTABLE.includes(sortBy))
    throw apiError(400, 'INVALID_DATA', `sort_by must be one of ${SORTABLE.join(', ')}`, {
      param_name: 'sort_by',
    });
  const sortOrder = token?.sortOrder ?? param(query, 'sort_order') ?? 'desc';
  if (sortOrder !== 'asc' && sortOrder !== 'desc')
    throw apiError(400, 'INVALID_DATA', 'sort_order must be asc or desc', { param_name: 'sort_order' });
  const fieldList = param(query, 'fields')
    ?.split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  for (const name of fieldList ?? []) {
    if (!fieldByApiName(fields, name) && !SYSTEM_COLUMNS.has(name))
      throw apiError(400, 'INVALID_DATA', `fields: no such field ${name.slice(0, 60)}`, {
        param_name: 'fields',
        api_name: name.slice(0, 60),
      });
  }
  const perPage = pageNumber(query, 'per_page', MAX_PER_PAGE, MAX_PER_PAGE);
  // With a page_token, page is ignored (as Zoho does): the token says where the page starts.
  const page = token ? Math.floor(token.offset / perPage) + 1 : pageNumber(query, 'page', 1, MAX_PAGE);
  const offset = token ? token.offset : (page - 1) * perPage;
  if (!token && offset + perPage > DISCRETE_PAGINATION_LIMIT)
    throw apiError(
      400,
      'DISCRETE_PAGINATION_LIMIT_EXCEEDED',
      `page and per_page reach the first ${DISCRETE_PAGINATION_LIMIT} records; follow next_page_token past them`,
      { param_name: 'page', limit: DISCRETE_PAGINATION_LIMIT },
    );
  return { page, perPage, offset, sortBy, sortOrder, fields: fieldList };
}

export function sortColumn(sortBy: string, fields: readonly FieldDefinition[]): CaseColumn {
  const field = fieldByApiName(fields, sortBy);
  return SYSTEM_COLUMNS.get(sortBy) ?? (field && columnOf(field)) ?? 'modified_time';
}

function project(records: CaseRecord[], fields?: string[]): CaseRecord[] {
  if (!fields) return records;
  return records.map((r) => {
    const out: Record<string, unknown> = { id: r.id };
    for (const f of fields) out[f] = r[f];
    return out as CaseRecord;
  });
}

export interface Page {
  data: CaseRecord[];
  info: ListInfo;
}

export async function listPage(
  db: Executor,
  dialect: Dialect,
  fields: readonly FieldDefinition[],
  params: PageParams,
  where?: CaseCondition,
): Promise<Page> {
  const rows = await repo.listCases(db, dialect, {
    where,
    orderBy: sortColumn(params.sortBy, fields),
    direction: params.sortOrder,
    limit: params.perPage + 1,
    offset: params.offset,
  });
  const more = rows.length > params.perPage;
  const data = project(await toRecords(db, rows.slice(0, params.perPage), fields), params.fields);
  const order = { sortBy: params.sortBy, sortOrder: params.sortOrder };
  const next = more ? encodePageToken({ offset: params.offset + params.perPage, ...order }) : undefined;
  const previous =
    params.offset > 0
      ? encodePageToken({ offset: Math.max(0, params.offset - params.perPage), ...order })
      : undefined;
  return {
    data,
    info: {
      page: params.page,
      per_page: params.perPage,
      count: data.length,
      more_records: more,
      sort_by: params.sortBy,
      sort_order: params.sortOrder,
      next_page_token: next?.token ?? null,
      previous_page_token: previous?.token ?? null,
      page_token_expiry: (next ?? previous)?.expiry ?? null,
    },
  };
}

/** GET /Cases/actions/count: how many cases match (all of them without a condition). */
export async function countMatching(db: Executor, dialect: Dialect, where?: CaseCondition): Promise<number> {
  return repo.countCases(db, dialect, where);
}

/** GET /Cases?ids=…, If-Modified-Since: the records a plain list is narrowed to, if any. */
export function listCondition(query: Query, since?: Date): CaseCondition | undefined {
  let byId: CaseCondition | undefined;
  const ids = param(query, 'ids');
  if (ids !== undefined) {
    const list = ids.split(',').map((s) => s.trim());
    if (list.length > MAX_PER_PAGE || list.some((id) => !isRecordId(id)))
      throw apiError(400, 'INVALID_DATA', `ids: up to ${MAX_PER_PAGE} record ids, comma-separated`, {
        param_name: 'ids',
      });
    byId = { kind: 'in', column: 'id', values: list, negated: false };
  }
  return allOf(byId, since ? compare('modified_time', '>', since.toISOString()) : undefined);
}

/** A refused criteria; `apiName` names the field the problem is about, when there is one. */
function criteriaError(message: string, apiName?: string): never {
  throw apiError(400, 'INVALID_QUERY', message, {
    param_name: 'criteria',
    ...(apiName !== undefined ? { api_name: apiName.slice(0, 60) } : {}),
  });
}

/** Compile parsed criteria to SQL, refusing fields that cannot be searched and values of the wrong form. */
export function compileCriteria(criteria: Criteria, fields: readonly FieldDefinition[]): CaseCondition {
  if (criteria.kind !== 'condition')
    return { kind: criteria.kind, items: criteria.items.map((c) => compileCriteria(c, fields)) };
  const { operator } = criteria;
  const name = criteria.field.replace(/\.id$/, '');
  const field = fieldByApiName(fields, name);
  let column: CaseColumn | undefined = SYSTEM_COLUMNS.get(name);
  let normalize = (v: string): string | number => v;
  let textual = false;
  if (name === 'id' || name === 'Created_By' || name === 'Modified_By') {
    normalize = (v) => (isRecordId(v) ? v : criteriaError(`${name}: not a record id`, name));
  } else if (name === 'Case_Number') {
    normalize = (v) =>
      parseCaseNumber(v) ?? criteriaError(`Case_Number: ${v.slice(0, 30)} is not a case number`, name);
  } else if (name === 'Created_Time' || name === 'Modified_Time') {
    normalize = (v) => {
      const t = Date.parse(v);
      return Number.isNaN(t)
        ? criteriaError(`${name}: ${v.slice(0, 40)} is not a date-time`, name)
        : new Date(t).toISOString();
    };
  } else if (field && !field.custom && field.type !== 'textarea') {
    column = columnOf(field);
    if (field.type === 'lookup')
      normalize = (v) => (isRecordId(v) ? v : criteriaError(`${name}: not a record id`, name));
    else if (field.type === 'email') {
      column = 'email_lower';
      normalize = (v) => v.toLowerCase();
      textual = true;
    } else textual = true;
  }
  if (!column) criteriaError(`${criteria.field.slice(0, 60)} cannot be searched`, criteria.field);
  const col = column as CaseColumn;
  const values = criteria.values.map(normalize);
  switch (operator) {
    case 'equals':
    case 'in':
      return isAnyOf(col, values);
    case 'not_equal':
      return isNoneOf(col, values);
    case 'starts_with':
      if (!textual) criteriaError(`starts_with needs a text field, not ${name}`, name);
      return { kind: 'starts_with', column: col, prefix: String(values[0]) };
    default: {
      const op = ({ greater_than: '>', greater_equal: '>=', less_than: '<', less_equal: '<=' } as const)[
        operator
      ];
      return compare(col, op, values[0]);
    }
  }
}

/** GET /Cases/search: exactly one of criteria, email, phone, word. */
export function searchCondition(query: Query, fields: readonly FieldDefinition[]): CaseCondition {
  const given = ['criteria', 'email', 'phone', 'word'].filter((k) => query[k] !== undefined);
  if (given.length !== 1)
    throw apiError(400, 'REQUIRED_PARAM_MISSING', 'give exactly one of criteria, email, phone, word', {
      param_name: 'criteria',
    });
  const key = given[0];
  const value = (param(query, key) ?? '').trim();
  if (!value) throw apiError(400, 'INVALID_QUERY', `${key} is empty`, { param_name: key });
  if (value.length > 1000)
    throw apiError(400, 'INVALID_QUERY', `${key} longer than 1000 characters`, { param_name: key });
  switch (key) {
    case 'criteria':
      try {
        return compileCriteria(parseCriteria(value), fields);
      } catch (error) {
        if (error instanceof CriteriaError) criteriaError(`criteria: ${error.message}`);
        throw error;
      }
    case 'email':
      if (!isValidEmail(value))
        throw apiError(400, 'INVALID_QUERY', 'email is not an email address', { param_name: 'email' });
      return compare('email_lower', '=', value.toLowerCase());
    case 'phone':
      return compare('phone', '=', value);
    default: {
      const words = value.split(/\s+/).filter(Boolean).slice(0, 10);
      if (
        words.some((w) => Array.from(w).length < 2) &&
        words.length === 1 &&
        parseCaseNumber(value) === undefined
      )
        throw apiError(400, 'INVALID_QUERY', 'word must have at least 2 characters', { param_name: 'word' });
      const caseNumber = words.length === 1 ? parseCaseNumber(words[0]) : undefined;
      const email = words.length === 1 && isValidEmail(words[0]) ? words[0] : undefined;
      return { kind: 'words', words, caseNumber, email };
    }
  }
}
