/**
 * manifest.xml and the built manifest against Microsoft's XML schemas (xmllint, ../shared/office-schemas/), besides
 * the structural checks in manifest.test.ts. In CI a missing xmllint or schema fails here instead of skipping.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildManifest } from '../../scripts/build-manifest';
import { schemaCheckUnavailable, schemaProblems } from '../../scripts/manifest-schema';

// build-manifest validates through office-addin-manifest, whose XML reader imports the ESM-only uuid (see manifest.test.ts).
jest.mock('uuid', () => ({ v4: () => '00000000-0000-4000-8000-000000000000' }));

const ROOT = resolve(__dirname, '..', '..');
const MANIFEST = join(ROOT, 'manifest.xml');
const unavailable = schemaCheckUnavailable();
const inCi = Boolean(process.env.CI) && process.env.CI !== 'false';

const withManifest = (mutate: (xml: string) => string): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'casepane-schema-')), 'manifest.xml');
  const xml = readFileSync(MANIFEST, 'utf8');
  const changed = mutate(xml);
  if (changed === xml) throw new Error('the mutation changed nothing: fix the test');
  writeFileSync(file, changed);
  return file;
};

if (unavailable && inCi) {
  test('schema validation can run in CI', () => {
    throw new Error(`manifest schema validation cannot run: ${unavailable}`);
  });
} else if (unavailable) {
  // Outside CI a developer without libxml2-utils still gets the rest of the suite; say why this part is skipped.
  console.warn(`[manifest-schema] skipped: ${unavailable}`);
  test.skip(`manifest schema validation (${unavailable})`, () => undefined);
} else {
  describe("manifests against Microsoft's schemas (xmllint)", () => {
    it('accepts manifest.xml', () => {
      expect(schemaProblems(MANIFEST)).toEqual([]);
    });

    it('accepts the built manifest (every URL on ADDIN_ORIGIN)', async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'casepane-schema-')), 'manifest.xml');
      await buildManifest({ origin: 'https://casepane.example.com', outFile: out });
      expect(readFileSync(out, 'utf8')).toContain('https://casepane.example.com/taskpane.html');
      expect(schemaProblems(out)).toEqual([]);
    });

    it.each<[string, (xml: string) => string, RegExp]>([
      [
        'a misspelt element',
        (x) => x.replace(/<SupportsPinning>true<\/SupportsPinning>/, '<SupportsPinnig>true</SupportsPinnig>'),
        /SupportsPinnig': This element is not expected/,
      ],
      [
        'children out of schema order',
        (x) =>
          x.replace(
            /(<SupportsPinning>true<\/SupportsPinning>)([\s\S]*?)(<SupportsNoItemContext>true<\/SupportsNoItemContext>)/,
            '$3$2$1',
          ),
        /SupportsPinning': This element is not expected/,
      ],
      [
        'a missing Id',
        (x) => x.replace(/<Id>[^<]+<\/Id>\s*/, ''),
        /Element '\{[^}]+\}Version': This element is not expected/,
      ],
      [
        'a malformed Version',
        (x) => x.replace('<Version>1.0.0.0</Version>', '<Version>1.0-beta</Version>'),
        /Version/,
      ],
      [
        'an unknown Permissions value',
        (x) =>
          x.replace('<Permissions>ReadWriteMailbox</Permissions>', '<Permissions>FullAccess</Permissions>'),
        /Permissions/,
      ],
      [
        'a mobile icon list of eight images (MobileIconList needs at least nine)',
        (x) => x.replace(/\s*<bt:Image size="48" scale="3" resid="Icon.144x144"\/>/, ''),
        /Missing child element|This element is not expected/,
      ],
      [
        'a mobile image without its scale',
        (x) => x.replace('size="25" scale="1" resid="Icon.25x25"', 'size="25" resid="Icon.25x25"'),
        /The attribute 'scale' is required/,
      ],
      [
        'an unknown SendMode',
        (x) => x.replace('SendMode="PromptUser"', 'SendMode="Later"'),
        /attribute 'SendMode'.*not an element of the set/,
      ],
      [
        'Runtimes after DesktopFormFactor',
        (x) =>
          x.replace(
            /(\s*<Runtimes>[\s\S]*?<\/Runtimes>)(\s*<DesktopFormFactor>[\s\S]*?<\/DesktopFormFactor>)/,
            '$2$1',
          ),
        /Runtimes': This element is not expected/,
      ],
      [
        'a runtime override of another type',
        (x) => x.replace('<Override type="javascript"', '<Override type="python"'),
        /attribute 'type'.*not an element of the set/,
      ],
      ['broken XML', (x) => x.replace('</OfficeApp>', ''), /Premature end of data|EndTag|parser error/],
    ])('refuses %s', (_name, mutate, expected) => {
      const problems = schemaProblems(withManifest(mutate));
      expect(problems.length).toBeGreaterThan(0);
      expect(problems.join('\n')).toMatch(expected);
    });
  });
}
