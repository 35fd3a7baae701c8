import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mintLocalToken } from '../../../src/server/auth/local-issuer';
import { spawnServer, type ServerProcess } from '../../../bench/lib/proc';
import { ENGINES, freshStore, openStore, sleep, tableCounts } from '../../faults/helpers';
import { buildZip, sharedStringsXml, sheetXml, workbookParts, type ZipPart } from '../imports/zip-builder';

/**
 * Hostile imports against the real server as its own process (issue 14, items 1–4): each bomb is refused with
 * an error naming its cap, the server stays up, its peak RSS during each upload (VmHWM, the kernel's high-water
 * mark, restarted before each upload so one bomb is not charged with what an earlier one left) stays under 512 MiB, its temp folders (DATA_DIR/tmp and TMPDIR) are empty afterwards, and a refused file writes nothing.
 * The bombs are made here, byte by byte (zip-builder.ts): a few MB that unpack to gigabytes.
 */
const GiB = 2 ** 30;
const MiB = 2 ** 20;
const PEAK_RSS_LIMIT = 512 * MiB;

const ROW = '<row><c t="inlineStr"><is><t>Row</t></is></c></row>';
const SHEET_START =
  '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const SHEET_END = '</sheetData></worksheet>';
const TINY_STRING = '<si><t>a</t></si>';
const SST_START =
  '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">';

/** A workbook whose one header row is "Subject"; `big` replaces or adds a part with a repeated chunk. */
function workbook(big: ZipPart[], order: 'parts first' | 'parts last' = 'parts last'): Buffer {
  const parts = workbookParts({
    sheets: [
      {
        xml: sheetXml(
          '<row><c t="s"><v>0</v></c></row><row><c t="inlineStr"><is><t>Valid row</t></is></c></row>',
        ),
      },
    ],
    sharedStrings: sharedStringsXml('<si><t>Subject</t></si>'),
  });
  const bigNames = new Set(big.map((p) => p.name));
  const small = Object.entries(parts)
    .filter(([name]) => !bigNames.has(name))
    .map(([name, data]): ZipPart => ({ name, data }));
  return buildZip(order === 'parts first' ? [...big, ...small] : [...small, ...big]);
}

const repeatedTo = (chunk: string, bytes: number) => Math.ceil(bytes / Buffer.byteLength(chunk));
const stringsChunk = TINY_STRING.repeat(65_536);
/** 2 GiB of shared strings. The real table's first string is "Subject": the bomb keeps that as string 0. */
const sharedStringsBomb = (declaredSize?: number): ZipPart => ({
  name: 'xl/sharedStrings.xml',
  prefix: `${SST_START}<si><t>Subject</t></si>`,
  data: stringsChunk,
  repeat: repeatedTo(stringsChunk, 2 * GiB),
  suffix: '</sst>',
  declaredSize,
});
const rowsChunk = ROW.repeat(16_384);
const sheetOfRows = (name: string, rows: number): ZipPart => ({
  name,
  prefix: `${SHEET_START}<row><c t="s"><v>0</v></c></row>`,
  data: rowsChunk,
  repeat: Math.ceil(rows / 16_384),
  suffix: SHEET_END,
});

