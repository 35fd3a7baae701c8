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
import { useState } from 'react';
import type { ReportFilters, ReportInfo, ReportName } from '../../../../shared/report-types';
import { servesReports, type CasesApi, type ReportsApi } from '../../../api/client';
import { usePartI18n } from '../../../i18n';
import { REPORTS_TEXT } from '../../../i18n/catalogs/reports';
import { useAnnouncer } from '../../components/Announcer';
import { failureText } from '../../components/failure';
import { saveFile } from '../../components/save-file';
import { useLoad } from '../../hooks/useLoad';
import { ReportChart } from './ReportChart';
import { ReportFilterBar } from './ReportFilterBar';
import { ReportTable } from './ReportTable';
import { useApi } from '../../services';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  top: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    columnGap: tokens.spacingHorizontalS,
  },
  // Chart and table side by side where the pane is wide enough, stacked in a narrow one.
  body: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalL },
  part: { flex: '1 1 280px', minWidth: '0' },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** The range as days: the server's end is exclusive, so the last day shown is the one before it. */
function rangeText(info: ReportInfo): string {
  if (!info.from || !info.to) return '';
  return ` · ${info.from.slice(0, 10)} – ${new Date(Date.parse(info.to) - 1).toISOString().slice(0, 10)}`;
}

/** The API client's reports; App offers this view only where servesReports says it has them. */
function useReportsApi(): CasesApi & ReportsApi {
  const api = useApi();
  if (!servesReports(api)) throw new Error('ReportsView needs an API client that serves reports');
  return api;
}

/** Reports on cases: pick one, filter it, read it as a chart and a table, export it as CSV. */
export function ReportsView({ onBack }: { onBack(): void }) {
  const api = useReportsApi();
  const styles = useStyles();
  const { t } = usePartI18n(REPORTS_TEXT);
  const announce = useAnnouncer();
  const [report, setReport] = useState<ReportName>('open_by_status_owner');
  const [filters, setFilters] = useState<ReportFilters>({});
  const [exportError, setExportError] = useState<unknown>(null);
  const users = useLoad('users', () => api.activeUsers());
  const key = JSON.stringify([report, filters]);
  const loaded = useLoad(key, () => api.report(report, filters));

  const exportCsv = async () => {
    setExportError(null);
    try {
      saveFile(await api.reportCsv(report, filters), `${report}.csv`);
      announce(t('reportExported'));
    } catch (error) {
      setExportError(error);
    }
  };
  const state = loaded.state;
  return (
    <section className={styles.root} data-testid="reports-view" aria-labelledby="reports-title">
      <div className={styles.top}>
        <Button data-testid="reports-back" appearance="subtle" onClick={onBack}>
          {t('back')}
        </Button>
        <Button
          data-testid="report-export"
          onClick={() => void exportCsv()}
          disabled={state.status !== 'ready'}
        >
          {t('reportExport')}
        </Button>
      </div>
      <Text as="h1" id="reports-title" size={500} weight="semibold">
        {t('reportsTitle')}
      </Text>
      <ReportFilterBar
        report={report}
        filters={filters}
        users={users.state.status === 'ready' ? users.state.value : []}
        onReport={setReport}
        onChange={setFilters}
      />
      {exportError !== null && (
        <MessageBar intent="error" data-testid="report-export-error">
          <MessageBarBody>{failureText(t, exportError)}</MessageBarBody>
        </MessageBar>
      )}
      {state.status === 'loading' && <Spinner label={t('loading')} />}
      {state.status === 'error' && (
        <MessageBar intent="error" data-testid="report-error">
          <MessageBarBody>{failureText(t, state.error)}</MessageBarBody>
          <MessageBarActions>
            <Button onClick={loaded.reload}>{t('retry')}</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {state.status === 'ready' && (
        <>
          <Text className={styles.muted} data-testid="report-scope">
            {state.value.info.scope === 'own' ? t('reportScopeOwn') : t('reportScopeAll')}
            {rangeText(state.value.info)}
            {state.value.info.awaiting !== undefined
              ? ` · ${t('reportAwaiting', { count: state.value.info.awaiting })}`
              : ''}
          </Text>
          <div className={styles.body} aria-busy={loaded.refreshing}>
            <div className={styles.part}>
              <ReportChart report={report} rows={state.value.data} />
            </div>
            <div className={styles.part}>
              <ReportTable
                report={report}
                rows={state.value.data}
                teamRows={state.value.team_totals?.data}
                caption={t(`report_${report}`)}
              />
            </div>
          </div>
          {state.value.data.length === 0 && <Text data-testid="report-empty">{t('reportEmpty')}</Text>}
        </>
      )}
    </section>
  );
}
