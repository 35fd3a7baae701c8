import type { FieldDefinition } from '../../shared/case-fields';
import type { AggregateFn, Comparison, Condition, Expr, FieldPath, Query } from './coql.ast';
import { isJunction, keyOf } from './coql.ast';
import { CoqlError, invalidQuery, limitExceeded } from './coql.errors';
import { type CoqlType, type ResolvedField, resolveField } from './coql.fields';
import { bindValue, likePattern, type SqlValue } from './coql.values';

/** Zoho's COQL limits for API v6. */
export const COQL_LIMITS = {
  defaultLimit: 200,
  maxLimit: 2000,
  /** LIMIT and OFFSET reach at most this many records (v6: 10,000). */
  maxReach: 10_000,
  selectFields: 50,
  criteria: 25,
  inValues: 50,
  aggregates: 5,
  groupBy: 4,
  orderBy: 10,
} as const;

export type { SqlValue };

export interface PlanJunction {
  kind: 'and' | 'or';
  left: PlanExpr;
  right: PlanExpr;
}
export type PlanCondition =
  | { kind: 'compare'; field: ResolvedField; op: Comparison; value: SqlValue }
  | { kind: 'like'; field: ResolvedField; negated: boolean; pattern: string }
  | { kind: 'in'; field: ResolvedField; negated: boolean; values: SqlValue[] }
  | { kind: 'between'; field: ResolvedField; negated: boolean; low: SqlValue; high: SqlValue }
  | { kind: 'null'; field: ResolvedField; negated: boolean };
export type PlanExpr = PlanJunction | PlanCondition;

export function isPlanJunction(e: PlanExpr): e is PlanJunction {
  return e.kind === 'and' || e.kind === 'or';
}

export type PlanItem =
  | { kind: 'field'; key: string; field: ResolvedField }
  | { kind: 'aggregate'; key: string; fn: AggregateFn; field: ResolvedField };

export interface PlanOrder {
  /** A field, or the index of the aggregate in `items` it sorts by. */
  target: ResolvedField | number;
  direction: 'asc' | 'desc';
}

/** A query checked against the field registry: everything the repository needs, every value typed and bound later. */
export interface Plan {
  items: PlanItem[];
  aggregate: boolean;
  where: PlanExpr;
  groupBy: ResolvedField[];
  orderBy: PlanOrder[];
  limit: number;
  offset: number;
}

const ORDERED: readonly CoqlType[] = ['number', 'datetime', 'date', 'autonumber'];
const TEXTUAL: readonly CoqlType[] = ['text', 'email', 'picklist'];

function operatorRefused(field: ResolvedField, operator: string): never {
  throw invalidQuery('invalid operator found', field.key, { operator });
}

function criterionField(path: FieldPath, fields: readonly FieldDefinition[]): ResolvedField {
  const field = resolveField(path, fields);
  if (field.type === 'textarea')
    throw invalidQuery('multi-line fields cannot be used in criteria', field.key);
  return field;
}

function planCondition(c: Condition, fields: readonly FieldDefinition[]): PlanExpr {
  const field = criterionField(c.path, fields);
  const { type } = field;
  switch (c.kind) {
    case 'compare':
      if (c.op !== '=' && c.op !== '!=' && !ORDERED.includes(type)) operatorRefused(field, c.op);
      return { kind: 'compare', field, op: c.op, value: bindValue(field, c.value) };
    case 'like':
      if (!TEXTUAL.includes(type)) operatorRefused(field, c.negated ? 'not like' : 'like');
      return { kind: 'like', field, negated: c.negated, pattern: likePattern(field, c.pattern) };
    case 'in':
      if (type === 'boolean') operatorRefused(field, c.negated ? 'not in' : 'in');
      if (c.values.length > COQL_LIMITS.inValues)
        throw limitExceeded('where', COQL_LIMITS.inValues, `at most ${COQL_LIMITS.inValues} values in IN`);
      return { kind: 'in', field, negated: c.negated, values: c.values.map((v) => bindValue(field, v)) };
    case 'between':
      if (!ORDERED.includes(type)) operatorRefused(field, 'between');
      return {
        kind: 'between',
        field,
        negated: c.negated,
        low: bindValue(field, c.low),
        high: bindValue(field, c.high),
      };
    case 'null':
      return { kind: 'null', field, negated: c.negated };
  }
}

function planWhere(e: Expr, fields: readonly FieldDefinition[], count: { n: number }): PlanExpr {
  if (isJunction(e))
    return { kind: e.kind, left: planWhere(e.left, fields, count), right: planWhere(e.right, fields, count) };
  if (++count.n > COQL_LIMITS.criteria)
    throw limitExceeded('where', COQL_LIMITS.criteria, `at most ${COQL_LIMITS.criteria} criteria in WHERE`);
  return planCondition(e, fields);
}

function planItem(item: Query['select'][number], fields: readonly FieldDefinition[]): PlanItem {
  const field = resolveField(item.path, fields);
  if (item.kind === 'field') return { kind: 'field', key: keyOf(item), field };
  const { fn } = item;
  const fits =
    fn === 'COUNT'
      ? field.type !== 'textarea'
      : fn === 'SUM' || fn === 'AVG'
        ? field.type === 'number'
        : ORDERED.includes(field.type);
  if (!fits) throw invalidQuery(`${fn} cannot be applied to this field`, field.key, { aggregate: fn });
  return { kind: 'aggregate', key: keyOf(item), fn, field };
}

