import { Button, Dropdown, Input, Option, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { FieldMetadata } from '../../../../shared/api-types';
import { usePartI18n } from '../../../i18n';
import { ADMIN_TEXT } from '../../../i18n/catalogs/admin';
import { RULE_OPERATORS, type RuleCondition, type RuleOperator } from './rule-criteria';
import { DismissRegular } from '@fluentui/react-icons';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS },
  row: { display: 'flex', columnGap: tokens.spacingHorizontalXS, alignItems: 'center', flexWrap: 'wrap' },
  control: { minWidth: '7em', flexGrow: 1 },
  muted: { color: tokens.colorNeutralForeground3 },
});

export const EMPTY_CONDITION: RuleCondition = { field: '', operator: 'equals', value: '' };

/** "When all of these are true": rows of field, operator and value (a picklist's values offered as options). */
export function ConditionsEditor(props: {
  idPrefix: string;
  fields: FieldMetadata[];
  conditions: RuleCondition[];
  onChange(next: RuleCondition[]): void;
}) {
  const { idPrefix, fields, conditions, onChange } = props;
  const styles = useStyles();
  const { t, language } = usePartI18n(ADMIN_TEXT);
  const label = (f: FieldMetadata) => f.translations?.[language] || f.display_label || f.api_name;
  const set = (index: number, patch: Partial<RuleCondition>) =>
    onChange(conditions.map((c, i) => (i === index ? { ...c, ...patch } : c)));

  return (
    <div className={styles.root} role="group" aria-label={t('ruleConditions')}>
      <Text size={200} className={styles.muted}>
        {t('ruleConditionsHint')}
      </Text>
      {conditions.map((c, i) => {
        const field = fields.find((f) => f.api_name === c.field);
        const n = i + 1;
        return (
          <div key={i} className={styles.row} data-testid={`${idPrefix}-condition-${i}`}>
            <Dropdown
              className={styles.control}
              aria-label={t('ruleConditionField', { n })}
              data-testid={`${idPrefix}-condition-field-${i}`}
              placeholder={t('ruleFieldPlaceholder')}
              value={field ? label(field) : ''}
              selectedOptions={c.field ? [c.field] : []}
              onOptionSelect={(_, d) => set(i, { field: d.optionValue ?? '', value: '' })}
            >
              {fields.map((f) => (
                <Option key={f.api_name} value={f.api_name}>
                  {label(f)}
                </Option>
              ))}
            </Dropdown>
            <Dropdown
              className={styles.control}
              aria-label={t('ruleConditionOperator', { n })}
              data-testid={`${idPrefix}-condition-operator-${i}`}
              value={t(`operator_${c.operator}`)}
              selectedOptions={[c.operator]}
              onOptionSelect={(_, d) => set(i, { operator: (d.optionValue as RuleOperator) ?? 'equals' })}
            >
              {RULE_OPERATORS.map((op) => (
                <Option key={op} value={op} text={t(`operator_${op}`)}>
                  {t(`operator_${op}`)}
                </Option>
              ))}
            </Dropdown>
            {field?.pick_list_values.length ? (
              <Dropdown
                className={styles.control}
                aria-label={t('ruleConditionValue', { n })}
                data-testid={`${idPrefix}-condition-value-${i}`}
                value={c.value}
                selectedOptions={c.value ? [c.value] : []}
                onOptionSelect={(_, d) => set(i, { value: d.optionValue ?? '' })}
              >
                {field.pick_list_values.map((v) => (
                  <Option key={v.actual_value} value={v.actual_value}>
                    {v.actual_value}
                  </Option>
                ))}
              </Dropdown>
            ) : (
              <Input
                className={styles.control}
                aria-label={t('ruleConditionValue', { n })}
                data-testid={`${idPrefix}-condition-value-${i}`}
                value={c.value}
                maxLength={255}
                onChange={(_, d) => set(i, { value: d.value })}
              />
            )}
            <Button
              size="small"
              icon={<DismissRegular />}
              aria-label={t('ruleRemoveCondition', { n })}
              onClick={() => onChange(conditions.filter((_, j) => j !== i))}
            />
          </div>
        );
      })}
      <div className={styles.row}>
        <Button
          size="small"
          data-testid={`${idPrefix}-add-condition`}
          disabled={conditions.length >= 10}
          onClick={() => onChange([...conditions, EMPTY_CONDITION])}
        >
          {t('ruleAddCondition')}
        </Button>
      </div>
    </div>
  );
}
