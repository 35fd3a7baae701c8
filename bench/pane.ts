import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT } from './lib/proc';

export interface PaneResult {
  built: boolean;
  note?: string;
  initialScripts: { file: string; bytes: number; gzipBytes: number }[];
  initialGzipBytes: number;
  initialBytes: number;
  /** Chromium cold-load timings (median of 20), when measured. */
  timings?: { toFormMs: number; toStatusMs: number; runs: number };
}

/**
 * Task-pane bundle size: the scripts taskpane.html loads before anything else (the initial chunk set), gzipped at
 * level 9 as a CDN would serve them. Needs the production build in dist/addin (`npx webpack --mode production`).
 */
export function paneBundle(dist = path.join(ROOT, 'dist', 'addin')): PaneResult {
  const html = path.join(dist, 'taskpane.html');
  if (!fs.existsSync(html))
    return {
      built: false,
      note: `no production build at ${path.relative(ROOT, dist)}/taskpane.html (run: npx webpack --mode production)`,
      initialScripts: [],
      initialGzipBytes: NaN,
      initialBytes: NaN,
    };
  const page = fs.readFileSync(html, 'utf8');
  const scripts = [...page.matchAll(/<script[^>]*\ssrc=(?:"([^"]+)"|'([^']+)'|([^\s>]+))/g)]
    .map((m) => m[1] ?? m[2] ?? m[3])
    .filter((src) => !/^https?:/.test(src))
    .map((src) => path.join(dist, src.replace(/^\.?\//, '')))
    .filter((file) => fs.existsSync(file));
  const initialScripts = scripts.map((file) => {
    const data = fs.readFileSync(file);
    return {
      file: path.relative(dist, file),
      bytes: data.length,
      gzipBytes: zlib.gzipSync(data, { level: 9 }).length,
    };
  });
  return {
    built: true,
    initialScripts,
    initialBytes: initialScripts.reduce((a, s) => a + s.bytes, 0),
    initialGzipBytes: initialScripts.reduce((a, s) => a + s.gzipBytes, 0),
  };
}
