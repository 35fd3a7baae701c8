import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { FormEvent, useEffect, useRef, useState } from 'react';
import { referencedCaseNumbers, withCaseReference } from '../../../../shared/case-reference';
import { isValidEmail } from '../../../../shared/validation';
import { isAbort } from '../../../api/errors';
import type { SolutionRecord } from '../../../../shared/followup-types';
import { useI18n } from '../../../i18n';
import type { ComposeItem } from '../../../office/types';
import { useCaseListStyles } from '../../components/case-list-styles';
import { StatusBadge } from '../../components/StatusBadge';
import { failureText } from '../../components/failure';
import { CaseRow, searchFor, senderOpenCases } from '../link-case/LinkCase';
import { useServices } from '../../services';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  section: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS },
  chosen: { backgroundColor: tokens.colorBrandBackground2 },
  text: { overflowWrap: 'anywhere' },
  answer: {
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    maxHeight: '6em',
    overflowY: 'hidden',
    color: tokens.colorNeutralForeground3,
  },
  searchRow: { display: 'flex', columnGap: tokens.spacingHorizontalS, alignItems: 'flex-end' },
  grow: { flexGrow: 1, minWidth: '0' },
  muted: { color: tokens.colorNeutralForeground3 },
});

type Notice = { intent: 'success' | 'error'; text: string; testId: string } | null;

/** At most this many recipients are looked up for open cases (a reply-all to a list should not fan out). */
const MAX_RECIPIENT_LOOKUPS = 5;

/**
 * The pane while writing a message: choose the case the reply belongs to (the one the subject refers to, open cases
 * of the recipients, or a search), put its reference in the subject so the answer threads back, and insert the answer
 * of a published Solution into the body.
 */
