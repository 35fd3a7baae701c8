import {
  Button,
  MessageBar,
  MessageBarBody,
  Option,
  Spinner,
  Switch,
  Text,
} from '@fluentui/react-components';
import { type ReactNode, useState } from 'react';
import type { UserRecord } from '../../../../shared/api-types';
import { useAdminStyles } from './admin-styles';
import { usePartI18n } from '../../../i18n';
import { type AdminKey, ADMIN_TEXT } from '../../../i18n/catalogs/admin';
import { failureText } from '../../components/failure';
import type { LoadState } from '../../hooks/useLoad';

export type ActionStatus =
  { status: 'idle' | 'busy' } | { status: 'done'; text: string } | { status: 'failed'; error: unknown };

/** One admin change at a time: busy while it runs, then its success text or its error; reloads after success. */
export function useAdminAction(reload: () => void) {
  const [status, setStatus] = useState<ActionStatus>({ status: 'idle' });
  const act = async (work: () => Promise<void>, doneText: string) => {
    setStatus({ status: 'busy' });
    try {
      await work();
      setStatus({ status: 'done', text: doneText });
      reload();
    } catch (error) {
      setStatus({ status: 'failed', error });
    }
  };
  return { status, act, busy: status.status === 'busy' };
}

/** What the last admin change did: `<prefix>-done` with its text, or `<prefix>-error` with the reason. */
export function ActionOutcome(props: { status: ActionStatus; testIdPrefix: string; errorKey: AdminKey }) {
  const { status, testIdPrefix, errorKey } = props;
  const { t } = usePartI18n(ADMIN_TEXT);
  if (status.status === 'done')
    return (
      <MessageBar intent="success" data-testid={`${testIdPrefix}-done`}>
        <MessageBarBody>{status.text}</MessageBarBody>
      </MessageBar>
    );
  if (status.status === 'failed')
    return (
      <MessageBar intent="error" data-testid={`${testIdPrefix}-error`} role="alert">
        <MessageBarBody>{t(errorKey, { message: failureText(t, status.error) })}</MessageBarBody>
      </MessageBar>
    );
  return null;
}

/** A list still loading, or why it could not be loaded; nothing once it is there. */
export function LoadOutcome({ state }: { state: LoadState<unknown> }) {
  const { t } = usePartI18n(ADMIN_TEXT);
  if (state.status === 'loading') return <Spinner size="tiny" label={t('loading')} />;
  if (state.status === 'error')
    return (
      <MessageBar intent="error">
        <MessageBarBody>{t('listError', { message: failureText(t, state.error) })}</MessageBarBody>
      </MessageBar>
    );
  return null;
}

/**
 * One rule in a rules list: its title, when it applies and what it does, an on/off switch and Delete; the
 * switch and Delete run through the section's `act` with the same success texts for every kind of rule.
 */
export function RuleItem(props: {
  testIdPrefix: string;
  rule: { id: string; name: string; active: boolean; criteria: string | null };
  title: ReactNode;
  /** What the rule does, after "When …": " → Ola", " · after 4 h → The owner's manager". */
  effect: string;
  busy: boolean;
  act(work: () => Promise<void>, doneText: string): Promise<void>;
  setActive(active: boolean): Promise<void>;
  remove(): Promise<void>;
}) {
  const { testIdPrefix, rule, title, effect, busy, act, setActive, remove } = props;
  const styles = useAdminStyles();
  const { t } = usePartI18n(ADMIN_TEXT);
  const when = rule.criteria ? t('ruleWhen', { criteria: rule.criteria }) : t('ruleAllCases');
  return (
    <li className={styles.item} data-testid={`${testIdPrefix}-rule-${rule.id}`}>
      <div className={styles.name}>
        <Text weight="semibold">{title}</Text>
        <Text size={200} className={styles.muted}>
          {when}
          {effect}
        </Text>
      </div>
      <Switch
        label={t('ruleActive')}
        data-testid={`${testIdPrefix}-active-${rule.id}`}
        checked={rule.active}
        disabled={busy}
        onChange={(_, d) => void act(() => setActive(d.checked), t('ruleUpdated', { name: rule.name }))}
      />
      <Button
        size="small"
        data-testid={`${testIdPrefix}-delete-${rule.id}`}
        aria-label={t('ruleDelete', { name: rule.name })}
        disabled={busy}
        onClick={() => void act(remove, t('ruleDeleted', { name: rule.name }))}
      >
        {t('delete')}
      </Button>
    </li>
  );
}

/** The users as Dropdown options, by id. */
export const userOptions = (users: readonly UserRecord[]) =>
  users.map((u) => (
    <Option key={u.id} value={u.id}>
      {u.full_name}
    </Option>
  ));
