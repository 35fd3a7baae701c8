import fs from 'node:fs';
import path from 'node:path';

/**
 * The administrator's custom fields file (CASEPANE_FIELDS_FILE, else DATA_DIR/fields.json) as parsed JSON, or
 * undefined when there is none. It is imported into the database on start (settings/field-registry.ts).
 */
export function readFieldsFile(dataDir: string, fieldsFile?: string): unknown {
  const file = fieldsFile ?? path.join(dataDir, 'fields.json');
  if (!fs.existsSync(file)) {
    if (fieldsFile) throw new Error(`custom fields file ${fieldsFile} does not exist`);
    return undefined;
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
