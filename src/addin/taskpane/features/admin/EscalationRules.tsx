import {
  Button,
  Checkbox,
  Dropdown,
  Field,
  Input,
  Radio,
  RadioGroup,
  Text,
} from '@fluentui/react-components';
import { FormEvent, useState } from 'react';
import type { FieldMetadata, UserRecord } from '../../../../shared/api-types';
import type { EscalationRule } from '../../../../shared/rule-types';
import { usePartI18n } from '../../../i18n';
import { ADMIN_TEXT } from '../../../i18n/catalogs/admin';
import { useLoad } from '../../hooks/useLoad';
import { useAdminStyles } from './admin-styles';
import { ConditionsEditor } from './ConditionsEditor';
import { criteriaOf, type RuleCondition } from './rule-criteria';
import { ActionOutcome, LoadOutcome, RuleItem, useAdminAction, userOptions } from './admin-parts';
import { useApi } from '../../services';

const MAX_HOURS = 24 * 365;
const emptyForm = () => ({
  name: '',
  hours: '24',
  conditions: [] as RuleCondition[],
  mode: 'user' as 'user' | 'manager',
  user: '',
  active: false,
});

/** Escalation rules: cases not acted on within N hours go to a user or the owner's manager. One is active. */
export function EscalationRules({ users, fields }: { users: UserRecord[]; fields: FieldMetadata[] }) {
  const api = useApi();
  const styles = useAdminStyles();
  const { t } = usePartI18n(ADMIN_TEXT);
  const loaded = useLoad('escalation', () => api.escalationRules());
  const [form, setForm] = useState(emptyForm);
  const { status, act, busy } = useAdminAction(loaded.reload);
  const rules = loaded.state.status === 'ready' ? loaded.state.value : [];

  const hours = Number(form.hours);
  const hoursOk = Number.isInteger(hours) && hours >= 1 && hours <= MAX_HOURS;
  const targetOk = form.mode === 'manager' || form.user !== '';
  const canAdd = form.name.trim() !== '' && hoursOk && targetOk && !busy;

  const add = (event: FormEvent) => {
    event.preventDefault();
    if (!canAdd) return;
    void act(
      async () => {
        await api.addEscalationRule({
          name: form.name.trim(),
          hours,
          criteria: criteriaOf(form.conditions),
          ...(form.mode === 'manager' ? { to_owners_manager: true } : { escalate_to: { id: form.user } }),
          active: form.active,
        });
        setForm(emptyForm());
      },
      t('ruleAdded', { name: form.name.trim() }),
    );
  };

  const target = (rule: EscalationRule) =>
    rule.to_owners_manager
      ? t('escalationToManager')
      : t('escalationToUser', { name: rule.escalate_to?.name ?? '' });

  return (
    <section className={styles.section} aria-labelledby="escalation-title" data-testid="escalation-rules">
      <Text as="h2" id="escalation-title" weight="semibold" size={400}>
        {t('escalationTitle')}
      </Text>
      <Text size={200} className={styles.muted}>
        {t('escalationHint')}
      </Text>
      <LoadOutcome state={loaded.state} />
      {loaded.state.status === 'ready' && rules.length === 0 && <Text>{t('escalationNone')}</Text>}
      {rules.length > 0 && (
        <ul className={styles.list} aria-label={t('escalationTitle')}>
          {rules.map((rule) => (
            <RuleItem
              key={rule.id}
              testIdPrefix="escalation"
              rule={rule}
              title={rule.name}
              effect={` · ${t('escalationAfter', { hours: rule.hours })} → ${target(rule)}`}
              busy={busy}
              act={act}
              setActive={(active) => api.setEscalationRuleActive(rule.id, active)}
              remove={() => api.deleteEscalationRule(rule.id)}
            />
          ))}
        </ul>
      )}
      <ActionOutcome status={status} testIdPrefix="escalation" errorKey="ruleError" />

      <form
        className={styles.form}
        onSubmit={add}
        aria-labelledby="escalation-add-title"
        data-testid="escalation-form"
      >
        <Text as="h3" id="escalation-add-title" weight="semibold">
          {t('escalationAdd')}
        </Text>
        <Field label={t('ruleName')} required>
          <Input
            data-testid="escalation-name"
            value={form.name}
            maxLength={120}
            onChange={(_, d) => setForm((f) => ({ ...f, name: d.value }))}
          />
        </Field>
        <Field
          label={t('escalationHours')}
          required
          validationState={hoursOk ? 'none' : 'error'}
          validationMessage={hoursOk ? undefined : t('escalationHoursRange', { max: MAX_HOURS })}
        >
          <Input
            data-testid="escalation-hours"
            type="number"
            value={form.hours}
            onChange={(_, d) => setForm((f) => ({ ...f, hours: d.value }))}
          />
        </Field>
        <ConditionsEditor
          idPrefix="escalation"
          fields={fields}
          conditions={form.conditions}
          onChange={(conditions) => setForm((f) => ({ ...f, conditions }))}
        />
        <Field label={t('escalationTo')}>
          <RadioGroup
            layout="horizontal"
            value={form.mode}
            onChange={(_, d) => setForm((f) => ({ ...f, mode: d.value as 'user' | 'manager' }))}
          >
            <Radio value="user" label={t('escalationAUser')} data-testid="escalation-mode-user" />
            <Radio value="manager" label={t('escalationToManager')} data-testid="escalation-mode-manager" />
          </RadioGroup>
        </Field>
        {form.mode === 'user' && (
          <Field label={t('escalationUser')} required>
            <Dropdown
              data-testid="escalation-user"
              placeholder={t('selectPlaceholder')}
              value={users.find((u) => u.id === form.user)?.full_name ?? ''}
              selectedOptions={form.user ? [form.user] : []}
              onOptionSelect={(_, d) => setForm((f) => ({ ...f, user: d.optionValue ?? '' }))}
            >
              {userOptions(users)}
            </Dropdown>
          </Field>
        )}
        <Checkbox
          data-testid="escalation-new-active"
          label={t('escalationActivate')}
          checked={form.active}
          onChange={(_, d) => setForm((f) => ({ ...f, active: d.checked === true }))}
        />
        <div className={styles.row}>
          <Button appearance="primary" type="submit" data-testid="escalation-add" disabled={!canAdd}>
            {busy ? t('saving') : t('escalationAdd')}
          </Button>
        </div>
      </form>
    </section>
  );
}
