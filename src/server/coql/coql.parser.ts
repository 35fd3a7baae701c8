import {
  AGGREGATES,
  type AggregateFn,
  type Comparison,
  type Condition,
  type Expr,
  type FieldPath,
  type OrderItem,
  type Query,
  RESERVED,
  type SelectItem,
  type Value,
} from './coql.ast';
import { limitExceeded, syntaxError } from './coql.errors';
import { positionOf, type Token, tokenize } from './coql.lexer';

/** Longer than any sensible query; Zoho's own limits (50 fields, 25 criteria, 50 values each) fit well inside. */
export const MAX_QUERY_LENGTH = 20_000;
/** Parentheses deeper than this cannot come from 25 criteria written sensibly; bounded so recursion is too. */
const MAX_DEPTH = 30;

/**
 * Recursive-descent parser for COQL's SELECT:
 *
 *   query     := SELECT item (',' item)* FROM ident WHERE expr [GROUP BY field (',' field)*]
 *                [ORDER BY order (',' order)*] [LIMIT n [',' n] [OFFSET n] | OFFSET n]
 *   item      := (aggregate | field) [AS (ident | string)]
 *   aggregate := (COUNT | SUM | MIN | MAX | AVG) '(' field ')'
 *   field     := ident ('.' ident)* | quoted name
 *   expr      := and (OR and)*          and := primary (AND primary)*
 *   primary   := '(' expr ')' | field op value | field [NOT] LIKE string | field [NOT] IN '(' value, … ')'
 *              | field [NOT] BETWEEN value AND value | field IS [NOT] NULL
 *   value     := string | number | true | false | ident (an unquoted word, as Zoho's examples write picklist values)
 *
 * `LIMIT a, b` is Zoho's offset-then-count form. Every failure is a CoqlError, never another exception.
 */
export function parseQuery(input: string): Query {
  if (input.length > MAX_QUERY_LENGTH)
    throw limitExceeded(
      'select_query',
      MAX_QUERY_LENGTH,
      `the query is longer than ${MAX_QUERY_LENGTH} characters`,
    );
  return new Parser(input, tokenize(input)).query();
}

class Parser {
  private pos = 0;
  private clause = 'select';

  constructor(
    private readonly input: string,
    private readonly tokens: Token[],
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private fail(expected: string, token = this.peek()): never {
    const near = token.kind === 'eof' ? 'end of query' : this.input.slice(token.start, token.end);
    throw syntaxError(this.clause, near, positionOf(this.input, token.start), `expected ${expected}`);
  }

  private isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'ident' && t.text.toLowerCase() === word;
  }

  private keyword(word: string): void {
    if (!this.isKeyword(word)) this.fail(word.toUpperCase());
    this.next();
  }

