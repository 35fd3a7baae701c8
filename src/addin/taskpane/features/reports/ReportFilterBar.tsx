import { Field, Input, makeStyles, tokens } from '@fluentui/react-components';
// Its own package, not the barrel: see ReportTable.tsx.
import { Select } from '@fluentui/react-select';
import type { UserRecord } from '../../../../shared/api-types';
import { STANDARD_FIELDS } from '../../../../shared/case-fields';
import { REPORT_NAMES, type ReportFilters, type ReportName } from '../../../../shared/report-types';
import { usePartI18n } from '../../../i18n';
import { REPORTS_TEXT } from '../../../i18n/catalogs/reports';

const useStyles = makeStyles({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(140px, 1fr))',
    gap: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}`,
  },
});

const picklist = (apiName: string) => STANDARD_FIELDS.find((f) => f.apiName === apiName)?.picklist ?? [];

/** The report picker and its filters: date range, owner, origin, type, and the grouping a report offers. */
export function ReportFilterBar(props: {
  report: ReportName;
  filters: ReportFilters;
  users: readonly UserRecord[];
  onReport(report: ReportName): void;
  onChange(filters: ReportFilters): void;
}) {
  const { report, filters, users, onReport, onChange } = props;
  const styles = useStyles();
  const { t, language } = usePartI18n(REPORTS_TEXT);
  const set = (key: keyof ReportFilters, value: string) =>
    onChange({ ...filters, [key]: value === '' ? undefined : value });
  const options = (apiName: string) =>
    picklist(apiName).map((o) => (
      <option key={o.value} value={o.value}>
        {o.label[language]}
      </option>
    ));
  const durations = report === 'first_response' || report === 'resolution';
  return (
    <div className={styles.grid}>
      <Field label={t('reportPick')}>
        <Select data-testid="report-pick" value={report} onChange={(_, d) => onReport(d.value as ReportName)}>
          {REPORT_NAMES.map((name) => (
            <option key={name} value={name}>
              {t(`report_${name}`)}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t('reportFrom')}>
        <Input
          data-testid="report-from"
          type="date"
          value={filters.from ?? ''}
          onChange={(_, d) => set('from', d.value)}
        />
      </Field>
      <Field label={t('reportTo')}>
        <Input
          data-testid="report-to"
          type="date"
          value={filters.to ?? ''}
          onChange={(_, d) => set('to', d.value)}
        />
      </Field>
      <Field label={t('reportOwner')}>
        <Select
          data-testid="report-owner"
          value={filters.owner ?? ''}
          onChange={(_, d) => set('owner', d.value)}
        >
          <option value="">{t('reportAnyOwner')}</option>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.full_name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t('reportOrigin')}>
        <Select
          data-testid="report-origin"
          value={filters.origin ?? ''}
          onChange={(_, d) => set('origin', d.value)}
        >
          <option value="">{t('reportAny')}</option>
          {options('Case_Origin')}
        </Select>
      </Field>
      <Field label={t('reportType')}>
        <Select
          data-testid="report-type"
          value={filters.type ?? ''}
          onChange={(_, d) => set('type', d.value)}
        >
          <option value="">{t('reportAny')}</option>
          {options('Type')}
        </Select>
      </Field>
      {report === 'created_vs_closed' && (
        <Field label={t('reportInterval')}>
          <Select
            data-testid="report-interval"
            value={filters.interval ?? 'day'}
            onChange={(_, d) => set('interval', d.value)}
          >
            <option value="day">{t('reportPerDay')}</option>
            <option value="week">{t('reportPerWeek')}</option>
          </Select>
        </Field>
      )}
      {durations && (
        <Field label={t('reportBy')}>
          <Select
            data-testid="report-by"
            value={filters.by ?? 'owner'}
            onChange={(_, d) => set('by', d.value)}
          >
            <option value="owner">{t('reportByOwner')}</option>
            <option value="week">{t('reportPerWeek')}</option>
          </Select>
        </Field>
      )}
    </div>
  );
}
