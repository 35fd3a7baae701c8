import fc from 'fast-check';
import {
  AGGREGATES,
  COMPARISONS,
  type Condition,
  type Expr,
  type FieldPath,
  type OrderItem,
  type Query,
  RESERVED,
  type SelectItem,
  type Value,
} from '../../../src/server/coql/coql.ast';

/** fast-check arbitraries for COQL: whole parsed queries (to print and parse back) and token soups. */

const ident = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);
const plainIdent = ident.filter((s) => !RESERVED.has(s.toLowerCase()));
const path: fc.Arbitrary<FieldPath> = fc.array(ident, { minLength: 1, maxLength: 3 });
const text = fc.string({ maxLength: 12, unit: 'grapheme' });

const value: fc.Arbitrary<Value> = fc.oneof(
  text.map((v) => ({ kind: 'string' as const, value: v })),
  fc
    .tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.option(fc.nat({ max: 999 }), { nil: undefined }))
    .map(([i, d]) => ({ kind: 'number' as const, value: d === undefined ? String(i) : `${i}.${d}` })),
  fc.boolean().map((b) => ({ kind: 'boolean' as const, value: b })),
);

const condition: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ kind: fc.constant('compare' as const), path, op: fc.constantFrom(...COMPARISONS), value }),
  fc.record({ kind: fc.constant('like' as const), path, negated: fc.boolean(), pattern: text }),
  fc.record({
    kind: fc.constant('in' as const),
    path,
    negated: fc.boolean(),
    values: fc.array(value, { minLength: 1, maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant('between' as const), path, negated: fc.boolean(), low: value, high: value }),
  fc.record({ kind: fc.constant('null' as const), path, negated: fc.boolean() }),
);

const expr: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    condition,
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), left: tie('e'), right: tie('e') }),
  ),
})).e;

const alias = fc.option(fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }), { nil: undefined });
const selectItem: fc.Arbitrary<SelectItem> = fc.oneof(
  fc.record({ kind: fc.constant('field' as const), path, alias }, { requiredKeys: ['kind', 'path'] }),
  fc.record(
    { kind: fc.constant('aggregate' as const), fn: fc.constantFrom(...AGGREGATES), path, alias },
    { requiredKeys: ['kind', 'fn', 'path'] },
  ),
);

const orderItem: fc.Arbitrary<OrderItem> = fc.record({
  target: fc.oneof(
    fc.record({ kind: fc.constant('field' as const), path }),
    fc.record({ kind: fc.constant('aggregate' as const), fn: fc.constantFrom(...AGGREGATES), path }),
  ),
  direction: fc.constantFrom('asc' as const, 'desc' as const),
});

export const query: fc.Arbitrary<Query> = fc
  .record({
    select: fc.array(selectItem, { minLength: 1, maxLength: 4 }),
    module: plainIdent,
    where: expr,
    groupBy: fc.array(path, { maxLength: 3 }),
    orderBy: fc.array(orderItem, { maxLength: 3 }),
    limit: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }),
    offset: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }),
  })
  .map((q) => {
    // fc.record writes absent options as undefined keys; a parsed query simply lacks them.
    const out: Query = {
      select: q.select,
      module: q.module,
      where: q.where,
      groupBy: q.groupBy,
      orderBy: q.orderBy,
    };
    if (q.limit !== undefined) out.limit = q.limit;
    if (q.offset !== undefined) out.offset = q.offset;
    out.select = out.select.map((s) => {
      const { alias: a, ...rest } = s;
      return a === undefined ? rest : { ...rest, alias: a };
    });
    return out;
  });

/** Fields of the Cases module and the test fixture, so that soups often get past the planner to the database. */
const FIELDS = [
  'id',
  'Subject',
  'Status',
  'Priority',
  'Owner',
  'Owner.email',
  'Owner.name',
  'Related_To.Full_Name',
  'Email',
  'Case_Number',
  'Created_Time',
  'Hours',
  'Billable',
  'Due_On',
  'Description',
  'Nope',
];
const WORDS = [
  'select',
  'from',
  'Cases',
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
  'COUNT(',
  'SUM(',
  'MAX(',
  '(',
  ')',
  ',',
  '=',
  '!=',
  '<',
  '>=',
  "'New'",
  "'%a%'",
  '1',
  '2.5',
  '-3',
  'true',
  "'2026-01-01'",
  "'x\\''",
  '"Subject"',
  '2000',
  '10001',
];

/** A query-like sequence of COQL words and fields: mostly wrong, sometimes right, always near the grammar. */
export const soup: fc.Arbitrary<string> = fc
  .array(fc.constantFrom(...WORDS, ...FIELDS), { minLength: 1, maxLength: 24 })
  .map((words) => words.join(' '));

/** A valid query damaged: characters cut out, inserted or swapped. */
export function mutated(valid: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(...valid),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 6 }), fc.string({ maxLength: 4, unit: 'binary' })), {
        minLength: 1,
        maxLength: 4,
      }),
    )
    .map(([q, edits]) =>
      edits.reduce((s, [at, cut, insert]) => {
        const i = at % (s.length + 1);
        return s.slice(0, i) + insert + s.slice(i + cut);
      }, q),
    );
}
