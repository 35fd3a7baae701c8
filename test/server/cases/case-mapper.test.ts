import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { STANDARD_FIELDS, type FieldDefinition } from '../../../src/shared/case-fields';
import { columnOf } from '../../../src/server/cases/case.mapper';
import { openStorage, type Storage } from '../../../src/server/db/database';

describe('case mapper: where each field is stored', () => {
  let dir: string;
  let storage: Storage;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casepane-mapper-'));
    storage = await openStorage({ dataDir: dir });
  });
  afterAll(async () => {
    await storage.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives every standard field a column the migrated cases table has', async () => {
    const { rows } = await sql<{ name: string }>`select name from pragma_table_info('cases')`.execute(
      storage.db,
    );
    const columns = new Set(rows.map((r) => r.name));
    const missing = STANDARD_FIELDS.filter((f) => !columns.has(columnOf(f) ?? '')).map((f) => f.apiName);
    expect(missing).toEqual([]);
  });

  it('keeps custom fields, and names that are not fields, out of the table columns', () => {
    const custom: FieldDefinition = {
      apiName: 'Subject',
      label: { en: '', pl: '', 'zh-CN': '' },
      type: 'text',
      custom: true,
    };
    expect(columnOf(custom)).toBeUndefined();
    for (const apiName of ['constructor', '__proto__', 'toString', 'subject', 'Created_By'])
      expect(columnOf({ ...custom, apiName, custom: false })).toBeUndefined();
  });
});
