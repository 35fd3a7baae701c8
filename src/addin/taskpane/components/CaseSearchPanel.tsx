import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { CaseRecord } from '../../../shared/api-types';
import { useI18n } from '../../i18n';
import { useCaseListStyles } from './case-list-styles';
import { failureText } from './failure';
import type { useCaseSearch } from './case-search';

const useStyles = makeStyles({
  searchRow: { display: 'flex', columnGap: tokens.spacingHorizontalS, alignItems: 'flex-end' },
  grow: { flexGrow: 1, minWidth: '0' },
  section: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS },
});

/**
 * A case search box with its results list: number, subject words or email (see searchFor). Test ids are
 * `<idPrefix>-search-input`, `-search-button` and `-search-results`; each result is drawn by `renderCase`.
 */
export function CaseSearchPanel({
  idPrefix,
  search,
  renderCase,
}: {
  idPrefix: string;
  search: ReturnType<typeof useCaseSearch>;
  renderCase: (found: CaseRecord) => ReactNode;
}) {
  const styles = useStyles();
  const rows = useCaseListStyles();
  const { t } = useI18n();
  const { results } = search;
  return (
    <>
      <form className={styles.searchRow} onSubmit={search.submit} role="search">
        <Field label={t('searchLabel')} className={styles.grow}>
          <Input
            data-testid={`${idPrefix}-search-input`}
            type="search"
            value={search.query}
            placeholder={t('searchPlaceholder')}
            onChange={(_, d) => search.setQuery(d.value)}
          />
        </Field>
        <Button type="submit" data-testid={`${idPrefix}-search-button`}>
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
        <section
          className={styles.section}
          aria-labelledby={`${idPrefix}-results-title`}
          data-testid={`${idPrefix}-search-results`}
        >
          <Text as="h3" id={`${idPrefix}-results-title`} weight="semibold">
            {t('results')}
          </Text>
          {results.cases.length === 0 ? (
            <Text>{t('noResults')}</Text>
          ) : (
            <ul className={rows.list}>{results.cases.map(renderCase)}</ul>
          )}
        </section>
      )}
    </>
  );
}
