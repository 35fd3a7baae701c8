import { Text, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import type { CaseRecord } from '../../../../shared/api-types';
import { fieldByApiName, labelOf } from '../../../../shared/case-fields';
import { useI18n } from '../../../i18n';
import { StatusBadge } from '../../components/StatusBadge';
import { usePaneSession } from '../../services';

const useStyles = makeStyles({
  header: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS },
  headRow: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  subject: { overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' },
  description: {
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    maxHeight: '12em',
    overflowY: 'auto',
    color: tokens.colorNeutralForeground2,
  },
});

/** Who and what the case is about, its status and last change; it takes the focus when the case opens. */
export function CaseHeader({ record }: { record: CaseRecord }) {
  const styles = useStyles();
  const { t, language, formatDateTime } = useI18n();
  const { fields } = usePaneSession();
  const descriptionField = fieldByApiName(fields, 'Description');
  const descriptionLabel = descriptionField ? labelOf(descriptionField, language) : 'Description';
  const heading = useRef<HTMLElement>(null);
  // Open case lands on the case heading, so a screen reader starts at the case.
  useEffect(() => heading.current?.focus(), []);

  return (
    <header className={styles.header} data-testid="case-header">
      <div className={styles.headRow}>
        {/* Opening a case moves focus here (tabIndex -1: focusable by script, not a Tab stop). */}
        <Text as="h1" weight="semibold" size={500} tabIndex={-1} ref={heading} data-testid="case-heading">
          {t('caseTitle', { number: record.Case_Number })}
        </Text>
        <StatusBadge status={record.Status} />
      </div>
      {/* Case text comes from customers: plain text only. */}
      <Text weight="semibold" className={styles.subject}>
        {record.Subject}
      </Text>
      <Text size={200} className={styles.muted}>
        {[record.Related_To?.name ?? record.Reported_By, record.Email].filter(Boolean).join(' · ')}
      </Text>
      <Text size={200} className={styles.muted}>
        {t('lastChange', { time: formatDateTime(record.Modified_Time) })}
        {record.Modified_By?.name ? ` · ${record.Modified_By.name}` : ''}
      </Text>
      {record.Description && (
        // It scrolls, so keyboard users must be able to reach it: a labelled, focusable region.
        <Text
          size={200}
          className={styles.description}
          data-testid="case-description"
          role="region"
          tabIndex={0}
          aria-label={descriptionLabel}
        >
          {record.Description}
        </Text>
      )}
    </header>
  );
}
