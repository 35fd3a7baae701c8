import {
  Button,
  MessageBar,
  MessageBarBody,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { useRef, useState } from 'react';
import type { CaseRecord } from '../../../../shared/api-types';
import type { CasesApi } from '../../../api/client';
import { useI18n } from '../../../i18n';
import type { OpenMessage, SelectedMessage } from '../../../office/types';
import { useCaseSearch } from '../../components/case-search';
import { CaseSearchPanel } from '../../components/CaseSearchPanel';
import { failureText } from '../../components/failure';
import { useCaseListStyles } from '../../components/case-list-styles';
import { StatusBadge } from '../../components/StatusBadge';
import { toEmailMessageInput } from '../../message-input';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  section: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS },
  text: { overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' },
  result: {
    display: 'flex',
    flexDirection: 'column',
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    borderLeft: `${tokens.strokeWidthThicker} solid ${tokens.colorNeutralStroke1}`,
  },
  resultOk: { borderLeftColor: tokens.colorPaletteGreenBorder2 },
  resultFailed: { borderLeftColor: tokens.colorPaletteRedBorder2 },
});

type Api = Pick<CasesApi, 'searchCases' | 'linkEmailToCase'>;

export interface SelectedLinkResult {
  subject: string;
  from: string;
  /** null: linked. */
  error: unknown;
  noMessageId?: boolean;
  /** Outlook could not read this one (the others are linked all the same). */
  unreadable?: boolean;
}

type Run =
  | { status: 'idle' }
  | { status: 'linking'; caseId: string }
  | { status: 'done'; caseId: string; caseNumber: string; results: SelectedLinkResult[] }
  | { status: 'failed'; caseId: string; error: unknown };

/**
 * Where Outlook shows no open item because several messages are selected: find a case and link every selected
 * message to it, one at a time (one failure does not stop the others), with a result per message.
 */
export function LinkSelected(props: {
  api: Api;
  /** Reads every selected message (the host's multi-select), each read or with its error. */
  readSelected: () => Promise<SelectedMessage[]>;
  /** The agent's own address, recorded as the mailbox unless a message is in a shared mailbox. */
  mailbox: string | null;
  onLinked?(caseId: string, caseNumber: string, messages: OpenMessage[]): void;
}) {
  const { api, readSelected, mailbox, onLinked } = props;
  const styles = useStyles();
  const rows = useCaseListStyles();
  const { t } = useI18n();
  const search = useCaseSearch(api);
  const [run, setRun] = useState<Run>({ status: 'idle' });
  const running = useRef(false);

  const linkAll = async (record: CaseRecord) => {
    if (running.current) return; // one click links once
    running.current = true;
    setRun({ status: 'linking', caseId: record.id });
    try {
      const selected = await readSelected();
      const results: SelectedLinkResult[] = [];
      const linked: OpenMessage[] = [];
      for (const entry of selected) {
        const m = entry.message;
        if (!m) {
          results.push({ subject: entry.subject, from: '', error: entry.error ?? null, unreadable: true });
          continue;
        }
        const base = { subject: m.subject, from: m.from.email };
        if (!m.internetMessageId) {
          results.push({ ...base, error: null, noMessageId: true });
          continue;
        }
        try {
          await api.linkEmailToCase(record.id, toEmailMessageInput(m, m.sharedMailbox ?? mailbox));
          results.push({ ...base, error: null });
          linked.push(m);
        } catch (error) {
          results.push({ ...base, error });
        }
      }
      setRun({ status: 'done', caseId: record.id, caseNumber: record.Case_Number, results });
      if (linked.length) onLinked?.(record.id, record.Case_Number, linked);
    } catch (error) {
      setRun({ status: 'failed', caseId: record.id, error });
    } finally {
      running.current = false;
    }
  };

  const linkedCount =
    run.status === 'done'
      ? run.results.filter((r) => r.error === null && !r.noMessageId && !r.unreadable).length
      : 0;

  return (
    <section className={styles.root} data-testid="link-selected" aria-labelledby="link-selected-title">
      <Text as="h2" id="link-selected-title" weight="semibold" size={400}>
        {t('linkSelectedTitle')}
      </Text>
      <Text className={styles.muted}>{t('linkSelectedIntro')}</Text>
      <CaseSearchPanel
        idPrefix="link-selected"
        search={search}
        renderCase={(c) => (
          <li key={c.id} className={rows.item}>
            <div className={rows.itemText}>
              <div className={rows.head}>
                <Text weight="semibold">{c.Case_Number}</Text>
                <StatusBadge status={c.Status} />
              </div>
              <Text className={styles.text}>{c.Subject}</Text>
            </div>
            <Button
              data-testid={`link-selected-case-${c.Case_Number}`}
              aria-label={t('linkSelectedButtonLabel', { number: c.Case_Number })}
              disabled={run.status === 'linking'}
              onClick={() => void linkAll(c)}
            >
              {run.status === 'linking' && run.caseId === c.id ? t('linking') : t('linkButton')}
            </Button>
          </li>
        )}
      />
      {run.status === 'failed' && (
        <MessageBar intent="error" data-testid="link-selected-error" role="alert">
          <MessageBarBody>{t('linkError', { message: failureText(t, run.error) })}</MessageBarBody>
        </MessageBar>
      )}
      {run.status === 'done' && run.results.length === 0 && (
        <MessageBar intent="warning" data-testid="link-selected-error">
          <MessageBarBody>{t('linkSelectedNone')}</MessageBarBody>
        </MessageBar>
      )}
      {run.status === 'done' && run.results.length > 0 && (
        <section
          className={styles.section}
          data-testid="link-selected-results"
          aria-labelledby="link-selected-outcome-title"
        >
          <Text as="h3" id="link-selected-outcome-title" weight="semibold" aria-live="polite">
            {t('linkedSelected', { count: linkedCount, number: run.caseNumber })}
          </Text>
          <ul className={rows.list}>
            {run.results.map((r, i) => {
              const ok = r.error === null && !r.noMessageId && !r.unreadable;
              return (
                <li
                  key={i}
                  className={mergeClasses(styles.result, ok ? styles.resultOk : styles.resultFailed)}
                  data-testid={`link-selected-message-${i}`}
                  data-state={ok ? 'linked' : 'failed'}
                >
                  {/* Message content is untrusted: plain text only. */}
                  <Text weight="semibold" className={styles.text}>
                    {r.subject || t('noSubject')}
                  </Text>
                  <Text size={200} className={styles.muted}>
                    {r.from}
                  </Text>
                  <Text size={200} className={styles.text}>
                    {ok
                      ? t('linkSelectedDone', { number: run.caseNumber })
                      : r.unreadable
                        ? t('selectedUnreadable')
                        : r.noMessageId
                          ? t('linkSelectedNoId')
                          : t('linkError', { message: failureText(t, r.error) })}
                  </Text>
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </section>
  );
}
