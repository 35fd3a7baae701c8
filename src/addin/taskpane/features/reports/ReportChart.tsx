import { LineChart, VerticalBarChart } from '@fluentui/react-charts';
import { makeStyles, tokens } from '@fluentui/react-components';
import { useLayoutEffect, useRef, useState } from 'react';
import type { CreatedClosedRow, ReportName } from '../../../../shared/report-types';
import { usePartI18n } from '../../../i18n';
import { REPORTS_TEXT } from '../../../i18n/catalogs/reports';
import { type AnyRow, barsOf } from './report-shape';

const useStyles = makeStyles({
  chart: { width: '100%', minHeight: '220px', color: tokens.colorNeutralForeground1 },
});

/**
 * The charts draw SVG with colours as attribute values, where CSS variables do not resolve: each Fluent token is
 * read from the theme in effect at this element, so the chart follows light, dark and high contrast like the rest.
 */
function useTokenColours(names: readonly (keyof typeof tokens)[]) {
  const ref = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<{ colours: string[]; width: number }>({ colours: [], width: 300 });
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    // The chart is hidden from screen readers (the table beside it says the same), but the charts library makes its
    // bars and legend focusable: a Tab stop inside aria-hidden is announced as nothing (axe aria-hidden-focus).
    // inert takes the whole chart out of the Tab order too; keyboard users read the table.
    element.inert = true;
    const style = getComputedStyle(element);
    const colours = names.map((name) => {
      const variable = /var\((--[^)]+)\)/.exec(tokens[name])?.[1];
      return (variable && style.getPropertyValue(variable).trim()) || 'currentColor';
    });
    setState({ colours, width: Math.max(260, element.clientWidth) });
    // The names are a constant of the caller.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return { ref, ...state };
}

const SERIES = [
  'colorBrandBackground',
  'colorPaletteDarkOrangeBorderActive',
  'colorPaletteBlueBorderActive',
  'colorPaletteRedBorderActive',
] as const;

/** The chart of a report; hidden from screen readers, which read the table beside it instead. */
export function ReportChart({ report, rows }: { report: ReportName; rows: readonly AnyRow[] }) {
  const styles = useStyles();
  const { t, language } = usePartI18n(REPORTS_TEXT);
  const { ref, colours, width } = useTokenColours(SERIES);
  const ready = colours.length > 0;
  let chart = null;
  if (ready && report === 'created_vs_closed') {
    const points = (pick: (r: CreatedClosedRow) => number) =>
      (rows as CreatedClosedRow[]).map((r) => ({ x: new Date(`${r.period}T00:00:00Z`), y: pick(r) }));
    chart = (
      <LineChart
        width={width}
        height={240}
        culture={language}
        data={{
          lineChartData: [
            { legend: t('reportColCreated'), data: points((r) => r.created), color: colours[0] },
            { legend: t('reportColClosed'), data: points((r) => r.closed), color: colours[1] },
            { legend: t('reportColCreatedTrend'), data: points((r) => r.created_trend), color: colours[2] },
            { legend: t('reportColClosedTrend'), data: points((r) => r.closed_trend), color: colours[3] },
          ],
        }}
      />
    );
  } else if (ready) {
    const bars = barsOf(report, rows, t);
    const withLine = bars.some((b) => b.line !== undefined);
    chart = (
      <VerticalBarChart
        width={width}
        height={240}
        culture={language}
        hideLegend={!withLine}
        lineLegendText={withLine ? t('reportColP90Hours') : undefined}
        lineLegendColor={colours[1]}
        wrapXAxisLables
        data={bars.map((b) => ({
          x: b.label,
          y: b.value,
          color: colours[0],
          legend: b.label,
          ...(b.line !== undefined ? { lineData: { y: b.line } } : {}),
        }))}
      />
    );
  }
  return (
    <div ref={ref} className={styles.chart} aria-hidden="true" data-testid="report-chart">
      {chart}
    </div>
  );
}
