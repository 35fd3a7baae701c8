import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { forwardRef } from 'react';
import type { CreatedCase } from '../../../api/client';
import { ApiFailure } from '../../../api/errors';
import { useI18n } from '../../../i18n';
import { failureText } from '../../components/failure';
import { statusLabel } from '../../components/StatusBadge';

const useStyles = makeStyles({
  created: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS },
});

export interface CreatedCaseBarProps {
  created: CreatedCase;
  /** The stored status (a duplicate's may not be the form's). */
  caseStatus: string;
  onOpenCase?(caseId: string): void;
}

/** The saved case (or the one this message already had), focusable so the focus can land on it. */
export const CreatedCaseBar = forwardRef<HTMLDivElement, CreatedCaseBarProps>(function CreatedCaseBar(
  { created, caseStatus, onOpenCase },
  ref,
) {
  const styles = useStyles();
  const { t, language } = useI18n();
  return (
    <MessageBar
      ref={ref}
      tabIndex={-1}
      intent="success"
      data-testid="created-case"
      data-case-number={created.caseNumber}
      data-case-status={caseStatus}
    >
      <MessageBarBody className={styles.created}>
        <MessageBarTitle>
          {created.duplicate
            ? t('createdDuplicate', { number: created.caseNumber })
            : t('createdTitle', { number: created.caseNumber })}
        </MessageBarTitle>
        <Text>{t('createdStatus', { status: statusLabel(caseStatus, language) })}</Text>
      </MessageBarBody>
      {onOpenCase && (
        <MessageBarActions>
          <Button data-testid="open-created-case" onClick={() => onOpenCase(created.id)}>
            {t('openCase')}
          </Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
});

export interface SaveFailureBarProps {
  error: unknown;
  /** The save was given up on after GIVE_UP_MS (the server may still have made the case). */
  timedOut: boolean;
  onRetry(): void;
}

/** Why the save failed; Retry where trying again can help (the form and its draft are kept). */
export const SaveFailureBar = forwardRef<HTMLDivElement, SaveFailureBarProps>(function SaveFailureBar(
  { error, timedOut, onRetry },
  ref,
) {
  const { t } = useI18n();
  const retryable = error instanceof ApiFailure ? error.retryable : true;
  return (
    // Not role=alert: the pane's live region says it once (an alert would say it twice).
    <MessageBar ref={ref} tabIndex={-1} intent="error" data-testid="save-error">
      <MessageBarBody>
        <MessageBarTitle>{t('saveErrorTitle')}</MessageBarTitle>
        {timedOut ? t('saveTimedOut') : failureText(t, error)} {retryable ? t('draftKept') : ''}
      </MessageBarBody>
      {retryable && (
        <MessageBarActions>
          <Button data-testid="retry-save" onClick={onRetry}>
            {t('retry')}
          </Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
});
