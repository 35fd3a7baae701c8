import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { configFromEnv } from '../config';
import { openStorage } from '../db/database';
import { nowIso } from '../db/executor';
import { readFieldsFile } from '../fields-config';
import { kindOf } from '../imports/readers';
import { reportCsv, runImport, importStatus } from '../imports/import.service';
import { importFieldsFile, openFieldRegistry } from '../settings/field-registry';
import { upsertUser } from '../users/user.repository';

/**
 * npm run import -- FILE [--key KEY] [--mapping mapping.json] [--default Case_Origin=Web ...] [--max-rows N]
 * Imports straight into the configured database (DATA_DIR / DATABASE_URL) as the user "import@casepane.local".
 */
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      key: { type: 'string' },
      mapping: { type: 'string' },
      default: { type: 'string', multiple: true },
      'max-rows': { type: 'string' },
    },
  });
  const file = positionals[0];
  if (!file || !fs.existsSync(file))
    throw new Error(
      'usage: npm run import -- FILE [--key KEY] [--mapping mapping.json] [--default Field=Value] [--max-rows N]',
    );
  const config = configFromEnv();
  const maxRows = values['max-rows'] === undefined ? config.importLimits.maxRows : Number(values['max-rows']);
  if (!Number.isInteger(maxRows) || maxRows <= 0) throw new Error('--max-rows must be a positive integer');
  const storage = await openStorage({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    const fieldsFile = readFieldsFile(config.dataDir, config.fieldsFile);
    if (fieldsFile !== undefined) await importFieldsFile(storage, fieldsFile);
    // The fields as the server has them (the database's), read once: no refresh timer in a command.
    const registry = await openFieldRegistry(storage, undefined, 0);
    const user = await upsertUser(
      storage.db,
      { externalId: 'cli|import', email: 'import@casepane.local', fullName: 'Import', role: 'agent' },
      nowIso(),
    );
    const defaults = Object.fromEntries((values.default ?? []).map((d) => d.split(/=(.*)/s).slice(0, 2)));
    const started = Date.now();
    const summary = await runImport(
      storage,
      {
        dialect: storage.dialect,
        fields: registry.current(),
        user: { id: String(user.id), name: user.full_name, email: user.email },
      },
      {
        key: values.key,
        fileName: path.basename(file),
        file,
        kind: kindOf(file),
        mapping: values.mapping ? JSON.parse(fs.readFileSync(values.mapping, 'utf8')) : undefined,
        defaults,
        // A server sharing the SQLite file waits at most one batch (under 0.1 s) for its own writes.
        batchRows: 2000,
        limits: { ...config.importLimits, maxRows },
      },
      (s) =>
        process.stderr.write(
          `\r${s.total_rows} rows read, ${s.created_rows} imported, ${s.skipped_rows} already there, ${s.failed_rows} refused`,
        ),
    );
    const seconds = (Date.now() - started) / 1000;
    process.stderr.write('\n');
    process.stdout.write(
      `${JSON.stringify(summary, null, 2)}\n${(summary.total_rows / seconds).toFixed(0)} rows/s\n`,
    );
    if (summary.failed_rows) {
      const reportFile = `${file}.report.csv`;
      fs.writeFileSync(reportFile, reportCsv((await importStatus(storage, summary.import_key)).report));
      process.stdout.write(`row-level report: ${reportFile}\n`);
    }
  } finally {
    await storage.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`import failed: ${error.message}\n`);
  process.exit(1);
});
