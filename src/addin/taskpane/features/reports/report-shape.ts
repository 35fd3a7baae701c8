import type { LookupRef } from '../../../../shared/api-types';
import type {
  AgingRow,
  CreatedClosedRow,
  DurationRow,
  ReportName,
  ReportRows,
} from '../../../../shared/report-types';
import type { PartTranslate } from '../../../i18n';
import type { ReportsKey } from '../../../i18n/catalogs/reports';

type Translate = PartTranslate<ReportsKey>;

/** How each report reads as a table and as a chart: pure, so the view stays small and this is tested alone. */

export type AnyRow = ReportRows[ReportName];

export interface Column {
  header: ReportsKey;
  cell(row: AnyRow, t: Translate): string | number;
  numeric?: boolean;
}

/** A bar: its label, height, and an optional second value drawn as a line (trend, p90). */
export interface Bar {
  label: string;
  value: number;
  line?: number;
}

const hours = (seconds: number) => Math.round((seconds / 3600) * 10) / 10;
const ownerName = (owner: LookupRef | null, t: Translate) => owner?.name || t('reportUnassigned');
const text = (value: string | null, t: Translate) => value ?? t('reportNone');

const count: Column = {
  header: 'reportColCount',
  cell: (r) => (r as { count: number }).count,
  numeric: true,
};
const durationColumns = (first: Column): Column[] => [
  first,
  { header: 'reportColCases', cell: (r) => (r as DurationRow).cases, numeric: true },
  { header: 'reportColMedianHours', cell: (r) => hours((r as DurationRow).median_seconds), numeric: true },
  { header: 'reportColP90Hours', cell: (r) => hours((r as DurationRow).p90_seconds), numeric: true },
];
const byOwnerOrWeek: Column = {
  header: 'reportColOwnerOrWeek',
  cell: (r, t) => {
    const row = r as DurationRow;
    return (
      row.period ??
      (row.owner === null && row.period === null ? t('reportTeamTotal') : ownerName(row.owner, t))
    );
  },
};

export const COLUMNS: Record<ReportName, Column[]> = {
  open_by_status_owner: [
    { header: 'reportColStatus', cell: (r) => (r as ReportRows['open_by_status_owner']).status },
    {
      header: 'reportColOwner',
      cell: (r, t) => ownerName((r as ReportRows['open_by_status_owner']).owner, t),
    },
    count,
  ],
  open_by_priority: [
    { header: 'reportColPriority', cell: (r, t) => text((r as ReportRows['open_by_priority']).priority, t) },
    count,
  ],
  open_by_origin: [
    { header: 'reportColOrigin', cell: (r, t) => text((r as ReportRows['open_by_origin']).origin, t) },
    count,
  ],
  open_by_type_reason: [
    { header: 'reportColType', cell: (r, t) => text((r as ReportRows['open_by_type_reason']).type, t) },
    {
      header: 'reportColReason',
      cell: (r, t) => text((r as ReportRows['open_by_type_reason']).case_reason, t),
    },
    count,
  ],
  aging: [{ header: 'reportColAge', cell: (r, t) => t(`reportAge_${(r as AgingRow).bucket}`) }, count],
  created_vs_closed: [
    { header: 'reportColPeriod', cell: (r) => (r as CreatedClosedRow).period },
    { header: 'reportColCreated', cell: (r) => (r as CreatedClosedRow).created, numeric: true },
    { header: 'reportColClosed', cell: (r) => (r as CreatedClosedRow).closed, numeric: true },
    { header: 'reportColCreatedTrend', cell: (r) => (r as CreatedClosedRow).created_trend, numeric: true },
    { header: 'reportColClosedTrend', cell: (r) => (r as CreatedClosedRow).closed_trend, numeric: true },
  ],
  first_response: durationColumns(byOwnerOrWeek),
  resolution: durationColumns(byOwnerOrWeek),
  escalations: [
    { header: 'reportColPeriod', cell: (r) => (r as ReportRows['escalations']).period },
    {
      header: 'reportColEscalations',
      cell: (r) => (r as ReportRows['escalations']).escalations,
      numeric: true,
    },
  ],
  past_escalation: [
    { header: 'reportColOwner', cell: (r, t) => ownerName((r as ReportRows['past_escalation']).owner, t) },
    count,
  ],
};

/** The bars of a report: the label is its first columns joined, the value its main number. */
export function barsOf(report: ReportName, rows: readonly AnyRow[], t: Translate): Bar[] {
  const columns = COLUMNS[report];
  return rows.map((row) => {
    if (report === 'first_response' || report === 'resolution') {
      const r = row as DurationRow;
      return {
        label: String(byOwnerOrWeek.cell(r, t)),
        value: hours(r.median_seconds),
        line: hours(r.p90_seconds),
      };
    }
    if (report === 'created_vs_closed') {
      const r = row as CreatedClosedRow;
      return { label: r.period, value: r.created, line: r.created_trend };
    }
    const labels = columns.filter((c) => !c.numeric).map((c) => String(c.cell(row, t)));
    const value = columns.find((c) => c.numeric)?.cell(row, t);
    return { label: labels.join(' · '), value: Number(value) };
  });
}
