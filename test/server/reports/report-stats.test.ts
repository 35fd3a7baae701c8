import { csvCell, toCsv } from '../../../src/server/reports/report.csv';
import { medianSeconds, periods, trendLine, weekOf } from '../../../src/server/reports/report.stats';

describe('report arithmetic', () => {
  it('the median in seconds is the mean of the two middle durations in seconds, one for an odd count', () => {
    expect(medianSeconds(7_200_000, 7_200_000)).toBe(7200);
    expect(medianSeconds(1_000, 4_000)).toBe(2.5);
    // As the mean of 0.1 s and 0.2 s reported apart: (0.1 + 0.2) / 2, not 300 ms / 2000.
    expect(medianSeconds(100, 200)).toBe((0.1 + 0.2) / 2);
  });

  it('weeks start on Monday (UTC); periods cover the range', () => {
    expect(weekOf('2026-11-29')).toBe('2026-11-23');
    expect(weekOf('2026-11-30T23:59:59Z')).toBe('2026-11-30');
    expect(periods(new Date('2026-11-28T00:00:00Z'), new Date('2026-12-01T00:00:00Z'), 'day')).toEqual([
      '2026-11-28',
      '2026-11-29',
      '2026-11-30',
    ]);
    expect(periods(new Date('2026-11-28T00:00:00Z'), new Date('2026-12-01T00:00:00Z'), 'week')).toEqual([
      '2026-11-23',
      '2026-11-30',
    ]);
  });

  it('least squares through points on a line is the line', () => {
    expect(trendLine([1, 3, 5, 7])).toEqual([1, 3, 5, 7]);
    expect(trendLine([2, 0, 2, 0])).toEqual([1.6, 1.2, 0.8, 0.4]);
  });

  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['plain', 'plain'],
  ])('a CSV cell %j is written %j', (value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  it('numbers keep their sign and rows end in CRLF after a BOM', () => {
    expect(toCsv(['a', 'b'], [[-1.5, null]])).toBe('\uFEFFa,b\r\n-1.5,\r\n');
  });
});
