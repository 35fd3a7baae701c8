import { partTranslator } from '../../../../../src/addin/i18n';
import { REPORTS_TEXT } from '../../../../../src/addin/i18n/catalogs/reports';
import { reportsEn } from '../../../../../src/addin/i18n/catalogs/reports.en';
import { reportsPl } from '../../../../../src/addin/i18n/catalogs/reports.pl';
import { reportsZh } from '../../../../../src/addin/i18n/catalogs/reports.zh-CN';
import { COLUMNS, barsOf } from '../../../../../src/addin/taskpane/features/reports/report-shape';
import { REPORT_NAMES } from '../../../../../src/shared/report-types';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const t = partTranslator(REPORTS_TEXT, 'en');

describe('the Reports view strings and shapes', () => {
  it.each([
    ['pl', reportsPl],
    ['zh-CN', reportsZh],
  ])('%s has every string, with the same placeholders, translated', (_, catalog) => {
    expect(Object.keys(catalog).sort()).toEqual(Object.keys(reportsEn).sort());
    for (const [key, text] of Object.entries(reportsEn))
      expect(placeholders(catalog[key as keyof typeof reportsEn])).toEqual(placeholders(text));
    const copies = Object.keys(reportsEn).filter(
      (k) => catalog[k as keyof typeof reportsEn] === reportsEn[k as keyof typeof reportsEn],
    );
    // Only a few words are the same in Polish (Status) or a code (CSV).
    expect(copies.length).toBeLessThan(3);
  });

  it('every report has a title and columns with headers', () => {
    for (const name of REPORT_NAMES) {
      expect(reportsEn[`report_${name}`]).toBeTruthy();
      expect(COLUMNS[name].length).toBeGreaterThan(1);
    }
  });

  it('durations chart the median in hours with p90 as the line; owners by name, unassigned named', () => {
    const bars = barsOf(
      'first_response',
      [
        {
          owner: { id: '1', name: 'Anna' },
          period: null,
          cases: 3,
          median_seconds: 7200,
          p90_seconds: 14400,
        },
        { owner: null, period: '2026-11-02', cases: 1, median_seconds: 1800, p90_seconds: 1800 },
      ],
      t,
    );
    expect(bars).toEqual([
      { label: 'Anna', value: 2, line: 4 },
      { label: '2026-11-02', value: 0.5, line: 0.5 },
    ]);
    const open = barsOf('open_by_status_owner', [{ status: 'New', owner: null, count: 4 }], t);
    expect(open).toEqual([{ label: 'New · Unassigned', value: 4 }]);
  });
});
