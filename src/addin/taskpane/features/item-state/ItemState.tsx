import { MessageBar, MessageBarBody } from '@fluentui/react-components';
import { useSyncExternalStore } from 'react';
import { useI18n } from '../../../i18n';
import type { MessageKey } from '../../../i18n/catalogs/en';
import type { ItemLimit } from '../../../office/types';
import type { BoundActions } from '../../bound-actions';

const LIMIT_TEXT: Record<ItemLimit, MessageKey> = {
  protected: 'limitProtected',
  'no-access': 'limitNoAccess',
  'meeting-request': 'limitMeetingRequest',
  draft: 'limitDraft',
};

/** What the pane could not read of the open item, and what still works (never a blank pane or a spinner). */
export function ItemLimits({ limit }: { limit: ItemLimit | undefined }) {
  const { t } = useI18n();
  if (!limit) return null;
  return (
    <MessageBar
      intent={limit === 'meeting-request' ? 'info' : 'warning'}
      data-testid="item-limits"
      data-kind={limit}
    >
      <MessageBarBody>{t(LIMIT_TEXT[limit])}</MessageBarBody>
    </MessageBar>
  );
}

/** Follow-ups of a save that wait for another message (this Outlook cannot reach it while it is not open). */
export function PendingActions({
  actions,
  openItemId,
}: {
  actions: BoundActions;
  openItemId: string | null;
}) {
  const { t } = useI18n();
  useSyncExternalStore(actions.subscribe, actions.snapshot);
  const waiting = actions.waitingElsewhere(openItemId);
  if (!waiting.length) return null;
  return (
    <MessageBar intent="warning" data-testid="pending-actions">
      <MessageBarBody>
        {waiting.map((w, i) => (
          <div key={i}>
            {t('pendingElsewhere', {
              subject: w.subject || t('noSubject'),
              numbers: w.caseNumbers.join(', '),
              files: w.files,
            })}
          </div>
        ))}
      </MessageBarBody>
    </MessageBar>
  );
}
