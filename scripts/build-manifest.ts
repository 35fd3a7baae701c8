/**
 * Writes dist/addin/manifest.xml from manifest.xml, with every URL (icons, task pane, function file,
 * support URL, AppDomains, and the <Resources> of both VersionOverrides levels: the V1_1 one and the V1_0
 * fallback) moved from the development origin to ONE setting: env ADDIN_ORIGIN
 * (e.g. https://casepane.example.com). Without ADDIN_ORIGIN the development origin is kept.
 * The written manifest is then checked offline (scripts/validate-manifest.ts) against that origin.
 *
 * Run after webpack (whose output.clean empties dist/addin): npx tsx scripts/build-manifest.ts [outFile]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { validateManifest } from './validate-manifest';

export const DEV_ORIGIN = 'https://localhost:3000';

/** Normalises and checks an add-in origin: https, host (and port) only, no path, query or trailing slash. */
export function parseOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`ADDIN_ORIGIN "${value}" is not a URL (expected e.g. https://casepane.example.com)`);
  }
  if (url.protocol !== 'https:')
    throw new Error(`ADDIN_ORIGIN "${value}" must use https: Office loads add-ins only over https`);
  if (
    (url.pathname !== '/' && url.pathname !== '') ||
    url.search ||
    url.hash ||
    url.username ||
    url.password
  ) {
    throw new Error(
      `ADDIN_ORIGIN "${value}" must be an origin only (scheme://host[:port]), without path, query or credentials`,
    );
  }
  return url.origin;
}

/** The manifest text with the development origin replaced by `origin`. */
export function retargetManifest(xml: string, origin: string): string {
  const target = parseOrigin(origin);
  // Replace only the origin followed by a path, quote or "<" so https://localhost:30001 could never match.
  return xml.replace(/https:\/\/localhost:3000(?=[/"<])/g, target);
}

export async function buildManifest(
  options: { origin?: string; source?: string; outFile?: string } = {},
): Promise<string> {
  const root = resolve(__dirname, '..');
  const source = options.source ?? resolve(root, 'manifest.xml');
  const outFile = options.outFile ?? resolve(root, 'dist', 'addin', 'manifest.xml');
  const origin = parseOrigin(options.origin ?? DEV_ORIGIN);
  const xml = retargetManifest(readFileSync(source, 'utf8'), origin);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, xml);
  const { problems } = await validateManifest(outFile, { origin, assetsDir: resolve(root, 'assets') });
  if (problems.length) throw new Error(`${outFile} is not valid:\n  - ${problems.join('\n  - ')}`);
  return outFile;
}

if (require.main === module) {
  const origin = process.env.ADDIN_ORIGIN || DEV_ORIGIN;
  if (!process.env.ADDIN_ORIGIN)
    console.warn(`ADDIN_ORIGIN is not set; keeping the development origin ${DEV_ORIGIN}`);
  buildManifest({ origin, outFile: process.argv[2] ? resolve(process.argv[2]) : undefined }).then(
    (file) => console.log(`wrote ${file} for ${parseOrigin(origin)}`),
    (err: Error) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
