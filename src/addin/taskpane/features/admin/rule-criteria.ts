/** Rule criteria as the admin builds them: conditions joined with "and", in the API's search grammar. */
import type { FieldMetadata } from '../../../../shared/api-types';

export const RULE_OPERATORS = ['equals', 'not_equal', 'starts_with'] as const;
export type RuleOperator = (typeof RULE_OPERATORS)[number];

export interface RuleCondition {
  field: string;
  operator: RuleOperator;
  value: string;
}

/** Fields a rule may test: the server refuses long text; lookups and dates need ids or ranges the form lacks. */
const TESTABLE = new Set(['text', 'email', 'phone', 'picklist', 'website', 'double', 'boolean']);

export function ruleFields(fields: readonly FieldMetadata[]): FieldMetadata[] {
  return fields.filter((f) => TESTABLE.has(f.data_type) && f.api_name !== 'Case_Number');
}

/** `\`, `(`, `)` and `,` are syntax in the grammar; a value keeps them literally when escaped. */
export function escapeCriteriaValue(value: string): string {
  return value.replace(/[\\(),]/g, (c) => `\\${c}`);
}

/** The criteria text for the complete conditions (field and value given), or null when none is: "all cases". */
export function criteriaOf(conditions: readonly RuleCondition[]): string | null {
  const parts = conditions
    .filter((c) => c.field && c.value.trim() !== '')
    .map((c) => `(${c.field}:${c.operator}:${escapeCriteriaValue(c.value.trim())})`);
  return parts.length ? parts.join('and') : null;
}
