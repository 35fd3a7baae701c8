import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { LinkedCaseSummary } from '../../../../shared/api-types';
import { useI18n } from '../../../i18n';
import { failureText } from '../../components/failure';
import { StatusBadge, picklistLabel } from '../../components/StatusBadge';
import type { LinkedCasesState } from './useLinkedCases';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS },
  list: {
    listStyleType: 'none',
    margin: '0',
    padding: '0',
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalS,
  },
  item: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalXXS,
    padding: tokens.spacingVerticalS + ' ' + tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  row: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  subject: { overflowWrap: 'anywhere' },
  meta: { color: tokens.colorNeutralForeground3 },
  open: { marginLeft: 'auto' },
});

export type QuickLinkState = 'linking' | 'linked' | { error: unknown };

export function LinkedCaseItem({
  item,
  onOpen,
  onLink,
  linkState,
}: {
  item: LinkedCaseSummary;
  onOpen?(caseId: string): void;
  /** One-click link for a case of the thread or the subject's reference (not yet linked to this message). */
  onLink?(item: LinkedCaseSummary): void;
  linkState?: QuickLinkState;
}) {
  const styles = useStyles();
  const { t, language, formatDateTime } = useI18n();
  return (
    <li className={styles.item} data-testid={`linked-case-${item.Case_Number}`}>
      <div className={styles.row}>
        <Text weight="semibold">{item.Case_Number}</Text>
        <StatusBadge status={item.Status} />
        {onOpen && (
          <Button
            size="small"
            className={styles.open}
            data-testid={`open-case-${item.Case_Number}`}
            aria-label={t('openCaseLabel', { number: item.Case_Number })}
            onClick={() => onOpen(item.id)}
          >
            {t('openCase')}
          </Button>
        )}
      </div>
      {/* Subjects come from customers: rendered as plain text, never as HTML. */}
      <Text className={styles.subject}>{item.Subject}</Text>
      <Text size={200} className={styles.meta}>
        {t('priorityIs', { value: picklistLabel('Priority', item.Priority, language) || t('noPriority') })}
        {' · '}
        {t('ownerIs', { name: item.Owner?.name ?? t('unassigned') })}
      </Text>
      <Text size={200} className={styles.meta}>
        {t('lastChange', { time: formatDateTime(item.Modified_Time) })}
        {' · '}
        {item.match === 'message'
          ? t('linkedViaMessage')
          : item.match === 'reference'
            ? t('linkedViaReference')
            : t('linkedViaThread')}
      </Text>
      {onLink && item.match !== 'message' && (
        <div className={styles.row}>
          <Button
            size="small"
            appearance="primary"
            data-testid={`linked-case-link-${item.Case_Number}`}
            aria-label={t('linkButtonLabel', { number: item.Case_Number })}
            disabled={linkState === 'linking' || linkState === 'linked'}
            onClick={() => onLink(item)}
          >
            {linkState === 'linked'
              ? t('alreadyLinked')
              : linkState === 'linking'
                ? t('linking')
                : t('linkHere')}
          </Button>
          {typeof linkState === 'object' && (
            <Text size={200} role="alert">
              {t('linkError', { message: failureText(t, linkState.error) })}
            </Text>
          )}
        </div>
      )}
    </li>
  );
}

const RANK = { reference: 0, thread: 1, message: 2 } as const;

export function LinkedCases({
  state,
  onRetry,
  onOpen,
  onLink,
  linkStates = {},
  statusCard,
  statusCaseId,
}: {
  state: LinkedCasesState;
  /** The open email's own case as a status view, shown first; that case is not listed again below. */
  statusCard?: ReactNode;
  statusCaseId?: string;
  onRetry: () => void;
  onOpen?(caseId: string): void;
  onLink?(item: LinkedCaseSummary): void;
  linkStates?: Record<string, QuickLinkState>;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const others = state.status === 'ready' ? state.cases.filter((c) => c.id !== statusCaseId) : [];
  return (
    <section
      className={styles.section}
      aria-labelledby="linked-cases-title"
      data-testid="linked-cases"
      aria-busy={state.status === 'loading'}
    >
      <Text as="h2" id="linked-cases-title" weight="semibold" size={400}>
        {t('linkedTitle')}
      </Text>
      {state.status === 'loading' && <Spinner size="tiny" label={t('linkedLoading')} />}
      {state.status === 'error' && (
        <MessageBar intent="error">
          <MessageBarBody>{t('linkedError', { message: failureText(t, state.error) })}</MessageBarBody>
          <MessageBarActions>
            <Button onClick={onRetry}>{t('retry')}</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {statusCard}
      {state.status === 'ready' && others.length === 0 && !statusCard && <Text>{t('linkedNone')}</Text>}
      {state.status === 'ready' && others.length > 0 && (
        <ul className={styles.list}>
          {/* The case the subject refers to is the likeliest one: proposed first. */}
          {[...others]
            .sort((a, b) => (RANK[a.match] ?? 3) - (RANK[b.match] ?? 3))
            .map((item) => (
              <LinkedCaseItem
                key={item.id}
                item={item}
                onOpen={onOpen}
                onLink={onLink}
                linkState={linkStates[item.id]}
              />
            ))}
        </ul>
      )}
    </section>
  );
}
