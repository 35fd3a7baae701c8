import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
} from '@fluentui/react-components';
import { useEffect } from 'react';
import { useI18n } from '../../i18n';
import { useAnnouncer } from './Announcer';

/** The Cases service did not answer when the pane opened: say so (it is not sign-in) above a pane that still works. */
export function ServiceDown({ onRetry }: { onRetry(): void }) {
  const { t } = useI18n();
  const announce = useAnnouncer();
  useEffect(() => announce(t('serviceDownTitle')), [announce, t]);
  return (
    <MessageBar intent="warning" data-testid="service-down">
      <MessageBarBody>
        <MessageBarTitle>{t('serviceDownTitle')}</MessageBarTitle>
        {t('serviceDownBody')}
      </MessageBarBody>
      <MessageBarActions>
        <Button data-testid="service-retry" onClick={onRetry}>
          {t('retry')}
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}
