import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from '../db/dialect';
import type { Executor } from '../db/executor';
import type { ResolvedField, Join } from './coql.fields';
import { isPlanJunction, type Plan, type PlanExpr, type PlanItem, type SqlValue } from './coql.planner';

/**
 * The only SQL of COQL: a checked plan composed with Kysely's sql template. Identifiers go through sql.ref/sql.id
 * (quoted), operators and functions come from fixed lists, and every value from the query is a bound parameter.
 *
 * Result columns: `id` and `c<i>` per select item (plain queries; `custom_fields` when a custom field is selected),
 * or `g<i>` per GROUP BY field and `c<i>` per aggregate (aggregate queries).
 */
export type CoqlRow = Record<string, unknown>;

type Sql = RawBuilder<unknown>;

/** Columns that are never NULL sort without a NULLS clause, so that the engines can walk their indexes. */
const NOT_NULL = new Set([
  'id',
  'case_number',
  'subject',
  'status',
  'case_origin',
  'created_time',
  'modified_time',
  'created_by_id',
  'modified_by_id',
]);

function valueExpr(dialect: Dialect, field: ResolvedField, forFilter = false): Sql {
  const ref = (forFilter && field.filterRef) || field.ref;
  if (ref.kind === 'column') return sql.ref(`cases.${ref.column}`);
  if (ref.kind === 'custom') {
    const type = field.type === 'number' ? 'number' : field.type === 'boolean' ? 'boolean' : 'text';
    return dialect.customFieldValue(ref.apiName, type);
  }
  const at = (column: string) => sql.ref(`${ref.join.alias}.${column}`);
  if (ref.column === 'Full_Name')
    return sql`(coalesce(${at('first_name')} || ' ', '') || ${at('last_name')})`;
  return at(ref.column);
}

function bind(dialect: Dialect, value: SqlValue): SqlValue {
  return typeof value === 'boolean' ? dialect.bool(value) : value;
}

function whereExpr(dialect: Dialect, e: PlanExpr): Sql {
  if (isPlanJunction(e))
    return sql`(${whereExpr(dialect, e.left)} ${sql.raw(e.kind)} ${whereExpr(dialect, e.right)})`;
  const target = valueExpr(dialect, e.field, true);
  const not = sql.raw('negated' in e && e.negated ? 'not ' : '');
  switch (e.kind) {
    case 'compare':
      return sql`${target} ${sql.raw(e.op)} ${bind(dialect, e.value)}`;
    case 'like':
      return sql`${target} ${not}${dialect.like} ${e.pattern} escape '\\'`;
    case 'in':
      return sql`${target} ${not}in (${sql.join(e.values.map((v) => bind(dialect, v)))})`;
    case 'between':
      return sql`${target} ${not}between ${bind(dialect, e.low)} and ${bind(dialect, e.high)}`;
    case 'null':
      // `id is not null` is how Zoho's COQL says "every record"; said of a column that is never NULL it is
      // spelled as a constant, so that PostgreSQL 15 need not read the table to check it and can answer a
      // GROUP BY from an index alone.
      if (!nullable(e.field)) return sql.raw(e.negated ? '1 = 1' : '1 = 0');
      return sql`${target} is ${sql.raw(e.negated ? 'not null' : 'null')}`;
  }
}

function fieldsOf(e: PlanExpr): ResolvedField[] {
  return isPlanJunction(e) ? [...fieldsOf(e.left), ...fieldsOf(e.right)] : [e.field];
}

/** One LEFT JOIN per lookup reached through a dot (Owner.email joins users once, however often it is named). */
function joinsOf(plan: Plan): Sql[] {
  const fields = [
    ...plan.items.map((i) => i.field),
    ...fieldsOf(plan.where),
    ...plan.groupBy,
    ...plan.orderBy.flatMap((o) => (typeof o.target === 'number' ? [] : [o.target])),
  ];
  const joins = new Map<string, Join>();
  for (const f of fields) if (f.ref.kind === 'joined') joins.set(f.ref.join.alias, f.ref.join);
  return [...joins.values()].map(
    (j) =>
      sql`left join ${sql.table(j.table)} as ${sql.id(j.alias)} on ${sql.ref(`${j.alias}.id`)} = ${sql.ref(`cases.${j.on}`)}`,
  );
}

