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
import type { AssignmentRule } from '../../../../shared/rule-types';
import { usePartI18n } from '../../../i18n';
import { ADMIN_TEXT } from '../../../i18n/catalogs/admin';
import { useLoad } from '../../hooks/useLoad';
import { useAdminStyles } from './admin-styles';
import { ConditionsEditor } from './ConditionsEditor';
import { criteriaOf, type RuleCondition } from './rule-criteria';
import { ActionOutcome, LoadOutcome, RuleItem, useAdminAction, userOptions } from './admin-parts';
import { useApi } from '../../services';

const emptyForm = () => ({
  name: '',
  position: '',
  conditions: [] as RuleCondition[],
  mode: 'owner' as 'owner' | 'round_robin',
  owner: '',
  group: [] as string[],
  active: true,
});

/** Assignment rules in the order they are tried: the first whose criteria match gives the new case its owner. */
export function AssignmentRules({ users, fields }: { users: UserRecord[]; fields: FieldMetadata[] }) {
  const api = useApi();
  const styles = useAdminStyles();
  const { t } = usePartI18n(ADMIN_TEXT);
  const loaded = useLoad('assignment', () => api.assignmentRules());
  const [form, setForm] = useState(emptyForm);
  const { status, act, busy } = useAdminAction(loaded.reload);
  const rules =
    loaded.state.status === 'ready' ? [...loaded.state.value].sort((a, b) => a.position - b.position) : [];
  const nameOf = (id: string) => users.find((u) => u.id === id)?.full_name ?? id;

  const position = form.position === '' ? (rules.at(-1)?.position ?? 0) + 1 : Number(form.position);
  const positionOk = Number.isInteger(position) && position >= 1 && position <= 10_000;
  const targetOk = form.mode === 'owner' ? form.owner !== '' : form.group.length > 0;
  const canAdd = form.name.trim() !== '' && positionOk && targetOk && !busy;

  const add = (event: FormEvent) => {
    event.preventDefault();
    if (!canAdd) return;
    void act(
      async () => {
        await api.addAssignmentRule({
          name: form.name.trim(),
          position,
          criteria: criteriaOf(form.conditions),
          ...(form.mode === 'owner'
            ? { owner: { id: form.owner } }
            : { round_robin_users: form.group.map((id) => ({ id })) }),
          active: form.active,
        });
        setForm(emptyForm());
      },
      t('ruleAdded', { name: form.name.trim() }),
    );
  };

  const target = (rule: AssignmentRule) =>
    rule.owner
      ? t('ruleAssignsTo', { name: rule.owner.name })
      : t('ruleRoundRobin', { names: rule.round_robin_users.map((u) => u.name).join(', ') });

  return (
    <section className={styles.section} aria-labelledby="assignment-title" data-testid="assignment-rules">
      <Text as="h2" id="assignment-title" weight="semibold" size={400}>
        {t('assignmentTitle')}
      </Text>
      <Text size={200} className={styles.muted}>
        {t('assignmentHint')}
      </Text>
      <LoadOutcome state={loaded.state} />
      {loaded.state.status === 'ready' && rules.length === 0 && <Text>{t('assignmentNone')}</Text>}
      {rules.length > 0 && (
        <ol className={styles.list} aria-label={t('assignmentTitle')}>
          {rules.map((rule) => (
            <RuleItem
              key={rule.id}
              testIdPrefix="assignment"
              rule={rule}
              title={`${rule.position}. ${rule.name}`}
              effect={` → ${target(rule)}`}
              busy={busy}
              act={act}
              setActive={(active) => api.setAssignmentRuleActive(rule, active)}
              remove={() => api.deleteAssignmentRule(rule.id)}
            />
          ))}
        </ol>
      )}
      <ActionOutcome status={status} testIdPrefix="assignment" errorKey="ruleError" />

      <form
        className={styles.form}
        onSubmit={add}
        aria-labelledby="assignment-add-title"
        data-testid="assignment-form"
      >
        <Text as="h3" id="assignment-add-title" weight="semibold">
          {t('assignmentAdd')}
        </Text>
        <Field label={t('ruleName')} required>
          <Input
            data-testid="assignment-name"
            value={form.name}
            maxLength={120}
            onChange={(_, d) => setForm((f) => ({ ...f, name: d.value }))}
          />
        </Field>
        <Field
          label={t('rulePosition')}
          hint={t('rulePositionHint')}
          validationState={positionOk ? 'none' : 'error'}
        >
          <Input
            data-testid="assignment-position"
            type="number"
            placeholder={String(position)}
            value={form.position}
            onChange={(_, d) => setForm((f) => ({ ...f, position: d.value }))}
          />
        </Field>
        <ConditionsEditor
          idPrefix="assignment"
          fields={fields}
          conditions={form.conditions}
          onChange={(conditions) => setForm((f) => ({ ...f, conditions }))}
        />
        <Field label={t('ruleAssignTo')}>
          <RadioGroup
            layout="horizontal"
            value={form.mode}
            onChange={(_, d) => setForm((f) => ({ ...f, mode: d.value as 'owner' | 'round_robin' }))}
          >
            <Radio value="owner" label={t('ruleOneOwner')} data-testid="assignment-mode-owner" />
            <Radio
              value="round_robin"
              label={t('ruleRoundRobinGroup')}
              data-testid="assignment-mode-round-robin"
            />
          </RadioGroup>
        </Field>
        {form.mode === 'owner' ? (
          <Field label={t('ruleOwner')} required>
            <Dropdown
              data-testid="assignment-owner"
              placeholder={t('selectPlaceholder')}
              value={form.owner ? nameOf(form.owner) : ''}
              selectedOptions={form.owner ? [form.owner] : []}
              onOptionSelect={(_, d) => setForm((f) => ({ ...f, owner: d.optionValue ?? '' }))}
            >
              {userOptions(users)}
            </Dropdown>
          </Field>
        ) : (
          <Field label={t('ruleGroup')} required>
            <Dropdown
              multiselect
              data-testid="assignment-group"
              placeholder={t('selectPlaceholder')}
              value={form.group.map(nameOf).join(', ')}
              selectedOptions={form.group}
              onOptionSelect={(_, d) => setForm((f) => ({ ...f, group: d.selectedOptions }))}
            >
              {userOptions(users)}
            </Dropdown>
          </Field>
        )}
        <Checkbox
          data-testid="assignment-new-active"
          label={t('ruleActive')}
          checked={form.active}
          onChange={(_, d) => setForm((f) => ({ ...f, active: d.checked === true }))}
        />
        <div className={styles.row}>
          <Button appearance="primary" type="submit" data-testid="assignment-add" disabled={!canAdd}>
            {busy ? t('saving') : t('assignmentAdd')}
          </Button>
        </div>
      </form>
    </section>
  );
}
