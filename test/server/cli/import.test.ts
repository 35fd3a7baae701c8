import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openStorage } from '../../../src/server/db/database';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');

/** `npm run import -- FILE` as an administrator runs it: a real process on a real SQLite file. */
describe('import CLI', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casepane-cli-import-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const importFile = (file: string) =>
    run(process.execPath, ['--import', 'tsx', 'src/server/cli/import.ts', file], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'warn' },
    });
  const summaryOf = (stdout: string) => JSON.parse(stdout.slice(0, stdout.lastIndexOf('}') + 1));

  it('imports across several transactions, reports refused rows, and creates nothing twice on a re-run', async () => {
    const rows = ['Subject,Case Origin,Email,Status'];
    // 4,500 rows: more than two of the CLI's transactions; every 1,000th row lacks its mandatory subject.
    for (let i = 1; i <= 4500; i++)
      rows.push(`${i % 1000 === 0 ? '' : `Order ${i} is late`},Email,c${i}@example.com,New`);
    const file = path.join(dir, 'cases.csv');
    fs.writeFileSync(file, `${rows.join('\n')}\n`);

    const first = summaryOf((await importFile(file)).stdout);
    expect(first).toMatchObject({ status: 'finished', total_rows: 4500, created_rows: 4496, failed_rows: 4 });
    expect(fs.readFileSync(`${file}.report.csv`, 'utf8')).toMatch(/^row,field,error\r\n1001,Subject,/);
    const again = summaryOf((await importFile(file)).stdout);
    expect(again).toMatchObject({ created_rows: 0, skipped_rows: 4496, failed_rows: 4 });

    const storage = await openStorage({ dataDir: path.join(dir, 'data') });
    try {
      const cases = await storage.db
        .selectFrom('cases')
        .select(['subject', 'email', 'case_origin'])
        .orderBy('case_number')
        .execute();
      expect(cases).toHaveLength(4496);
      expect(cases[0]).toEqual({ subject: 'Order 1 is late', email: 'c1@example.com', case_origin: 'Email' });
      expect(cases[4495]).toEqual({
        subject: 'Order 4500 is late',
        email: 'c4500@example.com',
        case_origin: 'Email',
      });
    } finally {
      await storage.close();
    }
  }, 60_000);
});