export function ComposePane() {
  const { host, api } = useServices();
  const styles = useStyles();
  const rows = useCaseListStyles();
  const { t } = useI18n();
  const [item, setItem] = useState<ComposeItem | null>(null);
  const [readError, setReadError] = useState<unknown>(null);
  const [suggested, setSuggested] = useState<{ referenced: CaseRow[]; recipients: CaseRow[] }>({
    referenced: [],
    recipients: [],
  });
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<CaseRow[] | null>(null);
  const [chosen, setChosen] = useState<CaseRow | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  const [solutionQuery, setSolutionQuery] = useState('');
  const [solutions, setSolutions] = useState<
    | { status: 'idle' | 'searching' }
    | { status: 'ready'; list: SolutionRecord[] }
    | { status: 'failed'; error: unknown }
  >({
    status: 'idle',
  });
  const solutionSearch = useRef<AbortController | null>(null);

  useEffect(() => {
    let active = true;
    host.readCompose().then(
      (read) => {
        if (active) setItem(read);
      },
      (error: unknown) => {
        if (active) setReadError(error);
      },
    );
    return () => {
      active = false;
    };
  }, [host]);

  // Suggestions: the case(s) the subject refers to first, then open cases of the recipients.
  useEffect(() => {
    if (!item) return;
    const controller = new AbortController();
    const numbers = referencedCaseNumbers(item.subject);
    const recipients = [
      ...new Set([...item.to, ...item.cc].map((p) => p.email.toLowerCase()).filter(isValidEmail)),
    ].slice(0, MAX_RECIPIENT_LOOKUPS);
    const quiet = <T,>(p: Promise<T[]>) => p.catch(() => [] as T[]);
    void Promise.all([
      Promise.all(
        numbers.map((n) =>
          quiet(api.searchCases({ criteria: `(Case_Number:equals:${n})` }, controller.signal)),
        ),
      ),
      Promise.all(
        recipients.map((email) => quiet(api.searchCases(senderOpenCases(email), controller.signal))),
      ),
    ]).then(([byNumber, byRecipient]) => {
      if (controller.signal.aborted) return;
      const referenced = byNumber.flat();
      const seen = new Set(referenced.map((c) => c.id));
      const open = byRecipient.flat().filter((c) => !seen.has(c.id) && (seen.add(c.id), true));
      setSuggested({ referenced, recipients: open });
      if (referenced[0]) setChosen((c) => c ?? referenced[0]);
    });
    return () => controller.abort();
  }, [api, item]);

  const search = async (event: FormEvent) => {
    event.preventDefault();
    const s = searchFor(query);
    if (!s) return setResults(null);
    try {
      setResults(await api.searchCases(s));
    } catch (error) {
      setNotice({
        intent: 'error',
        text: t('searchError', { message: failureText(t, error) }),
        testId: 'compose-error',
      });
    }
  };

  const insertReference = async () => {
    if (!chosen) return;
    setBusy(true);
    try {
      // Read the subject again: the agent may have edited it since the pane opened.
      const current = await host.readCompose();
      const subject = withCaseReference(current.subject, chosen.Case_Number);
      if (subject !== current.subject) await host.setComposeSubject(subject);
      setItem({ ...current, subject });
      setNotice({
        intent: 'success',
        text: t('referenceInserted', { number: chosen.Case_Number }),
        testId: 'compose-reference-inserted',
      });
    } catch (error) {
      setNotice({
        intent: 'error',
        text: t('composeFailed', { message: error instanceof Error ? error.message : String(error) }),
        testId: 'compose-error',
      });
    } finally {
      setBusy(false);
    }
  };

  const searchSolutions = (event: FormEvent) => {
    event.preventDefault();
    solutionSearch.current?.abort();
    const controller = new AbortController();
    solutionSearch.current = controller;
    setSolutions({ status: 'searching' });
    api.searchSolutions(solutionQuery, controller.signal).then(
      (list) => {
        if (!controller.signal.aborted) setSolutions({ status: 'ready', list });
      },
      (error: unknown) => {
        if (!controller.signal.aborted && !isAbort(error)) setSolutions({ status: 'failed', error });
      },
    );
  };

  const insertSolution = async (solution: SolutionRecord) => {
    try {
      await host.insertComposeText(solution.Answer);
      setNotice({
        intent: 'success',
        text: t('solutionInserted', { title: solution.Solution_Title }),
        testId: 'compose-solution-inserted',
      });
    } catch (error) {
      setNotice({
        intent: 'error',
        text: t('composeFailed', { message: error instanceof Error ? error.message : String(error) }),
        testId: 'compose-error',
      });
    }
  };

  if (readError) {
    return (
      <MessageBar intent="error" data-testid="compose-error">
        <MessageBarBody>
          {t('composeFailed', {
            message: readError instanceof Error ? readError.message : String(readError),
          })}
        </MessageBarBody>
      </MessageBar>
    );
  }
  if (!item) return <Spinner label={t('loading')} />;

  const row = (c: CaseRow) => (
    <li key={c.id} className={mergeClasses(rows.item, chosen?.id === c.id && styles.chosen)}>
      <div className={rows.itemText}>
        <div className={rows.head}>
          <Text weight="semibold">{c.Case_Number}</Text>
          <StatusBadge status={c.Status} />
        </div>
        <Text className={styles.text}>{c.Subject}</Text>
      </div>
      <Button
        size="small"
        data-testid={`compose-pick-${c.Case_Number}`}
        aria-pressed={chosen?.id === c.id}
        // The accessible name starts with the visible text (WCAG "label in name"), then says which case.
        aria-label={`${chosen?.id === c.id ? t('composePicked') : t('composePick')} ${c.Case_Number}`}
        onClick={() => setChosen(c)}
      >
        {chosen?.id === c.id ? t('composePicked') : t('composePick')}
      </Button>
    </li>
  );

  return (
    <div className={styles.root} data-testid="compose-pane">
      <Text as="h1" weight="semibold" size={400}>
        {t('composeTitle')}
      </Text>
      <Text className={styles.text} data-testid="compose-subject">
        {item.subject || t('noSubject')}
      </Text>
      {notice && (
        <MessageBar intent={notice.intent} data-testid={notice.testId}>
          <MessageBarBody>{notice.text}</MessageBarBody>
        </MessageBar>
      )}

      <section className={styles.section} aria-labelledby="compose-case-title">
        <Text as="h3" id="compose-case-title" weight="semibold">
          {t('composeCase')}
        </Text>
        {suggested.referenced.length > 0 && (
          <div data-testid="compose-suggestions-reference">
            <Text size={200} className={styles.muted}>
              {t('composeReferenced')}
            </Text>
            <ul className={rows.list}>{suggested.referenced.map(row)}</ul>
          </div>
        )}
        {suggested.recipients.length > 0 && (
          <div data-testid="compose-suggestions-recipients">
            <Text size={200} className={styles.muted}>
              {t('composeRecipients')}
            </Text>
            <ul className={rows.list}>{suggested.recipients.map(row)}</ul>
          </div>
        )}
        <form className={styles.searchRow} role="search" onSubmit={(e) => void search(e)}>
          <Field label={t('searchLabel')} className={styles.grow}>
            <Input
              data-testid="compose-case-search"
              type="search"
              value={query}
              onChange={(_, d) => setQuery(d.value)}
            />
          </Field>
          <Button type="submit">{t('searchButton')}</Button>
        </form>
        {results &&
          (results.length ? (
            <ul className={rows.list}>{results.map(row)}</ul>
          ) : (
            <Text>{t('noResults')}</Text>
          ))}
        <Button
          appearance="primary"
          data-testid="compose-insert-reference"
          disabled={!chosen || busy}
          onClick={() => void insertReference()}
        >
          {chosen ? t('insertReferenceFor', { number: chosen.Case_Number }) : t('insertReference')}
        </Button>
      </section>

      <section className={styles.section} aria-labelledby="compose-solutions-title">
        <Text as="h3" id="compose-solutions-title" weight="semibold">
          {t('composeSolutions')}
        </Text>
        <form className={styles.searchRow} role="search" onSubmit={searchSolutions}>
          <Field label={t('solutionSearchLabel')} className={styles.grow}>
            <Input
              data-testid="compose-solution-search"
              type="search"
              value={solutionQuery}
              onChange={(_, d) => setSolutionQuery(d.value)}
            />
          </Field>
          <Button type="submit" data-testid="compose-solution-search-button">
            {t('searchButton')}
          </Button>
        </form>
        {solutions.status === 'searching' && <Spinner size="tiny" label={t('searching')} />}
        {solutions.status === 'failed' && (
          <MessageBar intent="error">
            <MessageBarBody>{t('searchError', { message: failureText(t, solutions.error) })}</MessageBarBody>
          </MessageBar>
        )}
        {solutions.status === 'ready' &&
          (solutions.list.length === 0 ? (
            <Text>{t('solutionsNotFound')}</Text>
          ) : (
            <ul className={rows.list} data-testid="compose-solutions">
              {solutions.list.map((s) => (
                <li key={s.id} className={rows.item} data-testid={`compose-solution-${s.Solution_Number}`}>
                  <div className={rows.itemText}>
                    <Text weight="semibold" className={styles.text}>
                      {s.Solution_Title}
                    </Text>
                    <Text size={200} className={styles.answer}>
                      {s.Answer}
                    </Text>
                  </div>
                  <Button
                    size="small"
                    data-testid={`compose-insert-solution-${s.Solution_Number}`}
                    aria-label={t('insertSolutionLabel', { title: s.Solution_Title })}
                    onClick={() => void insertSolution(s)}
                  >
                    {t('insert')}
                  </Button>
                </li>
              ))}
            </ul>
          ))}
      </section>
    </div>
  );
}
