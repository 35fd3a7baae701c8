/**
 * Validates a manifest against Microsoft's XML schemas (MS-OWEMXML: OfficeApp 1.1, mail VersionOverrides 1.0/1.1)
 * with xmllint (Debian's libxml2-utils). The schemas live beside the repository in ../shared/office-schemas/
 * (no npm package ships them; OFFICE_SCHEMAS_DIR overrides the place). That copy predates event-based activation,
 * so xmllint reads a copy of it in a temporary folder with scripts/office-schema-patches/ added (the MS-OWEMXML
 * definitions of Runtimes and the LaunchEvent extension point; see patchedSchemas()). The shared folder is read-only.
 *
 *   npx tsx scripts/manifest-schema.ts manifest.xml dist/addin/manifest.xml
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const SCHEMAS_DIR = resolve(
  process.env.OFFICE_SCHEMAS_DIR ?? join(__dirname, '..', '..', 'shared', 'office-schemas'),
);
export const ROOT_SCHEMA = join(SCHEMAS_DIR, 'OfficeAppManifestV1_1.xsd');

/** Why schema validation cannot run here (no xmllint, no schemas), or null when it can. */
export function schemaCheckUnavailable(): string | null {
  const probe = spawnSync('xmllint', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0)
    return 'xmllint is not installed (Debian: apt-get install libxml2-utils)';
  if (!existsSync(ROOT_SCHEMA)) return `no manifest schema at ${ROOT_SCHEMA} (set OFFICE_SCHEMAS_DIR)`;
  return null;
}

const PATCHES = join(__dirname, 'office-schema-patches');
let patched: string | null = null;

/**
 * The schemas with the launch-event definitions added (once per process): the MailHost gains its optional leading
 * <Runtimes> and the LaunchEvent extension point type is declared. A schema copy that already has them is used as is.
 */
export function patchedSchemas(): string {
  if (patched) return patched;
  const dir = mkdtempSync(join(tmpdir(), 'casepane-office-schemas-'));
  cpSync(SCHEMAS_DIR, dir, { recursive: true });
  const file = join(dir, 'MailAppVersionOverridesV1_1.xsd');
  let xsd = readFileSync(file, 'utf8');
  if (!/name="LaunchEvent"/.test(xsd)) {
    const host = '<xs:element name="DesktopFormFactor" type="FormFactorWithSupportsSharedFolders"';
    if (!xsd.includes(host)) throw new Error(`${file}: no MailHost DesktopFormFactor to patch`);
    xsd = xsd
      .replace(
        host,
        `<xs:element name="Runtimes" type="CasepaneRuntimes" minOccurs="0" maxOccurs="1" />\n          ${host}`,
      )
      .replace(
        '</xs:schema>',
        `${readFileSync(join(PATCHES, 'launch-events.xsd.part'), 'utf8')}</xs:schema>`,
      );
    writeFileSync(file, xsd);
  }
  patched = dir;
  return dir;
}

/** xmllint's complaints about the file, one per line; empty when the schema accepts it. */
export function schemaProblems(file: string): string[] {
  // --nonet: the schemas import each other by relative path; nothing is fetched.
  const schema = join(patchedSchemas(), 'OfficeAppManifestV1_1.xsd');
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', schema, file], {
    encoding: 'utf8',
  });
  if (run.error) throw run.error;
  if (run.status === 0) return [];
  const lines = `${run.stderr}`.split('\n').filter((l) => l.trim() !== '' && !/ fails to validate$/.test(l));
  return lines.length > 0 ? lines : [`xmllint exited with ${run.status}`];
}

if (require.main === module) {
  const unavailable = schemaCheckUnavailable();
  if (unavailable) {
    console.error(unavailable);
    process.exit(2);
  }
  const files = process.argv.slice(2);
  let failed = false;
  for (const file of files.length > 0 ? files : ['manifest.xml']) {
    const problems = schemaProblems(file);
    failed ||= problems.length > 0;
    console.log(
      problems.length === 0
        ? `${file}: valid against ${ROOT_SCHEMA} with the MS-OWEMXML launch-event definitions added (scripts/office-schema-patches/)`
        : problems.join('\n'),
    );
  }
  process.exit(failed ? 1 : 0);
}
