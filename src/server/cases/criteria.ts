/**
 * Zoho CRM search criteria: `(Field:operator:value)`, combined with `and` / `or` and nested in parentheses,
 * e.g. `((Email:equals:a@b.com)or(Phone:starts_with:+48))and(Status:equals:New)`.
 * `\(`, `\)`, `\,` and `\\` escape those characters in values; a comma in `equals`/`in` lists alternatives.
 * `and` binds tighter than `or`.
 */

export const CRITERIA_OPERATORS = [
  'equals',
  'not_equal',
  'starts_with',
  'in',
  'greater_than',
  'greater_equal',
  'less_than',
  'less_equal',
] as const;
export type CriteriaOperator = (typeof CRITERIA_OPERATORS)[number];

export type Criteria =
  | { kind: 'condition'; field: string; operator: CriteriaOperator; values: string[] }
  | { kind: 'and' | 'or'; items: Criteria[] };

export class CriteriaError extends Error {}

const MAX_LENGTH = 4000;
const MAX_CONDITIONS = 25;

export function parseCriteria(input: string): Criteria {
  if (input.length > MAX_LENGTH) throw new CriteriaError(`criteria longer than ${MAX_LENGTH} characters`);
  let pos = 0;
  let conditions = 0;

  const fail = (what: string): never => {
    throw new CriteriaError(`${what} at position ${pos + 1}`);
  };
  const skipSpaces = () => {
    while (input[pos] === ' ') pos++;
  };

  function parseOr(depth: number): Criteria {
    const items = [parseAnd(depth)];
    while (matchKeyword('or')) items.push(parseAnd(depth));
    return items.length === 1 ? items[0] : { kind: 'or', items };
  }

  function parseAnd(depth: number): Criteria {
    const items = [parseGroup(depth)];
    while (matchKeyword('and')) items.push(parseGroup(depth));
    return items.length === 1 ? items[0] : { kind: 'and', items };
  }

  function matchKeyword(word: 'and' | 'or'): boolean {
    skipSpaces();
    if (
      input.slice(pos, pos + word.length).toLowerCase() === word &&
      input[pos + word.length] !== undefined
    ) {
      const next = input.slice(pos + word.length).trimStart()[0];
      if (next === '(') {
        pos += word.length;
        return true;
      }
    }
    return false;
  }

  function parseGroup(depth: number): Criteria {
    if (depth > 10) fail('criteria nested too deeply');
    skipSpaces();
    if (input[pos] !== '(') fail('expected "("');
    pos++;
    skipSpaces();
    let result: Criteria;
    if (input[pos] === '(') {
      result = parseOr(depth + 1);
    } else {
      result = parseCondition();
    }
    skipSpaces();
    if (input[pos] !== ')') fail('expected ")"');
    pos++;
    return result;
  }

  function parseCondition(): Criteria {
    if (++conditions > MAX_CONDITIONS) fail(`more than ${MAX_CONDITIONS} conditions`);
    const fieldEnd = input.indexOf(':', pos);
    if (fieldEnd < 0) fail('expected "Field:operator:value"');
    const field = input.slice(pos, fieldEnd).trim();
    const opEnd = input.indexOf(':', fieldEnd + 1);
    if (opEnd < 0) fail('expected "Field:operator:value"');
    const operator = input.slice(fieldEnd + 1, opEnd).trim();
    if (!/^[A-Za-z][A-Za-z0-9_.]*$/.test(field)) fail(`invalid field name "${field.slice(0, 50)}"`);
    if (!(CRITERIA_OPERATORS as readonly string[]).includes(operator))
      fail(`unsupported operator "${operator.slice(0, 30)}"`);
    pos = opEnd + 1;
    const values: string[] = [];
    let current = '';
    for (;;) {
      const ch = input[pos];
      if (ch === undefined) fail('unclosed "("');
      if (ch === '\\') {
        const next = input[pos + 1];
        if (next === undefined) fail('dangling "\\"');
        current += next;
        pos += 2;
        continue;
      }
      if (ch === ')') break;
      if (ch === '(') fail('unescaped "(" in value');
      if (ch === ',' && (operator === 'equals' || operator === 'in' || operator === 'not_equal')) {
        values.push(current);
        current = '';
        pos++;
        continue;
      }
      current += ch;
      pos++;
    }
    values.push(current);
    return { kind: 'condition', field, operator: operator as CriteriaOperator, values };
  }

  const result = parseOr(0);
  skipSpaces();
  if (pos !== input.length) fail('unexpected text after criteria');
  return result;
}
