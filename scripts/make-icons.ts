/**
 * Draws the Casepane icon (a white briefcase on a Fluent-blue rounded square) as real PNG files
 * in assets/ at every size the manifest references. No image library: shapes are rasterised with
 * 8x8 supersampling and written as RGBA PNG via zlib. Run: npx tsx scripts/make-icons.ts
 */
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Sizes the manifest references: 16/32/80 ribbon button, 64 IconUrl, 128 HighResolutionIconUrl, and Outlook mobile's
 * MobileIconList (25, 32, 48 at scales 1-3: 25/50/75, 32/64/96, 48/96/144 pixels).
 */
export const ICON_SIZES = [16, 25, 32, 48, 50, 64, 75, 80, 96, 128, 144] as const;

type RGBA = [number, number, number, number];
const FLUENT_BLUE: RGBA = [15, 108, 189, 255]; // #0F6CBD, Fluent v9 brand
const WHITE: RGBA = [255, 255, 255, 255];
const TRANSPARENT: RGBA = [0, 0, 0, 0];

/** Is (x, y) in unit coordinates (0..1) inside a rounded rectangle? */
function inRoundRect(
  x: number,
  y: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  r: number,
): boolean {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** Colour of the icon at a point in unit coordinates. Small sizes get thicker strokes. */
function shade(x: number, y: number, size: number): RGBA {
  if (!inRoundRect(x, y, 0, 0, 1, 1, 0.18)) return TRANSPARENT;
  const stroke = size <= 20 ? 0.09 : size <= 32 ? 0.07 : 0.055;
  // Briefcase body.
  const bx0 = 0.17,
    bx1 = 0.83,
    by0 = 0.33,
    by1 = 0.8;
  // Handle: a rounded outline above the body.
  const hx0 = 0.37,
    hx1 = 0.63,
    hy0 = 0.19;
  const inHandle =
    inRoundRect(x, y, hx0, hy0, hx1, by0 + 0.02, 0.06) &&
    !inRoundRect(x, y, hx0 + stroke, hy0 + stroke, hx1 - stroke, by0 + 0.1, 0.03);
  const inBody = inRoundRect(x, y, bx0, by0, bx1, by1, 0.07);
  // A blue band across the body (the lid seam) with a white clasp in its middle.
  const bandY = 0.5;
  const inBand = inBody && Math.abs(y - bandY) < stroke / 2 && x > bx0 && x < bx1;
  const inClasp = inRoundRect(x, y, 0.44, bandY - 0.065, 0.56, bandY + 0.065, 0.02);
  if (inClasp) return WHITE;
  if (inBand) return FLUENT_BLUE;
  if (inBody || inHandle) return WHITE;
  return FLUENT_BLUE;
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

export function renderIconPng(size: number): Buffer {
  const ss = 8;
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let py = 0; py < size; py++) {
    raw[py * (size * 4 + 1)] = 0; // filter: none
    for (let px = 0; px < size; px++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const c = shade((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size, size);
          r += c[0] * c[3];
          g += c[1] * c[3];
          b += c[2] * c[3];
          a += c[3];
        }
      }
      const o = py * (size * 4 + 1) + 1 + px * 4;
      raw[o] = a ? Math.round(r / a) : 0;
      raw[o + 1] = a ? Math.round(g / a) : 0;
      raw[o + 2] = a ? Math.round(b / a) : 0;
      raw[o + 3] = Math.round(a / (ss * ss));
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (require.main === module) {
  const dir = join(__dirname, '..', 'assets');
  mkdirSync(dir, { recursive: true });
  for (const size of ICON_SIZES) {
    const file = join(dir, `icon-${size}.png`);
    writeFileSync(file, renderIconPng(size));
    console.log(`wrote ${file}`);
  }
}
