import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { spool } from '../../../src/server/imports/readers';

describe('spooling a CSV upload', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casepane-spool-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const target = path.join(dir, 'upload.csv');

  it('names the line of the first bad byte when a chunk begins inside a character the previous one started', async () => {
    const text = Buffer.from('Subject,Case_Origin\nŻółw,Phone\n', 'utf8');
    const split = text.indexOf(Buffer.from('ó')) + 1; // between the two bytes of "ó"
    const chunks = [
      text.subarray(0, split),
      Buffer.concat([
        text.subarray(split),
        Buffer.from('a,Phone\nb,Phone\n'),
        Buffer.from([0xff]),
        Buffer.from(',Phone\n'),
      ]),
    ];
    await expect(spool(Readable.from(chunks), target, 'csv', 1024 * 1024)).rejects.toThrow(/line 5\b/);
  });

  it('keeps a file whose characters are split across every chunk', async () => {
    const text = Buffer.from('Subject,Case_Origin\n' + 'zażółć gęślą jaźń,Phone\n'.repeat(50), 'utf8');
    const chunks = Array.from({ length: Math.ceil(text.length / 7) }, (_, i) =>
      text.subarray(i * 7, i * 7 + 7),
    );
    await expect(spool(Readable.from(chunks), target, 'csv', 1024 * 1024)).resolves.toBe(text.length);
    expect(fs.readFileSync(target).equals(text)).toBe(true);
  });
});
