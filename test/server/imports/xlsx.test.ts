import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { DEFAULT_IMPORT_LIMITS, ImportClock, type ImportLimits } from '../../../src/server/imports/limits';
import { xlsxRows } from '../../../src/server/imports/xlsx';
import { buildZip, sharedStringsXml, sheetXml, workbookParts } from './zip-builder';

/** The XLSX reader on files made by ExcelJS and by hand: what real writers emit, and what hostile ones do. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casepane-xlsx-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function rowsOf(bytes: Buffer, limits: Partial<ImportLimits> = {}) {
  const file = path.join(dir, `f${n++}.xlsx`);
  fs.writeFileSync(file, bytes);
  const rows: { cells: unknown[]; line: number }[] = [];
  const all = { ...DEFAULT_IMPORT_LIMITS, ...limits };
  for await (const row of xlsxRows(file, all, new ImportClock(all.maxSeconds))) rows.push(row);
  return rows;
}
const zipOf = (parts: Record<string, string>) =>
  buildZip(Object.entries(parts).map(([name, data]) => ({ name, data })));

it('reads what ExcelJS writes: shared strings, numbers, booleans, dates, formulas as text', async () => {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sprawy');
  sheet.addRow(['Temat', 'Liczba', 'Tak', 'Data', 'Wzór']);
  sheet.addRow([
    'Drukarka 打印机',
    42.5,
    true,
    new Date(Date.UTC(2026, 10, 25)),
    { formula: 'A2&"x"', result: 'x' },
  ]);
  sheet.addRow([{ richText: [{ text: 'Zażółć ' }, { text: 'gęślą', font: { bold: true } }] }]);
  const rows = await rowsOf(Buffer.from(await workbook.xlsx.writeBuffer()));
  expect(rows.map((r) => r.line)).toEqual([1, 2, 3]);
  expect(rows[1].cells).toEqual(['Drukarka 打印机', 42.5, true, new Date(Date.UTC(2026, 10, 25)), '=A2&"x"']);
  expect(rows[2].cells).toEqual(['Zażółć gęślą']);
});

it('reads parts in any zip order, prefixed names, inline strings, gaps, shared formulas and the 1904 calendar', async () => {
  const parts = workbookParts({
    date1904: true,
    sheets: [
      { xml: sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>hidden</t></is></c></row>'), hidden: true },
      {
        xml:
          '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>' +
          '<x:row r="3"><x:c r="B3" t="s"><x:v>0</x:v></x:c><x:c r="D3" t="inlineStr"><x:is><x:r><x:t>a&amp;</x:t></x:r><x:r><x:t xml:space="preserve"> b</x:t></x:r></x:is></x:c></x:row>' +
          '<x:row r="5"><x:c r="A5" s="1"><x:v>0</x:v></x:c><x:c t="b"><x:v>0</x:v></x:c><x:c t="e"><x:v>#DIV/0!</x:v></x:c>' +
          '<x:c r="F5"><x:f t="shared" si="0" ref="F5:F6">A5+1</x:f><x:v>1</x:v></x:c></x:row>' +
          '<x:row r="6"><x:c r="F6"><x:f t="shared" si="0"/><x:v>2</x:v></x:c><x:c r="G6" t="s"><x:v>99</x:v></x:c></x:row>' +
          '</x:sheetData></x:worksheet>',
      },
    ],
    sharedStrings: sharedStringsXml('<si><r><t>漢字</t></r><rPh sb="0" eb="2"><t>かんじ</t></rPh></si>'),
    styles:
      '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="&quot;day&quot;\\ yyyy-mm-dd"/></numFmts>' +
      '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>',
  });
  // Sheets first, the workbook and its relationships last: the order that made the old reader spool sheets.
  const names = Object.keys(parts).sort((a) => (a.includes('worksheets') ? -1 : 1));
  const rows = await rowsOf(buildZip(names.map((name) => ({ name, data: parts[name] }))));
  expect(rows).toEqual([
    { line: 3, cells: [null, '漢字', null, 'a& b'] },
    { line: 5, cells: [new Date(Date.UTC(1904, 0, 1)), false, '#DIV/0!', null, null, '=A5+1'] },
    // A dependent of a shared formula carries the master's text; a shared-string index out of range is empty.
    { line: 6, cells: [null, null, null, null, null, '=A5+1', null] },
  ]);
});

it('refuses hostile structure with a clear message', async () => {
  const withSheet = (xml: string) => zipOf(workbookParts({ sheets: [{ xml }] }));
  await expect(rowsOf(Buffer.from('PK not a zip'))).rejects.toThrow(/not a zip file/);
  await expect(rowsOf(zipOf({ 'a.txt': 'x' }))).rejects.toThrow(/no workbook/);
  await expect(
    rowsOf(withSheet('<!DOCTYPE x [<!ENTITY a "aaaaaaaa">]><worksheet><sheetData/></worksheet>')),
  ).rejects.toThrow(/DOCTYPE/);
  await expect(rowsOf(withSheet(sheetXml('<row><c r="XFE1"><v>1</v></c></row>')))).rejects.toThrow(
    /beyond column XFD/,
  );
  await expect(
    rowsOf(withSheet(sheetXml(`<row><c t="inlineStr"><is><t>${'x'.repeat(101)}</t></is></c></row>`)), {
      maxCellChars: 100,
    }),
  ).rejects.toThrow(/row 1 is too long: the cap is IMPORT_MAX_CELL_CHARS = 100 characters/);
  await expect(rowsOf(withSheet(sheetXml('<row><c><v>1</v></c>')))).rejects.toThrow(/could not be read/);
});

it('caps the shared strings and the sheet on their declared size, and on what they really unpack to', async () => {
  const parts = workbookParts({
    sheets: [{ xml: sheetXml('<row><c t="s"><v>0</v></c></row>') }],
    sharedStrings: sharedStringsXml('<si><t>a</t></si>'.repeat(100)),
  });
  const zip = (declared?: number) =>
    buildZip(
      Object.entries(parts).map(([name, data]) => ({
        name,
        data,
        declaredSize: name.endsWith('sharedStrings.xml') ? declared : undefined,
      })),
    );
  await expect(rowsOf(zip(), { maxSharedStringsBytes: 1000 })).rejects.toThrow(
    /shared strings unpack to too much text: the cap is IMPORT_MAX_SHARED_STRINGS_MB/,
  );
  // Headers that claim 100 bytes for a 1.8 KB part: the unpacking stops where the claim ends.
  await expect(rowsOf(zip(100))).rejects.toThrow(/could not be read.*sharedStrings/);
  expect((await rowsOf(zip()))[0].cells).toEqual(['a']);
  await expect(rowsOf(zip(), { maxSheetBytes: 50 })).rejects.toThrow(/the cap is IMPORT_MAX_SHEET_MB/);
});
