import {
  Button,
  Link,
  MessageBar,
  MessageBarBody,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { type FieldDefinition, labelOf } from '../../../../shared/case-fields';
import type { QueueRow } from '../../../../shared/view-types';
import { useI18n } from '../../../i18n';
import { valueText } from '../../components/field-value';
import { failureText } from '../../components/failure';
import { picklistLabel, StatusBadge } from '../../components/StatusBadge';
import { duration, escalationText, openableItemId } from './queue-text';

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: '0', padding: '0', display: 'flex', flexDirection: 'column' },
  row: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  line: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  text: { overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' },
  overdue: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
});

export interface QueueListProps {
  rows: QueueRow[];
  /** The saved view's own columns (viewColumns), shown as "Label: value" under the row's status line. */
  columns: readonly FieldDefinition[];
  /** The agent's mailbox: "Open email" is offered only for messages linked from it. */
  mailbox: string | null;
  canOpenEmail: boolean;
  now: number;
  onOpenCase(caseId: string): void;
  onOpenEmail(itemId: string): void;
}

/** The rows of a view, in the server's order; every value is shown as text (case and email data are untrusted). */
export function QueueList(props: QueueListProps) {
  const { rows, columns, mailbox, canOpenEmail, now, onOpenCase, onOpenEmail } = props;
  const styles = useStyles();
  const { t, language, formatDateTime } = useI18n();
  return (
    <ul className={styles.list} data-testid="queue-rows">
      {rows.map(({ case: record, last_customer_message: last, escalation }) => {
        const itemId = canOpenEmail ? openableItemId(last, mailbox) : null;
        const priority = record.Priority ? picklistLabel('Priority', String(record.Priority), language) : '';
        const created = typeof record.Created_Time === 'string' ? Date.parse(record.Created_Time) : NaN;
        return (
          <li key={record.id} className={styles.row} data-testid="queue-row" data-case-id={record.id}>
            <div className={styles.line}>
              <Link data-testid="queue-open-case" onClick={() => onOpenCase(record.id)}>
                {`${String(record.Case_Number ?? '')} · ${String(record.Subject ?? '')}`}
              </Link>
            </div>
            <div className={styles.line}>
              <StatusBadge status={String(record.Status ?? '')} />
              {priority && <Text size={200}>{priority}</Text>}
              {!Number.isNaN(created) && (
                <Text size={200} className={styles.muted}>
                  {t('queueAge', { age: duration(t, now - created) })}
                </Text>
              )}
            </div>
            {columns.length > 0 && (
              <Text size={200} className={styles.text} data-testid="queue-columns">
                {columns
                  .map((f) => `${labelOf(f, language)}: ${valueText(f, record[f.apiName], language, t)}`)
                  .join(' · ')}
              </Text>
            )}
            <Text size={200} className={styles.muted} data-testid="queue-last-message">
              {last
                ? t('queueLastMessage', {
                    time: formatDateTime(last.time),
                    subject: last.subject || last.snippet || '',
                  })
                : t('queueNoMessage')}
            </Text>
            {escalation && (
              <Text
                size={200}
                data-testid="queue-escalation"
                className={escalation.overdue ? styles.overdue : styles.muted}
              >
                {escalationText(t, escalation, now)}
              </Text>
            )}
            {itemId && (
              <div className={styles.line}>
                <Button size="small" data-testid="queue-open-email" onClick={() => onOpenEmail(itemId)}>
                  {t('queueOpenEmail')}
                </Button>
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** "Show more" under a view's cases while the server has more; a failed read says why and can be pressed again. */
export function QueueMore(props: { loading: boolean; error: unknown; onMore(): void }) {
  const { t } = useI18n();
  return (
    <div>
      {props.error !== null && (
        <MessageBar intent="error" data-testid="queue-more-error">
          <MessageBarBody>{failureText(t, props.error)}</MessageBarBody>
        </MessageBar>
      )}
      <Button data-testid="queue-more" disabled={props.loading} onClick={props.onMore}>
        {props.loading ? t('loading') : t('queueMore')}
      </Button>
    </div>
  );
}
