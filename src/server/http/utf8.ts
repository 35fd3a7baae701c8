/** UTF-8 as RFC 3629 defines it, byte by byte: for the places that must say *where* text stops being UTF-8. */

/** Length of the valid UTF-8 sequence at `i` (no overlongs, surrogates or code points past U+10FFFF), or 0. */
export function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i];
  if (b < 0x80) return 1;
  const within = (at: number, low: number, high: number) =>
    at < bytes.length && bytes[at] >= low && bytes[at] <= high;
  const tail = (from: number, count: number) => {
    for (let k = 0; k < count; k++) if (!within(from + k, 0x80, 0xbf)) return false;
    return true;
  };
  if (b >= 0xc2 && b <= 0xdf) return tail(i + 1, 1) ? 2 : 0;
  if (b === 0xe0) return within(i + 1, 0xa0, 0xbf) && tail(i + 2, 1) ? 3 : 0;
  if (b === 0xed) return within(i + 1, 0x80, 0x9f) && tail(i + 2, 1) ? 3 : 0;
  if (b >= 0xe1 && b <= 0xef) return tail(i + 1, 2) ? 3 : 0;
  if (b === 0xf0) return within(i + 1, 0x90, 0xbf) && tail(i + 2, 2) ? 4 : 0;
  if (b === 0xf4) return within(i + 1, 0x80, 0x8f) && tail(i + 2, 2) ? 4 : 0;
  if (b >= 0xf1 && b <= 0xf3) return tail(i + 1, 3) ? 4 : 0;
  return 0;
}

/** Offset of the first byte that is not part of valid UTF-8, or the length when every byte is. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return bytes.length;
}
