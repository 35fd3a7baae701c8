import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Spinner,
  Switch,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { FormEvent, useEffect, useRef, useState } from 'react';
import type { LookupRef } from '../../../../shared/api-types';
import { isValidEmail } from '../../../../shared/validation';
import { CaseSearch, criteriaValue } from '../../../api/client';
import { isAbort } from '../../../api/errors';
import { useI18n } from '../../../i18n';
import type { OpenMessage } from '../../../office/types';
import { searchFor } from '../../components/case-search';
import { useAnnouncer } from '../../components/Announcer';
import { failureText } from '../../components/failure';
import { useCaseListStyles } from '../../components/case-list-styles';
import { StatusBadge } from '../../components/StatusBadge';
import { toEmailMessageInput } from '../../message-input';
import type { LinkedCasesState } from '../linked-cases/useLinkedCases';
import { useApi } from '../../services';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  searchRow: { display: 'flex', columnGap: tokens.spacingHorizontalS, alignItems: 'flex-end' },
  grow: { flexGrow: 1, minWidth: '0' },
  subject: { overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** What a row needs; both search results (CaseRecord) and thread cases (LinkedCaseSummary) fit. */
export interface CaseRow {
  id: string;
  Case_Number: string;
  Subject: string;
  Status: string;
  Owner: LookupRef | null;
  Modified_Time: string | null;
}

export { searchFor };

export function senderOpenCases(email: string): CaseSearch {
  return { criteria: `((Email:equals:${criteriaValue(email)})and(Status:not_equal:Closed))` };
}

export interface LinkCaseProps {
  message: OpenMessage;
  linked: LinkedCasesState;
  mailbox: string | null;
  onLinked?(caseId: string, caseNumber: string): void;
  /** Open a case in the detail view. */
  onOpenCase?(caseId: string): void;
  /** Where the host supports multi-select: reads every selected message, to link them all to one case. */
  readSelected?: () => Promise<OpenMessage[]>;
}

type LinkState = { status: 'linking' } | { status: 'linked' } | { status: 'failed'; error: unknown };
type Results =
  | { status: 'idle' }
  | { status: 'searching' }
  | { status: 'ready'; cases: CaseRow[] }
  | { status: 'failed'; error: unknown };

export function LinkCase({ message, linked, mailbox, onLinked, onOpenCase, readSelected }: LinkCaseProps) {
  const api = useApi();
  const styles = useStyles();
  const rows = useCaseListStyles();
  const { t, formatDateTime } = useI18n();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Results>({ status: 'idle' });
  const [senderCases, setSenderCases] = useState<CaseRow[]>([]);
  const [links, setLinks] = useState<Record<string, LinkState>>({});
  const [lastLinked, setLastLinked] = useState<{ id: string; number: string } | null>(null);
  const [allSelected, setAllSelected] = useState(false);
  const [bulk, setBulk] = useState<{
    number: string;
    linked: number;
    failed: { subject: string; error: unknown }[];
  } | null>(null);
  const search = useRef<AbortController | null>(null);
  const linking = useRef(new Set<string>());
  const sender = message.from.email;
  const announce = useAnnouncer();
  const success = useRef<HTMLDivElement>(null);
  // A link's result takes the focus (the row's error keeps it on the row's button, next to the message).
  useEffect(() => {
    if (lastLinked) success.current?.focus();
  }, [lastLinked]);

  useEffect(() => {
    if (!isValidEmail(sender)) return;
    const controller = new AbortController();
    api.searchCases(senderOpenCases(sender), controller.signal).then(
      (cases) => {
        if (!controller.signal.aborted) setSenderCases(cases);
      },
      () => undefined, // suggestions are a convenience; search still works
    );
    return () => controller.abort();
  }, [api, sender]);

  useEffect(() => () => search.current?.abort(), []);

  const linkedCases = linked.status === 'ready' ? linked.cases : [];
  const linkedToMessage = new Set(linkedCases.filter((c) => c.match === 'message').map((c) => c.id));
  // Each case appears once on screen (its link button's test id is unique): results first, then suggestions.
  const resultIds = new Set(results.status === 'ready' ? results.cases.map((c) => c.id) : []);
  // Cases of the thread, and the case the subject refers to, are the likeliest targets.
  const threadCases = linkedCases.filter((c) => c.match !== 'message' && !resultIds.has(c.id));
  const threadIds = new Set(linkedCases.filter((c) => c.match !== 'message').map((c) => c.id));
  const senderSuggestions = senderCases.filter(
    (c) => !threadIds.has(c.id) && !linkedToMessage.has(c.id) && !resultIds.has(c.id),
  );

  const runSearch = (event: FormEvent) => {
    event.preventDefault();
    const s = searchFor(query);
    search.current?.abort();
    if (!s) return setResults({ status: 'idle' });
    const controller = new AbortController();
    search.current = controller;
    setResults({ status: 'searching' });
    api.searchCases(s, controller.signal).then(
      (cases) => {
        if (!controller.signal.aborted) setResults({ status: 'ready', cases });
      },
      (error: unknown) => {
        if (!controller.signal.aborted && !isAbort(error)) setResults({ status: 'failed', error });
      },
    );
  };

  const link = async (row: CaseRow) => {
    if (linking.current.has(row.id)) return; // one click links once
    linking.current.add(row.id);
    setLinks((l) => ({ ...l, [row.id]: { status: 'linking' } }));
    try {
      if (allSelected && readSelected) {
        // Every selected message (the open one included), one at a time; one failure does not stop the others.
        const messages = await readSelected();
        const failed: { subject: string; error: unknown }[] = [];
        let done = 0;
        for (const m of messages.length ? messages : [message]) {
          try {
            await api.linkEmailToCase(row.id, toEmailMessageInput(m, m.sharedMailbox ?? mailbox));
            done++;
          } catch (error) {
            failed.push({ subject: m.subject, error });
          }
        }
        setBulk({ number: row.Case_Number, linked: done, failed });
        if (done === 0) throw failed[0]?.error ?? new Error('nothing linked');
      } else {
        await api.linkEmailToCase(row.id, toEmailMessageInput(message, mailbox));
      }
      setLinks((l) => ({ ...l, [row.id]: { status: 'linked' } }));
      setLastLinked({ id: row.id, number: row.Case_Number });
      announce(t('linkedSuccess', { number: row.Case_Number }));
      onLinked?.(row.id, row.Case_Number);
    } catch (error) {
      setLinks((l) => ({ ...l, [row.id]: { status: 'failed', error } }));
      announce(t('linkFailedAnnounce', { number: row.Case_Number, message: failureText(t, error) }));
    } finally {
      linking.current.delete(row.id);
    }
  };

  const renderRow = (row: CaseRow) => {
    const state = links[row.id];
    const isLinked = linkedToMessage.has(row.id) || state?.status === 'linked';
    return (
      <li key={row.id} className={rows.item}>
        <div className={rows.itemText}>
          <div className={rows.head}>
            <Text weight="semibold">{row.Case_Number}</Text>
            <StatusBadge status={row.Status} />
          </div>
          <Text className={styles.subject}>{row.Subject}</Text>
          {/* Who has it and when it last changed, as the case cards show (issue 16, item 5). */}
          <Text size={200} className={styles.muted} data-testid={`link-case-meta-${row.Case_Number}`}>
            {t('ownerIs', { name: row.Owner?.name || t('unassigned') })}
            {row.Modified_Time ? ` · ${t('lastChange', { time: formatDateTime(row.Modified_Time) })}` : ''}
          </Text>
          {state?.status === 'failed' && (
            <Text size={200}>{t('linkError', { message: failureText(t, state.error) })}</Text>
          )}
        </div>
        <Button
          data-testid={`link-case-${row.Case_Number}`}
          aria-label={t('linkButtonLabel', { number: row.Case_Number })}
          disabled={isLinked || state?.status === 'linking' || !message.internetMessageId}
          onClick={() => void link(row)}
        >
          {isLinked ? t('alreadyLinked') : state?.status === 'linking' ? t('linking') : t('linkButton')}
        </Button>
      </li>
    );
  };

  return (
    <div className={styles.root}>
      {lastLinked && (
        <MessageBar
          ref={success}
          tabIndex={-1}
          intent="success"
          data-testid="link-success"
          aria-labelledby="link-success-text"
        >
          <MessageBarBody id="link-success-text">
            {t('linkedSuccess', { number: lastLinked.number })}
          </MessageBarBody>
          {onOpenCase && (
            <MessageBarActions>
              <Button data-testid="open-linked-case" onClick={() => onOpenCase(lastLinked.id)}>
                {t('openCase')}
              </Button>
            </MessageBarActions>
          )}
        </MessageBar>
      )}
      {readSelected && (
        <Switch
          data-testid="link-all-selected"
          checked={allSelected}
          label={t('linkAllSelected')}
          onChange={(_, d) => setAllSelected(d.checked)}
        />
      )}
      {bulk && (
        <MessageBar intent={bulk.failed.length ? 'warning' : 'success'} data-testid="link-selected-result">
          <MessageBarBody>
            {t('linkedSelected', { count: bulk.linked, number: bulk.number })}
            {bulk.failed
              .map(
                (f) =>
                  ` ${t('linkSelectedFailed', { subject: f.subject, message: failureText(t, f.error) })}`,
              )
              .join('')}
          </MessageBarBody>
        </MessageBar>
      )}
      <form className={styles.searchRow} onSubmit={runSearch} role="search">
        <Field label={t('searchLabel')} className={styles.grow}>
          <Input
            data-testid="link-search-input"
            type="search"
            value={query}
            placeholder={t('searchPlaceholder')}
            onChange={(_, data) => setQuery(data.value)}
          />
        </Field>
        <Button type="submit" data-testid="link-search-button">
          {t('searchButton')}
        </Button>
      </form>

      {results.status === 'searching' && <Spinner size="tiny" label={t('searching')} />}
      {results.status === 'failed' && (
        <MessageBar intent="error">
          <MessageBarBody>{t('searchError', { message: failureText(t, results.error) })}</MessageBarBody>
        </MessageBar>
      )}
      {results.status === 'ready' && (
        <section aria-labelledby="link-results-title" data-testid="link-results">
          <Text as="h3" id="link-results-title" weight="semibold">
            {t('results')}
          </Text>
          {results.cases.length === 0 ? (
            <Text>{t('noResults')}</Text>
          ) : (
            <ul className={rows.list}>{results.cases.map(renderRow)}</ul>
          )}
        </section>
      )}

      {threadCases.length > 0 && (
        <section aria-labelledby="link-thread-title" data-testid="link-suggestions-thread">
          <Text as="h3" id="link-thread-title" weight="semibold">
            {t('suggestionsThread')}
          </Text>
          <ul className={rows.list}>{threadCases.map(renderRow)}</ul>
        </section>
      )}
      {senderSuggestions.length > 0 && (
        <section aria-labelledby="link-sender-title" data-testid="link-suggestions-sender">
          <Text as="h3" id="link-sender-title" weight="semibold">
            {t('suggestionsSender', { email: sender })}
          </Text>
          <ul className={rows.list}>{senderSuggestions.map(renderRow)}</ul>
        </section>
      )}
      {threadCases.length === 0 && senderSuggestions.length === 0 && results.status === 'idle' && (
        <Text className={styles.muted}>{t('noSuggestions')}</Text>
      )}
    </div>
  );
}
