import { csvCell, toCsv } from '../../../src/server/reports/report.csv';
import { median, nearestRank, periods, trendLine, weekOf } from '../../../src/server/reports/report.stats';

describe('report arithmetic', () => {
  it('median of odd and even counts, p90 by nearest rank', () => {
    expect(median([1, 2, 9])).toBe(2);
    expect(median([1, 2, 4, 9])).toBe(3);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.9)).toBe(10);
    expect(nearestRank([5], 0.9)).toBe(5);
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
