/**
 * Prints the raw and gzipped size of what taskpane.html loads up front (the initial chunks: every
 * <script src> of the built page) and of the other (lazy) chunks in dist/addin.
 * Run after a production build: npx tsx scripts/bundle-size.ts [--max-initial-gzip-kb N]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface ChunkSize {
  file: string;
  bytes: number;
  gzip: number;
}

export function measure(
  distDir = resolve(__dirname, '..', 'dist', 'addin'),
  page = 'taskpane.html',
): { initial: ChunkSize[]; lazy: ChunkSize[] } {
  const html = readFileSync(join(distDir, page), 'utf8');
  const initialFiles = [...html.matchAll(/<script[^>]*\ssrc="?([^"\s>]+)"?/g)]
    .map((m) => m[1])
    .filter((src) => !/^https?:/.test(src))
    .map((src) => src.replace(/^\//, ''));
  const size = (file: string): ChunkSize => {
    const buf = readFileSync(join(distDir, file));
    return { file, bytes: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
  };
  const initial = initialFiles.map(size);
  const lazy = readdirSync(distDir)
    .filter((f) => f.endsWith('.js') && !initialFiles.includes(f))
    .map(size);
  return { initial, lazy };
}

if (require.main === module) {
  const { initial, lazy } = measure();
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  console.log('taskpane.html initial chunks:');
  for (const c of initial)
    console.log(`  ${c.file.padEnd(36)} ${kb(c.bytes).padStart(10)}  gzip ${kb(c.gzip).padStart(10)}`);
  const total = initial.reduce((s, c) => s + c.gzip, 0);
  console.log(`  total initial gzip: ${kb(total)}`);
  console.log('other chunks (lazy or other pages):');
  for (const c of lazy)
    console.log(`  ${c.file.padEnd(36)} ${kb(c.bytes).padStart(10)}  gzip ${kb(c.gzip).padStart(10)}`);
  const i = process.argv.indexOf('--max-initial-gzip-kb');
  if (i > 0 && total / 1024 > Number(process.argv[i + 1])) {
    console.error(`initial gzip ${kb(total)} is over the budget of ${process.argv[i + 1]} KiB`);
    process.exit(1);
  }
}
