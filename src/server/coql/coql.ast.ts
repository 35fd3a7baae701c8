/** The parsed form of a COQL query, before any field is looked up: what the parser builds and the printer prints. */

export const AGGREGATES = ['COUNT', 'SUM', 'MIN', 'MAX', 'AVG'] as const;
export type AggregateFn = (typeof AGGREGATES)[number];

export const COMPARISONS = ['=', '!=', '<', '>', '<=', '>='] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** A field as written: `Subject` is ['Subject'], `Owner.email` is ['Owner', 'email']. */
export type FieldPath = string[];

export type SelectItem =
  | { kind: 'field'; path: FieldPath; alias?: string }
  | { kind: 'aggregate'; fn: AggregateFn; path: FieldPath; alias?: string };

/** Numbers keep their text so that 0.1 or 12345678901234567890 reach the planner exactly as written. */
export type Value =
  { kind: 'string'; value: string } | { kind: 'number'; value: string } | { kind: 'boolean'; value: boolean };

export type Condition =
  | { kind: 'compare'; path: FieldPath; op: Comparison; value: Value }
  | { kind: 'like'; path: FieldPath; negated: boolean; pattern: string }
  | { kind: 'in'; path: FieldPath; negated: boolean; values: Value[] }
  | { kind: 'between'; path: FieldPath; negated: boolean; low: Value; high: Value }
  | { kind: 'null'; path: FieldPath; negated: boolean };

/** and/or as a binary tree, left-associative, so printing with parentheses parses back to the same tree. */
export interface Junction {
  kind: 'and' | 'or';
  left: Expr;
  right: Expr;
}
export type Expr = Condition | Junction;

export function isJunction(e: Expr): e is Junction {
  return e.kind === 'and' || e.kind === 'or';
}

export type OrderTarget =
  { kind: 'field'; path: FieldPath } | { kind: 'aggregate'; fn: AggregateFn; path: FieldPath };

export interface OrderItem {
  target: OrderTarget;
  direction: 'asc' | 'desc';
}

export interface Query {
  select: SelectItem[];
  module: string;
  /** Zoho's COQL v6 requires WHERE (`where id is not null` selects every record). */
  where: Expr;
  groupBy: FieldPath[];
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
}

/** Words that end or structure a clause; a field with such a name must be quoted. */
export const RESERVED = new Set([
  'select',
  'from',
  'where',
  'and',
  'or',
  'not',
  'in',
  'like',
  'between',
  'is',
  'null',
  'group',
  'by',
  'order',
  'asc',
  'desc',
  'limit',
  'offset',
  'as',
]);

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function printPath(path: FieldPath): string {
  const plain = path.every((p) => IDENT.test(p) && !RESERVED.has(p.toLowerCase()));
  return plain ? path.join('.') : `"${path.join('.').replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function printString(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

function printValue(v: Value): string {
  if (v.kind === 'string') return printString(v.value);
  return String(v.value);
}

function printTarget(t: OrderTarget | SelectItem): string {
  return t.kind === 'aggregate' ? `${t.fn}(${printPath(t.path)})` : printPath(t.path);
}

export function printCondition(c: Condition): string {
  const field = printPath(c.path);
  const not = 'negated' in c && c.negated ? 'not ' : '';
  switch (c.kind) {
    case 'compare':
      return `${field} ${c.op} ${printValue(c.value)}`;
    case 'like':
      return `${field} ${not}like ${printString(c.pattern)}`;
    case 'in':
      return `${field} ${not}in (${c.values.map(printValue).join(', ')})`;
    case 'between':
      return `${field} ${not}between ${printValue(c.low)} and ${printValue(c.high)}`;
    case 'null':
      return `${field} is ${not}null`;
  }
}

export function printExpr(e: Expr): string {
  if (isJunction(e)) return `(${printExpr(e.left)} ${e.kind} ${printExpr(e.right)})`;
  return printCondition(e);
}

/** The canonical text of a query; parse(print(q)) gives q back (the property tests hold the parser to it). */
export function printQuery(q: Query): string {
  const items = q.select.map(
    (s) => printTarget(s) + (s.alias !== undefined ? ` as ${printString(s.alias)}` : ''),
  );
  const parts = [`select ${items.join(', ')} from ${q.module}`];
  parts.push(`where ${printExpr(q.where)}`);
  if (q.groupBy.length) parts.push(`group by ${q.groupBy.map(printPath).join(', ')}`);
  if (q.orderBy.length)
    parts.push(`order by ${q.orderBy.map((o) => `${printTarget(o.target)} ${o.direction}`).join(', ')}`);
  if (q.limit !== undefined) parts.push(`limit ${q.offset !== undefined ? `${q.offset}, ` : ''}${q.limit}`);
  else if (q.offset !== undefined) parts.push(`offset ${q.offset}`);
  return parts.join(' ');
}

/** The key a select item's value has in the response: its alias, else the item as Zoho echoes it (`COUNT(id)`). */
export function keyOf(item: SelectItem): string {
  if (item.alias !== undefined) return item.alias;
  return item.kind === 'aggregate' ? `${item.fn}(${item.path.join('.')})` : item.path.join('.');
}
