import {
  criteriaOf,
  escapeCriteriaValue,
  ruleFields,
} from '../../../../../src/addin/taskpane/features/admin/rule-criteria';
import type { FieldMetadata } from '../../../../../src/shared/api-types';

const meta = (api_name: string, data_type: string) => ({ api_name, data_type }) as FieldMetadata;

describe('rule criteria built in the admin screen', () => {
  it('joins complete conditions with "and" in the search grammar', () => {
    expect(
      criteriaOf([
        { field: 'Priority', operator: 'equals', value: 'High' },
        { field: 'Email', operator: 'starts_with', value: ' vip@ ' },
        { field: 'Status', operator: 'not_equal', value: '' }, // no value: left out
        { field: '', operator: 'equals', value: 'x' }, // no field: left out
      ]),
    ).toBe('(Priority:equals:High)and(Email:starts_with:vip@)');
  });

  it('is null without a complete condition: the rule applies to all cases', () => {
    expect(criteriaOf([])).toBeNull();
    expect(criteriaOf([{ field: 'Subject', operator: 'equals', value: '  ' }])).toBeNull();
  });

  it('escapes the grammar’s own characters in values', () => {
    expect(escapeCriteriaValue('a(b),c\\d')).toBe('a\\(b\\)\\,c\\\\d');
    expect(criteriaOf([{ field: 'Subject', operator: 'equals', value: 'Order (urgent), now' }])).toBe(
      '(Subject:equals:Order \\(urgent\\)\\, now)',
    );
  });

  it('offers only fields a rule may test', () => {
    const fields = [
      meta('Subject', 'text'),
      meta('Description', 'textarea'),
      meta('Owner', 'lookup'),
      meta('Priority', 'picklist'),
      meta('Case_Number', 'autonumber'),
      meta('Email', 'email'),
    ];
    expect(ruleFields(fields).map((f) => f.api_name)).toEqual(['Subject', 'Priority', 'Email']);
  });
});
