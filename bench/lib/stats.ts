/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

export const fmt = {
  ms: (v: number) => (Number.isFinite(v) ? (v < 10 ? v.toFixed(2) : v.toFixed(1)) : '—'),
  int: (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '—'),
  ratio: (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '—'),
  mib: (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 2 ** 20).toFixed(0)} MiB` : '—'),
  s: (ms: number) => `${(ms / 1000).toFixed(1)} s`,
};

/** A plain-text table with a title, right-aligned numbers; also returned as markdown for latest.md. */
export function table(
  title: string,
  header: string[],
  rows: (string | number)[][],
): { text: string; markdown: string } {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const text = [
    `\n${title}`,
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n');
  const md = [
    `**${title}**`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...cells.slice(1).map((r) => `| ${r.join(' | ')} |`),
    '',
  ].join('\n');
  return { text, markdown: md };
}
