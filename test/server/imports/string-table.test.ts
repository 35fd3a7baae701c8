import { StringTable } from '../../../src/server/imports/string-table';

describe('StringTable (the packed shared-strings table)', () => {
  it('gives back every string at its index across block boundaries, empty and non-Latin-1 ones too', () => {
    const table = new StringTable();
    const values = Array.from({ length: 10_000 }, (_, i) =>
      i % 7 === 0 ? '' : i % 5 === 0 ? `Zgłoszenie 三楼 ${i}` : `s${i}`,
    );
    for (const v of values) table.push(v);
    expect(table.length).toBe(values.length);
    for (const i of [0, 1, 4095, 4096, 4097, 8191, 8192, 9999, 7, 35, 5000])
      expect(table.at(i)).toBe(values[i]);
    expect(values.every((v, i) => table.at(i) === v)).toBe(true);
  });

  it('answers undefined outside the table, never another string', () => {
    const table = new StringTable();
    table.push('only');
    for (const i of [-1, 1, 1.5, Number.NaN, 2 ** 40]) expect(table.at(i)).toBeUndefined();
    expect(table.at(0)).toBe('only');
  });
});
