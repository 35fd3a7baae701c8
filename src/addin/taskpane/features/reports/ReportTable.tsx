import { makeStyles, tokens } from '@fluentui/react-components';
// From the table's own package, not the barrel: imported through the barrel, the table joined the pane's first
// download (the barrel sits in the initial fluent chunk), although only this lazily loaded view uses it.
import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@fluentui/react-table';
import type { ReportName } from '../../../../shared/report-types';
import { usePartI18n } from '../../../i18n';
import { REPORTS_TEXT } from '../../../i18n/catalogs/reports';
import { type AnyRow, COLUMNS } from './report-shape';

const useStyles = makeStyles({
  numeric: { textAlign: 'end', fontVariantNumeric: 'tabular-nums' },
  team: { backgroundColor: tokens.colorNeutralBackground2 },
  caption: {
    textAlign: 'start',
    color: tokens.colorNeutralForeground3,
    paddingBottom: tokens.spacingVerticalXS,
  },
});

/** The report's numbers as a table: what screen readers read (the chart beside it is hidden from them). */
export function ReportTable(props: {
  report: ReportName;
  rows: readonly AnyRow[];
  teamRows?: readonly AnyRow[];
  caption: string;
}) {
  const { report, rows, teamRows = [], caption } = props;
  const styles = useStyles();
  const { t } = usePartI18n(REPORTS_TEXT);
  const columns = COLUMNS[report];
  const line = (row: AnyRow, i: number, team: boolean) => (
    <TableRow
      key={`${team}-${i}`}
      className={team ? styles.team : undefined}
      data-testid={team ? 'report-team-row' : 'report-row'}
    >
      {columns.map((c, j) => (
        <TableCell key={j} className={c.numeric ? styles.numeric : undefined}>
          {j === 0 && team ? `${t('reportTeamTotal')}: ${c.cell(row, t)}` : c.cell(row, t)}
        </TableCell>
      ))}
    </TableRow>
  );
  return (
    <Table size="small" data-testid="report-table">
      <caption className={styles.caption}>{caption}</caption>
      <TableHeader>
        <TableRow>
          {columns.map((c) => (
            <TableHeaderCell key={c.header} className={c.numeric ? styles.numeric : undefined}>
              {t(c.header)}
            </TableHeaderCell>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((r, i) => line(r, i, false))}
        {teamRows.map((r, i) => line(r, i, true))}
      </TableBody>
    </Table>
  );
}
