import ExcelJS from 'exceljs';
import { configFromEnv } from '../../src/server/config';
import { ENGINES, startTestServer, type TestServer } from './harness';

describe.each(ENGINES)('importing cases from CSV and XLSX on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
  });
  afterAll(() => t.close());

  async function upload(name: string, bytes: Buffer | string, fields: Record<string, string> = {}) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), name);
    const response = await fetch(`${t.url}/crm/v6/Cases/actions/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await t.token()}` },
      body: form,
    });
    return { status: response.status, body: await response.json() };
  }
  const count = async (criteria: string) => {
    const r = await t.call(
      'GET',
      `/crm/v6/Cases/search?criteria=${encodeURIComponent(criteria)}&per_page=200`,
    );
    return r.status === 204 ? [] : r.body.data;
  };

  it('maps Polish headers, imports valid rows, reports invalid ones by row and field, and never imports twice', async () => {
    const csv = [
      '\uFEFFTemat;Pochodzenie sprawy;E-mail;Priorytet;Numer sprawy;Kolumna bez pola',
      `Imp-${engine} drukarka;Email;jan@example.pl;High;999;x`,
      `Imp-${engine} ${'x'.repeat(300)};Email;jan@example.pl;High;;x`,
      `Imp-${engine} skaner;Fax;jan@example.pl;Low;;x`,
      `Imp-${engine} toner;Phone;;Medium;;x`,
      '',
      `Imp-${engine} brak e-maila;Email;;Low;;x`,
    ].join('\r\n');
    const first = await upload('sprawy.csv', csv, { import_key: `pl-${engine}` });
    expect(first.status).toBe(200);
    expect(first.body.data[0].details).toMatchObject({
      status: 'finished',
      total_rows: 5,
      created_rows: 2,
      failed_rows: 3,
      skipped_rows: 0,
      unmapped_columns: ['Numer sprawy', 'Kolumna bez pola'],
    });
    expect(first.body.data[0].details.mapping).toEqual({
      Temat: 'Subject',
      'Pochodzenie sprawy': 'Case_Origin',
      'E-mail': 'Email',
      Priorytet: 'Priority',
    });
    const landed = await count(`(Subject:starts_with:Imp-${engine})`);
    expect(landed.map((c: { Subject: string }) => c.Subject).sort()).toEqual([
      `Imp-${engine} drukarka`,
      `Imp-${engine} toner`,
    ]);
    expect(landed.find((c: { Subject: string }) => c.Subject.endsWith('drukarka')).Case_Number).not.toBe(
      '00000999',
    );

    const status = await t.call('GET', `/crm/v6/imports/pl-${engine}`);
    expect(status.body.data[0]).toMatchObject({
      status: 'finished',
      created_rows: 2,
      failed_rows: 3,
      errors: 3,
    });
    const report = await fetch(`${t.url}/crm/v6/imports/pl-${engine}/report`, {
      headers: { authorization: `Bearer ${await t.token()}` },
    });
    const lines = (await report.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('row,field,error');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual([
      '3,Subject',
      '4,Case_Origin',
      '7,Email',
    ]);

    const again = await upload('sprawy.csv', csv, { import_key: `pl-${engine}` });
    expect(again.body.data[0].details).toMatchObject({ created_rows: 0, skipped_rows: 2, failed_rows: 3 });
    expect(await count(`(Subject:starts_with:Imp-${engine})`)).toHaveLength(2);
  });

  it('without a key, the file itself is the key: the same file twice creates nothing twice', async () => {
    const csv = `Subject,Case_Origin\nNokey-${engine} a,Phone\nNokey-${engine} b,Web\n`;
    expect((await upload('a.csv', csv)).body.data[0].details.created_rows).toBe(2);
    expect((await upload('a-copy.csv', csv)).body.data[0].details).toMatchObject({
      created_rows: 0,
      skipped_rows: 2,
    });
  });

  it('reads XLSX: Excel dates, numbers, and formula cells stored as text, exported safely', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Cases');
    sheet.addRow(['Subject', 'Case Origin', 'Phone', 'Description']);
    sheet.addRow([`Xlsx-${engine} date`, 'Phone', 48600100200, new Date(Date.UTC(2026, 10, 25))]);
    sheet.addRow([{ formula: "cmd|' /C calc'!A0", result: 0 }, 'Phone', '1', 'formula subject']);
    sheet.addRow([`Xlsx-${engine} bad`, 'Phone', '1'.repeat(51), '']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const r = await upload('cases.xlsx', bytes, { import_key: `xlsx-${engine}` });
    expect(r.status).toBe(200);
    expect(r.body.data[0].details).toMatchObject({ total_rows: 3, created_rows: 2, failed_rows: 1 });
    const [dated] = await count(`(Subject:equals:Xlsx-${engine} date)`);
    expect(dated).toMatchObject({ Phone: '48600100200', Description: '2026-11-25' });
    const formula = await count(`(Subject:starts_with:=cmd)`);
    expect(formula[0].Subject).toBe("=cmd|' /C calc'!A0");
    const report = await fetch(`${t.url}/crm/v6/imports/xlsx-${engine}/report`, {
      headers: { authorization: `Bearer ${await t.token()}` },
    });
    expect(await report.text()).toContain('4,Phone,');
  });

  it('refuses whole files it cannot read, with a clear message and nothing written', async () => {
    const latin1 = Buffer.from(`Subject,Case_Origin\nEnc-${engine} Zażółć,Phone\n`, 'latin1');
    const enc = await upload('latin1.csv', latin1);
    expect(enc.status).toBe(400);
    expect(enc.body.message).toMatch(/not UTF-8.*line 2\b/);
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`Subject,Case_Origin\nEnc-${engine} utf16 zażółć,Phone\n`, 'utf16le'),
    ]);
    expect((await upload('utf16.csv', utf16)).body.data[0].details.created_rows).toBe(1);
    expect(
      (await count(`(Subject:starts_with:Enc-${engine})`)).map((c: { Subject: string }) => c.Subject),
    ).toEqual([`Enc-${engine} utf16 zażółć`]);

    const noisy = Buffer.alloc(10 * 1024 * 1024);
    for (let i = 0; i < noisy.length; i++) noisy[i] = (i * 2654435761) >>> 24;
    const big = await upload('random.csv', noisy);
    expect(big.status).toBe(400);
    const xls = await upload('old.xls', 'whatever');
    expect([xls.status, xls.body.message]).toEqual([400, expect.stringMatching(/\.xls.*not supported/)]);
    const missing = await upload('no-subject.csv', 'Email,Case_Origin\na@b.pl,Email\n');
    expect([missing.status, missing.body.details.api_name]).toEqual([400, 'Subject']);
    const notCsv = await upload('cases.pdf', '%PDF');
    expect(notCsv.status).toBe(400);
    expect((await t.call('POST', '/crm/v6/Cases/actions/import', { json: { file: 'x' } })).status).toBe(415);
  });

  it('reads columns headed with JavaScript built-in names as plain columns', async () => {
    const csv = `constructor,toString,__proto__,Subject,Case_Origin\na,b,c,Proto-${engine} one,Phone\n`;
    const plain = await upload('proto.csv', csv);
    expect(plain.status).toBe(200);
    expect(plain.body.data[0].details).toMatchObject({
      created_rows: 1,
      unmapped_columns: ['constructor', 'toString', '__proto__'],
    });
    const mapped = await upload('proto2.csv', csv.replace('one', 'two'), {
      mapping: JSON.stringify({ constructor: 'Reported_By', Subject: 'Subject' }),
    });
    expect(mapped.body.data[0].details.mapping).toMatchObject({ constructor: 'Reported_By' });
    const [c] = await count(`(Subject:equals:Proto-${engine} two)`);
    expect(c.Reported_By).toBe('a');
  });

  it('takes an explicit mapping and defaults', async () => {
    const csv = `Tytuł zgłoszenia,Kto\nMap-${engine} one,Anna\n`;
    const r = await upload('m.csv', csv, {
      mapping: JSON.stringify({ 'Tytuł zgłoszenia': 'Subject', Kto: 'Reported_By' }),
      defaults: JSON.stringify({ Case_Origin: 'Web', Priority: 'Low' }),
    });
    expect(r.body.data[0].details.created_rows).toBe(1);
    const [c] = await count(`(Subject:equals:Map-${engine} one)`);
    expect(c).toMatchObject({ Reported_By: 'Anna', Case_Origin: 'Web', Priority: 'Low' });
    expect((await upload('m.csv', csv, { mapping: '[1]' })).status).toBe(400);
  });
});