describe.each(ENGINES)('hostile imports against the server process (%s)', (engine) => {
  jest.setTimeout(240_000);
  let store: Awaited<ReturnType<typeof freshStore>>;
  let server: ServerProcess;
  let tmpDir: string;
  let token: string;
  let before: Record<string, number>;
  /** What tsx (which runs the server's TypeScript) keeps in TMPDIR for itself; the server may add nothing. */
  let tmpBaseline: string[];
  /** The server's highest RSS during the uploads since the last expectUnharmed. */
  let peakOfUploads = 0;

  const start = () =>
    spawnServer({
      dataDir: store.dataDir,
      databaseUrl: store.url,
      env: { TMPDIR: tmpDir, IMPORT_STALE_SECONDS: '2' },
    });

  beforeAll(async () => {
    store = await freshStore(engine);
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casepane-bomb-tmp-'));
    token = await mintLocalToken(
      { dataDir: store.dataDir, databaseUrl: store.url },
      { email: 'agent@example.com', role: 'agent' },
    );
    server = await start();
    tmpBaseline = filesIn(tmpDir);
    // The agent's user row is made on first sight: take the baseline after it exists.
    await fetch(`${server.url}/crm/v6/Cases?per_page=1`, { headers: { authorization: `Bearer ${token}` } });
    before = await counts();
  });
  afterAll(async () => {
    await server?.stop();
    await store?.drop();
    fs.rmSync(tmpDir, { recursive: true, force: true });
  });

  async function counts() {
    const storage = await openStore(store);
    try {
      return await tableCounts(storage.db);
    } finally {
      await storage.close();
    }
  }

  async function upload(name: string, bytes: Buffer | string, fields: Record<string, string> = {}) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), name);
    fs.writeFileSync(`/proc/${server.pid}/clear_refs`, '5'); // restarts VmHWM from the current RSS (proc(5))
    const started = Date.now();
    const response = await fetch(`${server.url}/crm/v6/Cases/actions/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    const body = await response.json();
    peakOfUploads = Math.max(peakOfUploads, peakRss());
    return { status: response.status, body, seconds: (Date.now() - started) / 1000 };
  }

  function peakRss(): number {
    const status = fs.readFileSync(`/proc/${server.pid}/status`, 'utf8');
    return Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)![1]) * 1024;
  }
  const filesIn = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);

  /** After every bomb: the server answers, its peak stayed low during each upload, and no temp file is left. */
  async function expectUnharmed(label: string) {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const peak = Math.max(peakOfUploads, peakRss());
    peakOfUploads = 0;
    process.stdout.write(
      `${engine} ${label}: server peak RSS during the upload ${(peak / MiB).toFixed(0)} MiB\n`,
    );
    expect(peak).toBeLessThan(PEAK_RSS_LIMIT);
    expect(filesIn(path.join(store.dataDir, 'tmp'))).toEqual([]);
    expect(filesIn(tmpDir)).toEqual(tmpBaseline);
  }

  async function expectRefused(
    result: { status: number; body: { code: string; message: string; details: Record<string, unknown> } },
    cap: string | RegExp,
  ) {
    expect(result.status).toBe(400);
    expect(result.body.code).toBe('INVALID_DATA');
    expect(result.body.details.api_name).toBe('file');
    if (typeof cap === 'string') {
      expect(result.body.details.limit).toBe(cap);
      expect(result.body.message).toContain(`the cap is ${cap} = `);
    } else expect(result.body.message).toMatch(cap);
    expect(await counts()).toEqual(before);
  }

  it('1. a shared-strings bomb (about 5 MB unpacking to 2 GiB) is refused by the cap, before it unpacks', async () => {
    const bomb = workbook([sharedStringsBomb()]);
    expect(bomb.length).toBeLessThan(8 * MiB);
    const r = await upload('bomb.xlsx', bomb);
    await expectRefused(r, 'IMPORT_MAX_SHARED_STRINGS_MB');
    await expectUnharmed('shared-strings bomb');
  });

  it('1. the same bomb with headers that claim 10 KB stops unpacking where the claim ends', async () => {
    const r = await upload('liar.xlsx', workbook([sharedStringsBomb(10_000)]));
    await expectRefused(r, /could not be read: xl\/sharedStrings\.xml/);
    await expectUnharmed('lying shared-strings bomb');
  });

  it('1. shared strings just under their cap (3.9 M tiny strings, 63 MiB) are held within the memory limit', async () => {
    const r = await upload(
      'many-strings.xlsx',
      workbook([{ ...sharedStringsBomb(), repeat: repeatedTo(stringsChunk, 63 * MiB) }]),
      {
        defaults: JSON.stringify({ Case_Origin: 'Phone' }),
        import_key: `strings-${engine}`,
      },
    );
    expect(r.status).toBe(200);
    expect(r.body.data[0].details).toMatchObject({ created_rows: 1, failed_rows: 0 });
    await expectUnharmed('63 MiB of shared strings');
    before = await counts();
  });

  it('2. three 1 GiB sheets stored before the workbook and its relationships: refused, nothing spooled', async () => {
    const sheets = [1, 2, 3].map((i) => sheetOfRows(`xl/worksheets/sheet${i}.xml`, GiB / ROW.length));
    const r = await upload('sheets-first.xlsx', workbook(sheets, 'parts first'));
    await expectRefused(r, 'IMPORT_MAX_SHEET_MB');
    await expectUnharmed('sheets before relationships');
  });

  it('3. 9.6 M rows in a small XLSX are refused by the row cap before a row is written, in seconds', async () => {
    const bomb = workbook([sheetOfRows('xl/worksheets/sheet1.xml', 9_600_000)]);
    expect(bomb.length).toBeLessThan(4 * MiB);
    const r = await upload('rows.xlsx', bomb, { defaults: JSON.stringify({ Case_Origin: 'Phone' }) });
    await expectRefused(r, 'IMPORT_MAX_ROWS');
    expect(r.seconds).toBeLessThan(30);
    await expectUnharmed('9.6 M rows');
  });

  it('3. the same caps hold for CSV: rows, and the length of one record', async () => {
    const rows = `Subject,Case_Origin\n${'Bomb row,Phone\n'.repeat(3_000_000)}`;
    await expectRefused(await upload('rows.csv', rows), 'IMPORT_MAX_ROWS');
    const line = `Subject,Case_Origin\n"${'x'.repeat(2 * MiB)}",Phone\n`;
    await expectRefused(await upload('line.csv', line), 'IMPORT_MAX_RECORD_KB');
    await expectUnharmed('CSV caps');
  });

  it('4. an import cut off by kill -9 is marked failed after the restart, its spool is gone, and a re-run finishes it', async () => {
    const rows = 60_000;
    const csv = `Subject,Case_Origin\n${Array.from({ length: rows }, (_, i) => `Killed ${i},Phone`).join('\n')}\n`;
    const key = `killed-${engine}`;
    const pending = upload('killed.csv', csv, { import_key: key }).catch(() => undefined);
    const headers = { authorization: `Bearer ${token}` };
    for (let i = 0; ; i++) {
      const s = await fetch(`${server.url}/crm/v6/imports/${key}`, { headers });
      if (
        s.status === 200 &&
        ((await s.json()) as { data: { created_rows: number }[] }).data[0].created_rows > 0
      )
        break;
      if (i > 400) throw new Error('the import never started');
      await sleep(25);
    }
    await server.kill9();
    await pending;
    expect(filesIn(path.join(store.dataDir, 'tmp')).length).toBe(1); // the spool the dead process left

    server = await start();
    expect(filesIn(path.join(store.dataDir, 'tmp'))).toEqual([]);
    let status = '';
    for (let i = 0; i < 100 && status !== 'failed'; i++) {
      await sleep(100);
      const s = await fetch(`${server.url}/crm/v6/imports/${key}`, { headers });
      status = ((await s.json()) as { data: { status: string }[] }).data[0].status;
    }
    expect(status).toBe('failed');

    const again = await upload('killed.csv', csv, { import_key: key });
    expect(again.status).toBe(200);
    const { created_rows: created, skipped_rows: skipped } = again.body.data[0].details;
    expect(skipped).toBeGreaterThan(0);
    expect(created + skipped).toBe(rows);
    const after = await counts();
    expect(after.cases - before.cases).toBe(rows);
    await expectUnharmed('kill -9 during an import');
  });
});
