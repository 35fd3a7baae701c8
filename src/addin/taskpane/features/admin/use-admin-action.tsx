import { MessageBar, MessageBarBody, Spinner } from '@fluentui/react-components';
import { useState } from 'react';
import { type AdminKey, useAdminI18n } from './admin-messages';
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
  const { t } = useAdminI18n();
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
  const { t } = useAdminI18n();
  if (state.status === 'loading') return <Spinner size="tiny" label={t('loading')} />;
  if (state.status === 'error')
    return (
      <MessageBar intent="error">
        <MessageBarBody>{t('listError', { message: failureText(t, state.error) })}</MessageBarBody>
      </MessageBar>
    );
  return null;
}