describe.each(ENGINES)('the time cap of an import on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine, {
      importLimits: { ...configFromEnv({}).importLimits, maxSeconds: 0.3 },
    });
  });
  afterAll(() => t.close());

  it('stops an import that runs too long, naming the cap; the batches before it stay, whole', async () => {
    const rows = 20_000;
    const csv = `Subject,Case_Origin\n${Array.from({ length: rows }, (_, i) => `Slow-${engine} ${i},Phone`).join('\n')}\n`;
    const form = () => {
      const f = new FormData();
      f.append('import_key', `slow-${engine}`);
      f.append('file', new Blob([csv]), 'slow.csv');
      return f;
    };
    const post = async () => {
      const r = await fetch(`${t.url}/crm/v6/Cases/actions/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await t.token()}` },
        body: form(),
      });
      return { status: r.status, body: await r.json() };
    };
    const stopped = await post();
    expect(stopped.status).toBe(400);
    expect(stopped.body.details).toMatchObject({ api_name: 'file', limit: 'IMPORT_MAX_SECONDS' });
    // On a loaded machine the cap can fire before the first batch, while the file is still being checked.
    expect(stopped.body.message).toMatch(
      /took too long: the cap is IMPORT_MAX_SECONDS = 0.3 s( \(rows before it: \d+ imported\))?$/,
    );
    const status = await t.call('GET', `/crm/v6/imports/slow-${engine}`);
    // Stopped while importing: the import is recorded as failed with what landed. Stopped while the file was still
    // being checked (a loaded machine): there is no import and nothing landed.
    const started = /rows before it/.test(stopped.body.message);
    if (started) expect(status.body.data[0].status).toBe('failed');
    else expect([204, 404]).toContain(status.status);
    const landed = started ? (status.body.data[0].created_rows as number) : 0;
    expect(landed).toBeLessThan(rows);
    // What the report says landed is what is there: whole batches, nothing half-written.
    const { n } = await t.server.storage.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('subject', 'like', `Slow-${engine} %`)
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBe(landed);
  }, 30_000);
});
