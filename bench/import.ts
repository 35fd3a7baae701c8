/**
 * Import rate and memory: a realistic CSV (Polish headers, semicolons, multi-line quoted bodies) of 10,000 and
 * 100,000 rows imported with `npm run import` into a fresh SQLite file; rows/s and the importer's peak RSS.
 * Flat memory shows as a peak that does not grow with the file.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { body, rng, senders, subject } from './lib/data';
import { ROOT, sampleRss } from './lib/proc';

export interface ImportResult {
  rows: number;
  fileBytes: number;
  seconds: number;
  rowsPerSecond: number;
  /** The CLI's own figure: from the database being open to the last row committed. */
  rowsPerSecondAfterStart: number;
  peakRssBytes: number;
}

const csvCell = (v: string) => (/[";\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

function writeCsv(file: string, rows: number): number {
  const r = rng(11);
  const pool = senders(5000);
  const out = fs.openSync(file, 'w');
  fs.writeSync(out, '\uFEFFTemat;Pochodzenie sprawy;E-mail;Zgłoszony przez;Priorytet;Opis\r\n');
  const priorities = ['High', 'Medium', 'Low'];
  let chunk: string[] = [];
  for (let i = 0; i < rows; i++) {
    const s = pool[Math.floor(r() * pool.length)];
    chunk.push(
      [subject(r, s.lang, i), 'Email', s.email, s.name, priorities[i % 3], body(r, s.lang, s.name)]
        .map(csvCell)
        .join(';'),
    );
    if (chunk.length === 5000) {
      fs.writeSync(out, `${chunk.join('\r\n')}\r\n`);
      chunk = [];
    }
  }
  if (chunk.length) fs.writeSync(out, `${chunk.join('\r\n')}\r\n`);
  fs.closeSync(out);
  return fs.statSync(file).size;
}

async function importOnce(
  file: string,
  dataDir: string,
): Promise<{ seconds: number; peak: number; afterStart: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli/import.ts', file], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const rss = sampleRss(child.pid as number, 50);
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const { maxBytes } = rss.stop();
  if (code !== 0) throw new Error(`import failed: ${output.slice(-500)}`);
  const afterStart = Number(/(\d+) rows\/s/.exec(output)?.[1] ?? NaN);
  return { seconds: (Date.now() - started) / 1000, peak: maxBytes, afterStart };
}

export async function importBench(sizes: number[], log: (s: string) => void): Promise<ImportResult[]> {
  const results: ImportResult[] = [];
  for (const rows of sizes) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casepane-import-bench-'));
    try {
      const file = path.join(dir, `cases-${rows}.csv`);
      const fileBytes = writeCsv(file, rows);
      const { seconds, peak, afterStart } = await importOnce(file, path.join(dir, 'data'));
      const result = {
        rows,
        fileBytes,
        seconds,
        rowsPerSecond: rows / seconds,
        rowsPerSecondAfterStart: afterStart,
        peakRssBytes: peak,
      };
      log(
        `  import ${rows} rows (${(fileBytes / 2 ** 20).toFixed(1)} MiB): ${Math.round(result.rowsPerSecond)} rows/s incl. start-up, peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`,
      );
      results.push(result);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
}
