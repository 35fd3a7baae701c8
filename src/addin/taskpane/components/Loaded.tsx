import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Spinner,
  Text,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useI18n } from '../../i18n';
import type { LoadState } from '../hooks/useLoad';
import { failureText } from './failure';

/** A loaded list: a spinner while loading, an error with Retry, "none" when empty, else the rendered items. */
export function Loaded<T>(props: {
  state: LoadState<T[]>;
  reload(): void;
  loadingLabel: string;
  emptyText: string;
  children(items: T[]): ReactNode;
}) {
  const { t } = useI18n();
  const { state } = props;
  if (state.status === 'loading') return <Spinner size="tiny" label={props.loadingLabel} />;
  if (state.status === 'error')
    return (
      <MessageBar intent="error">
        <MessageBarBody>{t('listError', { message: failureText(t, state.error) })}</MessageBarBody>
        <MessageBarActions>
          <Button onClick={props.reload}>{t('retry')}</Button>
        </MessageBarActions>
      </MessageBar>
    );
  if (state.value.length === 0) return <Text>{props.emptyText}</Text>;
  return <>{props.children(state.value)}</>;
}