  private acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.next();
    return true;
  }

  private punct(ch: string): void {
    const t = this.peek();
    if (t.kind !== 'punct' || t.text !== ch) this.fail(`"${ch}"`);
    this.next();
  }

  private isPunct(ch: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.text === ch;
  }

  query(): Query {
    this.keyword('select');
    const select = this.list(() => this.selectItem());
    this.clause = 'from';
    this.keyword('from');
    const moduleToken = this.next();
    if (moduleToken.kind !== 'ident') this.fail('a module name', moduleToken);
    this.clause = 'where';
    if (!this.acceptKeyword('where'))
      this.fail('WHERE (COQL needs a WHERE clause; `where id is not null` takes all)');
    const query: Query = { select, module: moduleToken.text, where: this.expr(0), groupBy: [], orderBy: [] };
    if (this.isKeyword('group')) {
      this.clause = 'group by';
      this.next();
      this.keyword('by');
      query.groupBy = this.list(() => this.field());
    }
    if (this.isKeyword('order')) {
      this.clause = 'order by';
      this.next();
      this.keyword('by');
      query.orderBy = this.list(() => this.orderItem());
    }
    this.limitClause(query);
    if (this.peek().kind !== 'eof') this.fail('end of query');
    return query;
  }

  private list<T>(item: () => T): T[] {
    const items = [item()];
    while (this.isPunct(',')) {
      this.next();
      items.push(item());
    }
    return items;
  }

  private limitClause(query: Query): void {
    if (this.acceptKeyword('limit')) {
      this.clause = 'limit';
      const first = this.integer();
      if (this.isPunct(',')) {
        this.next();
        query.offset = first;
        query.limit = this.integer();
      } else query.limit = first;
    }
    if (query.offset === undefined && this.acceptKeyword('offset')) {
      this.clause = 'offset';
      query.offset = this.integer();
    }
  }

  private integer(): number {
    const t = this.next();
    if (t.kind !== 'number' || !/^\d{1,15}$/.test(t.text)) this.fail('a whole number', t);
    return Number(t.text);
  }

  private aggregateAhead(): AggregateFn | undefined {
    const t = this.peek();
    const next = this.peek(1);
    if (t.kind !== 'ident' || next.kind !== 'punct' || next.text !== '(') return undefined;
    const fn = t.text.toUpperCase();
    return (AGGREGATES as readonly string[]).includes(fn) ? (fn as AggregateFn) : undefined;
  }

  /** `FN ( field )`, the function's name already recognised by aggregateAhead. */
  private aggregateCall(): FieldPath {
    this.next();
    this.punct('(');
    const path = this.field();
    this.punct(')');
    return path;
  }

  private selectItem(): SelectItem {
    const fn = this.aggregateAhead();
    const item: SelectItem = fn
      ? { kind: 'aggregate', fn, path: this.aggregateCall() }
      : { kind: 'field', path: this.field() };
    if (this.acceptKeyword('as')) {
      const t = this.next();
      if ((t.kind !== 'ident' && t.kind !== 'string') || t.text === '' || t.text.length > 100)
        this.fail('an alias', t);
      item.alias = t.text;
    }
    return item;
  }

  private orderItem(): OrderItem {
    const fn = this.aggregateAhead();
    const target = fn
      ? { kind: 'aggregate' as const, fn, path: this.aggregateCall() }
      : { kind: 'field' as const, path: this.field() };
    let direction: 'asc' | 'desc' = 'asc';
    if (this.acceptKeyword('desc')) direction = 'desc';
    else this.acceptKeyword('asc');
    return { target, direction };
  }

  /** A field: dotted identifiers, or a quoted name (how Zoho lets a field share a name with a keyword). */
  private field(): FieldPath {
    const t = this.peek();
    if (t.kind === 'string') {
      this.next();
      const path = t.text.split('.');
      if (path.some((p) => p === '')) this.fail('a field name', t);
      return path;
    }
    const path = [this.identifier()];
    while (this.isPunct('.')) {
      this.next();
      path.push(this.identifier());
    }
    return path;
  }

  private identifier(): string {
    const t = this.peek();
    if (t.kind !== 'ident' || RESERVED.has(t.text.toLowerCase())) this.fail('a field name');
    this.next();
    return t.text;
  }

  private expr(depth: number): Expr {
    let left = this.andExpr(depth);
    while (this.acceptKeyword('or')) left = { kind: 'or', left, right: this.andExpr(depth) };
    return left;
  }

  private andExpr(depth: number): Expr {
    let left = this.primary(depth);
    while (this.acceptKeyword('and')) left = { kind: 'and', left, right: this.primary(depth) };
    return left;
  }

  private primary(depth: number): Expr {
    if (this.isPunct('(')) {
      if (depth >= MAX_DEPTH) this.fail(`at most ${MAX_DEPTH} nested parentheses`);
      this.next();
      const inner = this.expr(depth + 1);
      this.punct(')');
      return inner;
    }
    return this.condition();
  }

  private condition(): Condition {
    const path = this.field();
    const t = this.peek();
    if (t.kind === 'op') {
      this.next();
      const op = (t.text === '<>' ? '!=' : t.text) as Comparison;
      return { kind: 'compare', path, op, value: this.value() };
    }
    if (this.acceptKeyword('is')) {
      const negated = this.acceptKeyword('not');
      this.keyword('null');
      return { kind: 'null', path, negated };
    }
    const negated = this.acceptKeyword('not');
    if (this.acceptKeyword('like')) {
      const p = this.next();
      if (p.kind !== 'string') this.fail('a quoted pattern', p);
      return { kind: 'like', path, negated, pattern: p.text };
    }
    if (this.acceptKeyword('in')) {
      this.punct('(');
      const values = this.list(() => this.value());
      this.punct(')');
      return { kind: 'in', path, negated, values };
    }
    if (this.acceptKeyword('between')) {
      const low = this.value();
      this.keyword('and');
      return { kind: 'between', path, negated, low, high: this.value() };
    }
    return this.fail(negated ? 'LIKE, IN or BETWEEN' : 'an operator');
  }

  private value(): Value {
    const t = this.next();
    if (t.kind === 'string') return { kind: 'string', value: t.text };
    if (t.kind === 'number') return { kind: 'number', value: t.text };
    if (t.kind === 'ident' && !RESERVED.has(t.text.toLowerCase())) {
      const lower = t.text.toLowerCase();
      if (lower === 'true' || lower === 'false') return { kind: 'boolean', value: lower === 'true' };
      return { kind: 'string', value: t.text };
    }
    return this.fail('a value', t);
  }
}
