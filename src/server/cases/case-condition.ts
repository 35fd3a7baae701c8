import type { CaseColumn } from './case.repository';

export type Comparison = '=' | '!=' | '>' | '>=' | '<' | '<=';

/**
 * A condition on cases as data: what a list, a search, a view or a rule asks for, built by the services and turned
 * into SQL by the repositories only (caseWhere in case.repository.ts), with the dialect of the engine in use.
 * Values are always bound parameters there.
 */
export type CaseCondition =
  | { kind: 'and' | 'or'; items: readonly CaseCondition[] }
  /** `value: null` with '=' or '!=': the column is (not) empty. */
  | { kind: 'compare'; column: CaseColumn; op: Comparison; value: string | number | null }
  | { kind: 'in'; column: CaseColumn; values: readonly (string | number)[]; negated: boolean }
  /** Text that starts with `prefix`, case-insensitively, wildcards in it matched literally. */
  | { kind: 'starts_with'; column: CaseColumn; prefix: string }
  /** Zoho's `word` search: every word in the subject, or the case number, or the email address. */
  | { kind: 'words'; words: readonly string[]; caseNumber?: number; email?: string }
  /** Any Status but Closed, written as the queue indexes' own predicate so both engines can use them. */
  | { kind: 'open' };

export const compare = (
  column: CaseColumn,
  op: Comparison,
  value: string | number | null,
): CaseCondition => ({ kind: 'compare', column, op, value });

export const isAnyOf = (column: CaseColumn, values: readonly (string | number)[]): CaseCondition =>
  values.length === 1 ? compare(column, '=', values[0]) : { kind: 'in', column, values, negated: false };

export const isNoneOf = (column: CaseColumn, values: readonly (string | number)[]): CaseCondition =>
  values.length === 1 ? compare(column, '!=', values[0]) : { kind: 'in', column, values, negated: true };

export const OPEN: CaseCondition = { kind: 'open' };

/** Every given condition (undefined ones left out); undefined when none is given. */
export function allOf(...conditions: (CaseCondition | undefined)[]): CaseCondition | undefined {
  const items = conditions.filter((c): c is CaseCondition => c !== undefined);
  if (items.length <= 1) return items[0];
  return { kind: 'and', items };
}
