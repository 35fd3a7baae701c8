import type { FieldDefinition } from '../../shared/case-fields';
import type { CaseValues } from '../../shared/validation';
import { type Criteria, CriteriaError, parseCriteria } from '../cases/criteria';
import { apiError } from '../http/errors';

/** Rule criteria use the search grammar, checked once when the rule is saved. */
export function parseRuleCriteria(text: string, fields: readonly FieldDefinition[]): Criteria {
  const criteria = parseCriteria(text);
  const check = (c: Criteria): void => {
    if (c.kind !== 'condition') return c.items.forEach(check);
    const field = fields.find((f) => f.apiName === c.field.replace(/\.id$/, ''));
    if (!field || field.type === 'textarea')
      throw new CriteriaError(`${c.field.slice(0, 60)} cannot be used in a rule`);
  };
  check(criteria);
  return criteria;
}

const lower = (v: unknown) => String(v ?? '').toLowerCase();

/** Does a case (its values by API name; lookups as ids) meet the criteria? Text compares ignore case. */
export function matches(criteria: Criteria, values: CaseValues): boolean {
  switch (criteria.kind) {
    case 'and':
      return criteria.items.every((c) => matches(c, values));
    case 'or':
      return criteria.items.some((c) => matches(c, values));
    case 'condition': {
      const actual = values[criteria.field.replace(/\.id$/, '')] ?? null;
      const wanted = criteria.values;
      switch (criteria.operator) {
        case 'equals':
        case 'in':
          return actual !== null && wanted.some((w) => lower(w) === lower(actual));
        case 'not_equal':
          return actual === null || wanted.every((w) => lower(w) !== lower(actual));
        case 'starts_with':
          return actual !== null && lower(actual).startsWith(lower(wanted[0]));
        default: {
          if (actual === null) return false;
          const a = typeof actual === 'number' ? actual : String(actual);
          const w = typeof actual === 'number' ? Number(wanted[0]) : wanted[0];
          if (criteria.operator === 'greater_than') return a > w;
          if (criteria.operator === 'greater_equal') return a >= w;
          if (criteria.operator === 'less_than') return a < w;
          return a <= w;
        }
      }
    }
  }
}

export function invalidRule(api_name: string, message: string): never {
  throw apiError(400, 'INVALID_DATA', `${api_name}: ${message}`, { api_name });
}

/**
 * What assignment and escalation rules share: a JSON object with only the given properties, a name, and optional
 * criteria in the search grammar on fields a rule may use. Throws a 400 naming the property.
 */
export function ruleBasics(input: unknown, properties: string[], fields: readonly FieldDefinition[]) {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return invalidRule('data', 'expected a JSON object');
  const r = input as Record<string, unknown>;
  for (const key of Object.keys(r))
    if (!properties.includes(key)) invalidRule(key.slice(0, 60), 'no such property');
  if (typeof r.name !== 'string' || !r.name.trim() || r.name.length > 120)
    invalidRule('name', 'required text of at most 120 characters');
  let criteria: string | null = null;
  if (r.criteria !== undefined && r.criteria !== null && r.criteria !== '') {
    if (typeof r.criteria !== 'string') return invalidRule('criteria', 'expected text');
    try {
      parseRuleCriteria(r.criteria, fields);
    } catch (error) {
      if (error instanceof CriteriaError) invalidRule('criteria', error.message);
      throw error;
    }
    criteria = r.criteria;
  }
  return { r, name: (r.name as string).trim(), criteria };
}