function checkLimits(q: Query): { limit: number; offset: number } {
  const limit = q.limit ?? COQL_LIMITS.defaultLimit;
  const offset = q.offset ?? 0;
  if (limit > COQL_LIMITS.maxLimit)
    throw limitExceeded('limit', COQL_LIMITS.maxLimit, `at most ${COQL_LIMITS.maxLimit} records per query`);
  if (limit < 1) throw invalidQuery('limit must be at least 1', undefined, { clause: 'limit' });
  if (offset + limit > COQL_LIMITS.maxReach)
    throw limitExceeded(
      'offset',
      COQL_LIMITS.maxReach,
      `LIMIT and OFFSET reach at most ${COQL_LIMITS.maxReach} records`,
    );
  if (q.select.length > COQL_LIMITS.selectFields)
    throw limitExceeded(
      'select',
      COQL_LIMITS.selectFields,
      `at most ${COQL_LIMITS.selectFields} fields in SELECT`,
    );
  if (q.select.filter((s) => s.kind === 'aggregate').length > COQL_LIMITS.aggregates)
    throw limitExceeded(
      'select',
      COQL_LIMITS.aggregates,
      `at most ${COQL_LIMITS.aggregates} aggregate functions`,
    );
  if (q.groupBy.length > COQL_LIMITS.groupBy)
    throw limitExceeded('group by', COQL_LIMITS.groupBy, `at most ${COQL_LIMITS.groupBy} fields in GROUP BY`);
  if (q.orderBy.length > COQL_LIMITS.orderBy)
    throw limitExceeded('order by', COQL_LIMITS.orderBy, `at most ${COQL_LIMITS.orderBy} fields in ORDER BY`);
  return { limit, offset };
}

function noDuplicates(clause: string, keys: string[]): void {
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key))
      throw new CoqlError('DUPLICATE_DATA', `${key} appears twice in ${clause.toUpperCase()}`, {
        clause,
        api_name: key,
      });
    seen.add(key);
  }
}

function orderTarget(
  o: Query['orderBy'][number],
  items: PlanItem[],
  aggregate: boolean,
  grouped: Set<string>,
  fields: readonly FieldDefinition[],
): ResolvedField | number {
  const key =
    o.target.kind === 'aggregate' ? `${o.target.fn}(${o.target.path.join('.')})` : o.target.path.join('.');
  const t = o.target;
  if (t.kind === 'aggregate') {
    const index = items.findIndex(
      (i) => i.kind === 'aggregate' && i.fn === t.fn && i.field.key === t.path.join('.'),
    );
    if (index < 0) throw invalidQuery('an aggregate in ORDER BY must also be in SELECT', key);
    return index;
  }
  // An alias sorts by its item: `select COUNT(id) as n … order by n desc`.
  const aliased = t.path.length === 1 ? items.findIndex((i) => i.key === key) : -1;
  if (aliased >= 0) {
    const item = items[aliased];
    if (item.kind === 'aggregate') return aliased;
    if (!aggregate || grouped.has(item.field.key)) return item.field;
  }
  const field = criterionField(t.path, fields);
  if (aggregate && !grouped.has(field.key))
    throw invalidQuery('with aggregate functions, ORDER BY takes GROUP BY fields and aggregates', key);
  return field;
}

/** ORDER BY as written, then tie-breakers so that both engines return rows in one order: id, or the groups. */
function planOrder(
  q: Query,
  items: PlanItem[],
  aggregate: boolean,
  groupBy: ResolvedField[],
  fields: readonly FieldDefinition[],
): PlanOrder[] {
  const grouped = new Set(groupBy.map((g) => g.key));
  const orderBy: PlanOrder[] = q.orderBy.map((o) => ({
    target: orderTarget(o, items, aggregate, grouped, fields),
    direction: o.direction,
  }));
  const sorted = new Set(orderBy.map((o) => (typeof o.target === 'number' ? '' : o.target.key)));
  const ties = aggregate ? groupBy : [resolveField(['id'], fields)];
  for (const field of ties) if (!sorted.has(field.key)) orderBy.push({ target: field, direction: 'asc' });
  return orderBy;
}

/** Check a parsed query against the organisation's fields and Zoho's rules; the result is safe to compile. */
export function planQuery(q: Query, fields: readonly FieldDefinition[]): Plan {
  if (q.module !== 'Cases')
    throw invalidQuery('invalid module given', undefined, { module: q.module.slice(0, 100) });
  const { limit, offset } = checkLimits(q);
  const items = q.select.map((s) => planItem(s, fields));
  noDuplicates(
    'group by',
    q.groupBy.map((p) => p.join('.')),
  );
  noDuplicates(
    'order by',
    q.orderBy.map((o) =>
      o.target.kind === 'aggregate' ? `${o.target.fn}(${o.target.path.join('.')})` : o.target.path.join('.'),
    ),
  );
  const groupBy = q.groupBy.map((p) => criterionField(p, fields));
  const aggregate = groupBy.length > 0 || items.some((i) => i.kind === 'aggregate');
  if (aggregate) {
    const grouped = new Set(groupBy.map((g) => g.key));
    for (const item of items)
      if (item.kind === 'field' && !grouped.has(item.field.key))
        throw invalidQuery('a field selected with aggregate functions must be in GROUP BY', item.field.key);
  }
  const where = planWhere(q.where, fields, { n: 0 });
  const orderBy = planOrder(q, items, aggregate, groupBy, fields);
  return { items, aggregate, where, groupBy, orderBy, limit, offset };
}
