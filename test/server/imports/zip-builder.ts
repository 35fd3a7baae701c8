import zlib from 'node:zlib';

/**
 * Writes zip files byte by byte, so tests can make what no well-behaved writer makes: entries in any order, a
 * part that unpacks to gigabytes from a few megabytes (a zip bomb), or one whose headers lie about its size.
 */
export interface ZipPart {
  name: string;
  /** The part's bytes, or a chunk repeated `repeat` times (deflated once: each copy is a self-contained block). */
  data: Buffer | string;
  repeat?: number;
  /** Written once before and after the repeated data (e.g. the root element around repeated rows). */
  prefix?: string;
  suffix?: string;
  /** The uncompressed size written in the headers; the true one when absent. */
  declaredSize?: number;
}

function header(size: number, fields: [number, number][]): Buffer {
  const b = Buffer.alloc(size);
  let at = 0;
  for (const [value, bytes] of fields) {
    if (bytes === 2) b.writeUInt16LE(value, at);
    else b.writeUInt32LE(value >>> 0, at);
    at += bytes;
  }
  return b;
}

export function buildZip(parts: ZipPart[]): Buffer {
  const out: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const chunk = Buffer.isBuffer(part.data) ? part.data : Buffer.from(part.data, 'utf8');
    const repeat = part.repeat ?? 1;
    const prefix = Buffer.from(part.prefix ?? '', 'utf8');
    const suffix = Buffer.from(part.suffix ?? '', 'utf8');
    // A sync flush ends a block byte-aligned with no reference past it, so blocks (and copies of one) concatenate.
    const deflate = (b: Buffer) => zlib.deflateRawSync(b, { level: 9, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    const block = deflate(chunk);
    const compressed = Buffer.concat([
      deflate(prefix),
      ...Array<Buffer>(repeat).fill(block),
      deflate(suffix),
      Buffer.from([0x03, 0x00]), // the final, empty block
    ]);
    let crc = zlib.crc32(prefix);
    for (let i = 0; i < repeat; i++) crc = zlib.crc32(chunk, crc);
    crc = zlib.crc32(suffix, crc);
    const size = part.declaredSize ?? prefix.length + chunk.length * repeat + suffix.length;
    if (size > 0xffffffff) throw new Error('zip64 is not written here');
    const name = Buffer.from(part.name, 'utf8');
    const common: [number, number][] = [
      [20, 2], // version needed
      [0x0800, 2], // flags: UTF-8 names
      [8, 2], // deflate
      [0, 2], // time
      [0x5b81, 2], // date 2025-12-01
      [crc, 4],
      [compressed.length, 4],
      [size, 4],
      [name.length, 2],
      [0, 2], // extra length
    ];
    const local = header(30, [[0x04034b50, 4], ...common]);
    out.push(local, name, compressed);
    central.push(
      header(46, [[0x02014b50, 4], [20, 2], ...common, [0, 2], [0, 2], [0, 2], [0, 4], [offset, 4]]),
      name,
    );
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(central);
  const end = header(22, [
    [0x06054b50, 4],
    [0, 2],
    [0, 2],
    [parts.length, 2],
    [parts.length, 2],
    [directory.length, 4],
    [offset, 4],
    [0, 2],
  ]);
  return Buffer.concat([...out, directory, end]);
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** The parts of a minimal workbook around the given sheets, in the order a writer would put them. */
export function workbookParts(options: {
  sheets: { xml: string; hidden?: boolean }[];
  sharedStrings?: string;
  styles?: string;
  date1904?: boolean;
}): Record<string, string> {
  const sheetList = options.sheets
    .map(
      (s, i) =>
        `<sheet name="S${i + 1}" sheetId="${i + 1}" r:id="rId${i + 1}"${s.hidden ? ' state="hidden"' : ''}/>`,
    )
    .join('');
  const rels = options.sheets.map(
    (_, i) =>
      `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
  );
  if (options.sharedStrings !== undefined)
    rels.push(`<Relationship Id="rIdS" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>`);
  if (options.styles !== undefined)
    rels.push(`<Relationship Id="rIdT" Type="${REL}/styles" Target="/xl/styles.xml"/>`);
  const parts: Record<string, string> = {
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${NS}" xmlns:r="${REL}">${options.date1904 ? '<workbookPr date1904="1"/>' : ''}<sheets>${sheetList}</sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`,
  };
  options.sheets.forEach((s, i) => (parts[`xl/worksheets/sheet${i + 1}.xml`] = s.xml));
  if (options.sharedStrings !== undefined) parts['xl/sharedStrings.xml'] = options.sharedStrings;
  if (options.styles !== undefined) parts['xl/styles.xml'] = options.styles;
  return parts;
}

export const sheetXml = (rows: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData>${rows}</sheetData></worksheet>`;

export const sharedStringsXml = (items: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${NS}">${items}</sst>`;
