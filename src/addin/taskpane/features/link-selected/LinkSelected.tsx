import {
  Button,
  MessageBar,
  MessageBarBody,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { useI18n } from '../../../i18n';
import type { OpenMessage, SelectedMessage } from '../../../office/types';
import { useCaseSearch } from '../../components/case-search';
import { CaseSearchPanel } from '../../components/CaseSearchPanel';
import { failureText } from '../../components/failure';
import { useCaseListStyles } from '../../components/case-list-styles';
import { StatusBadge } from '../../components/StatusBadge';
import { resultLinked, useLinkSelected } from './useLinkSelected';
import { useApi, usePaneSession } from '../../services';

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
  makeOne: { alignSelf: 'flex-start' },
});

/**
 * Where Outlook shows no open item because several messages are selected: find a case and link every selected
 * message to it, or make one new case of them (the first message makes it, the others are linked), with a result
 * per message.
 */
export function LinkSelected(props: {
  /** Reads every selected message (the host's multi-select), each read or with its error. */
  readSelected: () => Promise<SelectedMessage[]>;
  /** The agent's own address, recorded as the mailbox unless a message is in a shared mailbox. */
  mailbox: string | null;
  onLinked?(caseId: string, caseNumber: string, messages: OpenMessage[]): void;
}) {
  const api = useApi();
  // The case fields, to make the new case from the first message as the create form would prefill it.
  const { fields } = usePaneSession();
  const styles = useStyles();
  const rows = useCaseListStyles();
  const { t } = useI18n();
  const search = useCaseSearch(api);
  const { run, linkAll, makeOneCase } = useLinkSelected({ ...props, api, fields });
  const linkedCount = run.status === 'done' ? run.results.filter(resultLinked).length : 0;

  return (
    <section className={styles.root} data-testid="link-selected" aria-labelledby="link-selected-title">
      <Text as="h2" id="link-selected-title" weight="semibold" size={400}>
        {t('linkSelectedTitle')}
      </Text>
      <Text className={styles.muted}>{t('linkSelectedIntro')}</Text>
      <Button
        appearance="primary"
        className={styles.makeOne}
        data-testid="link-selected-make-case"
        disabled={run.status === 'linking'}
        onClick={() => void makeOneCase()}
      >
        {run.status === 'linking' && run.caseId === null ? t('saving') : t('linkSelectedMakeCase')}
      </Button>
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
              onClick={() => void linkAll({ id: c.id, number: c.Case_Number })}
            >
              {run.status === 'linking' && run.caseId === c.id ? t('linking') : t('linkButton')}
            </Button>
          </li>
        )}
      />
      {run.status === 'failed' && (
        <MessageBar intent="error" data-testid="link-selected-error" role="alert">
          <MessageBarBody>
            {t(run.caseId === null ? 'linkSelectedCreateFailed' : 'linkError', {
              message: failureText(t, run.error),
            })}
          </MessageBarBody>
        </MessageBar>
      )}
      {((run.status === 'done' && run.results.length === 0) || run.status === 'nothing') && (
        <MessageBar intent="warning" data-testid="link-selected-error">
          <MessageBarBody>
            {run.status === 'nothing' && run.results.length
              ? t('linkSelectedNothing')
              : t('linkSelectedNone')}
          </MessageBarBody>
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
              const ok = resultLinked(r);
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
                    {ok && r.created
                      ? t('linkSelectedCreated', { number: run.caseNumber })
                      : ok
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