function aggregateExpr(dialect: Dialect, item: Extract<PlanItem, { kind: 'aggregate' }>): Sql {
  // COUNT of a column that is never NULL counts rows; count(*) spares the engines a NULL check per row.
  if (item.fn === 'COUNT' && !nullable(item.field)) return sql`count(*)`;
  return sql`${sql.raw(item.fn.toLowerCase())}(${valueExpr(dialect, item.field)})`;
}

function nullable(field: ResolvedField): boolean {
  return !(field.ref.kind === 'column' && NOT_NULL.has(field.ref.column));
}

function direction(dir: 'asc' | 'desc', mayBeNull: boolean): Sql {
  // SQLite's own NULL order (first ascending, last descending), spelled out so PostgreSQL returns the same.
  if (!mayBeNull) return sql.raw(dir);
  return sql.raw(dir === 'asc' ? 'asc nulls first' : 'desc nulls last');
}

function plainSelect(dialect: Dialect, plan: Plan): { columns: Sql[]; order: Sql[] } {
  const columns: Sql[] = [sql`${sql.ref('cases.id')} as ${sql.id('id')}`];
  plan.items.forEach((item, i) => {
    if (item.field.ref.kind !== 'custom')
      columns.push(sql`${valueExpr(dialect, item.field)} as ${sql.id(`c${i}`)}`);
  });
  // Custom values are read from their JSON in the service, so that they keep their JSON types on both engines.
  if (plan.items.some((i) => i.field.ref.kind === 'custom'))
    columns.push(sql`${sql.ref('cases.custom_fields')} as ${sql.id('custom_fields')}`);
  const order = plan.orderBy.map((o) => {
    const field = o.target as ResolvedField;
    return sql`${valueExpr(dialect, field)} ${direction(o.direction, nullable(field))}`;
  });
  return { columns, order };
}

/**
 * Groups and aggregates are selected under aliases, and GROUP BY / ORDER BY name those aliases: a custom field's
 * expression carries a bound JSON key, and PostgreSQL would not see `->> $1` and `->> $4` as one expression.
 */
function aggregateSelect(dialect: Dialect, plan: Plan): { columns: Sql[]; group: Sql[]; order: Sql[] } {
  const columns = plan.groupBy.map((g, i) => sql`${valueExpr(dialect, g)} as ${sql.id(`g${i}`)}`);
  plan.items.forEach((item, i) => {
    if (item.kind === 'aggregate') columns.push(sql`${aggregateExpr(dialect, item)} as ${sql.id(`c${i}`)}`);
  });
  const group = plan.groupBy.map((_, i) => sql.id(`g${i}`));
  const order = plan.orderBy.map((o) => {
    if (typeof o.target === 'number') {
      const item = plan.items[o.target] as Extract<PlanItem, { kind: 'aggregate' }>;
      return sql`${sql.id(`c${o.target}`)} ${direction(o.direction, item.fn !== 'COUNT')}`;
    }
    const index = plan.groupBy.findIndex((g) => g.key === (o.target as ResolvedField).key);
    return sql`${sql.id(`g${index}`)} ${direction(o.direction, nullable(o.target))}`;
  });
  return { columns, group, order };
}

/** The statement for a plan; one row more than the limit is asked for, to tell whether more records exist. */
export function coqlStatement(dialect: Dialect, plan: Plan): RawBuilder<CoqlRow> {
  const joins = joinsOf(plan);
  const where = whereExpr(dialect, plan.where);
  const from = joins.length ? sql`${sql.table('cases')} ${sql.join(joins, sql` `)}` : sql.table('cases');
  const page = sql`limit ${plan.limit + 1} offset ${plan.offset}`;
  const sorted = (order: Sql[]) => (order.length ? sql`order by ${sql.join(order)}` : sql``);
  if (!plan.aggregate) {
    const { columns, order } = plainSelect(dialect, plan);
    return sql<CoqlRow>`select ${sql.join(columns)} from ${from} where ${where} ${sorted(order)} ${page}`;
  }
  const { columns, group, order } = aggregateSelect(dialect, plan);
  const grouping = group.length ? sql`group by ${sql.join(group)}` : sql``;
  return sql<CoqlRow>`select ${sql.join(columns)} from ${from} where ${where} ${grouping} ${sorted(order)} ${page}`;
}

export async function selectCoql(db: Executor, dialect: Dialect, plan: Plan): Promise<CoqlRow[]> {
  return (await coqlStatement(dialect, plan).execute(db)).rows;
}
