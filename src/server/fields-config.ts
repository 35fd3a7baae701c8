import fs from 'node:fs';
import path from 'node:path';
import { caseFields, type FieldDefinition } from '../shared/case-fields';
import { parseCustomFields } from '../shared/custom-fields';

/** Standard fields plus the administrator's custom fields (CASEPANE_FIELDS_FILE, else DATA_DIR/fields.json). */
export function loadCaseFields(dataDir: string, fieldsFile?: string): FieldDefinition[] {
  const file = fieldsFile ?? path.join(dataDir, 'fields.json');
  if (!fs.existsSync(file)) {
    if (fieldsFile) throw new Error(`custom fields file ${fieldsFile} does not exist`);
    return caseFields();
  }
  return caseFields(parseCustomFields(JSON.parse(fs.readFileSync(file, 'utf8'))));
}
