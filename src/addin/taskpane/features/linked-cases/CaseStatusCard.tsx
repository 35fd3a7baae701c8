import {
  Button,
  Field,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Select,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ArrowReplyRegular } from '@fluentui/react-icons';
import { useEffect, useRef, useState } from 'react';
import type { CaseRecord } from '../../../../shared/api-types';
import { STATUS_VALUES } from '../../../../shared/case-fields';
import type { CreatedCase } from '../../../api/client';
import { ApiFailure } from '../../../api/errors';
import { useI18n } from '../../../i18n';
import { useAnnouncer } from '../../components/Announcer';
import { failureText } from '../../components/failure';
import { StatusBadge, picklistLabel, statusLabel } from '../../components/StatusBadge';
import { useApi } from '../../services';
import { QuickNote } from './QuickNote';

const useStyles = makeStyles({
  card: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalS,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  row: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  title: { margin: '0' },
  subject: { overflowWrap: 'anywhere' },
  meta: { color: tokens.colorNeutralForeground3 },
  another: { alignSelf: 'flex-start' },
});

type Loaded =
  { status: 'loading' } | { status: 'ready'; record: CaseRecord } | { status: 'error'; error: unknown };

/**
 * The open email's case as a status view (issue 16, item 2): status, owner, last change, and what an agent does
 * next — change the status (with the case's $version, as the detail saves), add a note, open the case — and the
 * create form only behind "Create another case". Right after a save it is the save's result and takes the focus.
 */
export function CaseStatusCard(props: {
  caseId: string;
  caseNumber: string;
  /** The case was just saved from this email. */
  created?: CreatedCase | null;
  canEdit: boolean;
  onOpen(caseId: string): void;
  onCreateAnother(): void;
  onStatusChanged(status: string): void;
  /** Opens Outlook's reply to this email with the case reference; absent where this Outlook has no reply form. */
  onReply?: () => Promise<boolean>;
}) {
  const { caseId, caseNumber, created, canEdit, onOpen, onCreateAnother, onStatusChanged, onReply } = props;
  const api = useApi();
  const styles = useStyles();
  const { t, language, formatDateTime } = useI18n();
  const announce = useAnnouncer();
  const result = useRef<HTMLDivElement>(null);
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [version, setVersion] = useState(0);
  const [change, setChange] = useState<{ busy: boolean; error?: string }>({ busy: false });

  useEffect(() => {
    let active = true;
    api.getCase(caseId).then(
      (record) => {
        if (active)
          setLoaded(
            record ? { status: 'ready', record } : { status: 'error', error: new Error('not found') },
          );
      },
      (error: unknown) => active && setLoaded({ status: 'error', error }),
    );
    return () => {
      active = false;
    };
  }, [api, caseId, version]);

  useEffect(() => {
    if (created) result.current?.focus();
  }, [created]);

  const changeStatus = async (record: CaseRecord, next: string) => {
    if (next === record.Status || change.busy) return;
    setChange({ busy: true });
    try {
      const saved = await api.updateCase(record.id, { Status: next }, record.$version);
      const updated = { ...record, Status: next, $version: saved.version, Modified_Time: saved.modifiedTime };
      setLoaded({ status: 'ready', record: updated as CaseRecord });
      setChange({ busy: false });
      announce(t('statusChanged', { number: caseNumber, status: statusLabel(next, language) }));
      onStatusChanged(next);
    } catch (error) {
      const conflict = error instanceof ApiFailure && error.kind === 'conflict';
      const text = conflict
        ? t('statusConflict')
        : t('statusChangeFailed', { message: failureText(t, error) });
      setChange({ busy: false, error: text });
      announce(text);
      if (conflict) setVersion((v) => v + 1); // someone else's change: show it, then the agent chooses again
    }
  };

  const reply = async () => {
    const opened = (await onReply?.()) ?? false;
    announce(opened ? t('replyOpened', { number: caseNumber }) : t('replyFailed'));
  };

  const record = loaded.status === 'ready' ? loaded.record : null;
  return (
    <section
      className={styles.card}
      data-testid={`linked-case-${caseNumber}`}
      data-case-status={record?.Status}
      aria-labelledby="case-status-title"
    >
      {created && (
        <MessageBar
          ref={result}
          tabIndex={-1}
          intent="success"
          data-testid="created-case"
          data-case-number={created.caseNumber}
          data-case-status={record?.Status}
        >
          <MessageBarBody>
            <MessageBarTitle>
              {created.duplicate
                ? t('createdDuplicate', { number: created.caseNumber })
                : t('createdTitle', { number: created.caseNumber })}
            </MessageBarTitle>
          </MessageBarBody>
          <MessageBarActions>
            <Button data-testid="open-created-case" onClick={() => onOpen(caseId)}>
              {t('openCase')}
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      <div className={styles.row}>
        <Text as="h2" id="case-status-title" weight="semibold" size={400} className={styles.title}>
          {t('caseStatusTitle', { number: caseNumber })}
        </Text>
        {record && <StatusBadge status={record.Status} />}
      </div>
      {loaded.status === 'loading' && <Spinner size="tiny" />}
      {loaded.status === 'error' && (
        <Text role="alert">
          {t('caseLoadFailed', { number: caseNumber, message: failureText(t, loaded.error) })}
        </Text>
      )}
      {record && (
        <>
          {/* Subjects come from customers: plain text, never HTML. */}
          <Text className={styles.subject}>{record.Subject}</Text>
          <Text size={200} className={styles.meta}>
            {t('priorityIs', {
              value: picklistLabel('Priority', record.Priority, language) || t('noPriority'),
            })}
            {' · '}
            {t('ownerIs', { name: record.Owner?.name ?? t('unassigned') })}
            {' · '}
            {t('lastChange', { time: formatDateTime(record.Modified_Time) })}
          </Text>
          {canEdit && (
            <Field label={t('statusSelect', { number: caseNumber })} validationMessage={change.error}>
              <Select
                data-testid="status-select"
                value={record.Status}
                disabled={change.busy}
                onChange={(_, d) => void changeStatus(record, d.value)}
              >
                {[...new Set([...STATUS_VALUES, record.Status])].map((s) => (
                  <option key={s} value={s}>
                    {statusLabel(s, language)}
                  </option>
                ))}
              </Select>
            </Field>
          )}
          <div className={styles.row}>
            {canEdit && <QuickNote caseId={caseId} caseNumber={caseNumber} />}
            {onReply && (
              <Button
                icon={<ArrowReplyRegular />}
                data-testid="status-reply"
                aria-label={t('replyLabel', { number: caseNumber })}
                onClick={() => void reply()}
              >
                {t('replyWithReference')}
              </Button>
            )}
            {!created && (
              <Button
                data-testid={`open-case-${caseNumber}`}
                aria-label={t('openCaseLabel', { number: caseNumber })}
                onClick={() => onOpen(caseId)}
              >
                {t('openCase')}
              </Button>
            )}
          </div>
        </>
      )}
      {/* Outside the loaded part: the form stays reachable even when the case cannot be read. */}
      <Button
        appearance="subtle"
        className={styles.another}
        data-testid="create-another"
        onClick={onCreateAnother}
      >
        {t('createAnother')}
      </Button>
    </section>
  );
}
