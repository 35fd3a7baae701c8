/** The arithmetic of the reports, pure so it is tested on its own: percentiles, periods, trend lines. */

/**
 * Median in seconds from the two middle values in milliseconds (the same value twice for an odd count): their mean,
 * each first turned into seconds, so it is the mean of the two middle durations as they are reported. The ranks
 * themselves are taken in SQL (report.repository: summariseDurations); p90 is the nearest rank, ceil(0.9 n), so
 * it is always a time that happened.
 */
export function medianSeconds(lowerMiddleMs: number, upperMiddleMs: number): number {
  return (lowerMiddleMs / 1000 + upperMiddleMs / 1000) / 2;
}

const DAY_MS = 86_400_000;

/** The Monday (UTC) of the ISO week holding this day, as YYYY-MM-DD. */
export function weekOf(day: string): string {
  const date = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  return new Date(date.getTime() - sinceMonday * DAY_MS).toISOString().slice(0, 10);
}

/** Every period from the one holding `from` to the one holding the last instant before `to`, in order. */
export function periods(from: Date, to: Date, interval: 'day' | 'week'): string[] {
  const first = from.toISOString().slice(0, 10);
  const last = new Date(to.getTime() - 1).toISOString().slice(0, 10);
  const out: string[] = [];
  let cursor = interval === 'week' ? weekOf(first) : first;
  const step = interval === 'week' ? 7 * DAY_MS : DAY_MS;
  while (cursor <= last) {
    out.push(cursor);
    cursor = new Date(new Date(`${cursor}T00:00:00Z`).getTime() + step).toISOString().slice(0, 10);
  }
  return out;
}

// The week of each day, computed once: an 11-month report puts 45,000 times through periodOf, and building two
// Dates per time was 40 ms of its 165 (measured); a range holds a few hundred days.
const weekOfDay = new Map<string, string>();

export function periodOf(time: string, interval: 'day' | 'week'): string {
  const day = time.slice(0, 10);
  if (interval === 'day') return day;
  let week = weekOfDay.get(day);
  if (week === undefined) {
    if (weekOfDay.size >= 10_000) weekOfDay.clear();
    week = weekOf(day);
    weekOfDay.set(day, week);
  }
  return week;
}

/** Least squares over x = 0, 1, … n-1: the fitted value at each x, rounded to 2 places. */
export function trendLine(values: readonly number[]): number[] {
  const n = values.length;
  if (n === 0) return [];
  if (n === 1) return [values[0]];
  const meanX = (n - 1) / 2;
  const meanY = values.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  values.forEach((y, x) => {
    sxy += (x - meanX) * (y - meanY);
    sxx += (x - meanX) ** 2;
  });
  const slope = sxy / sxx;
  return values.map((_, x) => Math.round((meanY + slope * (x - meanX)) * 100) / 100);
}
