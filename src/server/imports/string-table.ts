/**
 * An append-only list of strings packed for memory: a workbook's shared strings are the one part an import must
 * hold whole, and millions of small heap strings cost V8 20–30 bytes each before their text (a 63 MiB table of
 * one-letter strings took about 200 MiB as a string[]). Here every block of strings is one flat string with a
 * Uint32Array of offsets, so a string costs its characters plus 4 bytes.
 */
const BLOCK_BITS = 12;
const BLOCK_SIZE = 1 << BLOCK_BITS;

interface Block {
  text: string;
  /** Offsets into text: string k of the block is text.slice(ends[k - 1] ?? 0, ends[k]). */
  ends: Uint32Array;
}

export class StringTable {
  private readonly blocks: Block[] = [];
  private pending: string[] = [];
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(value: string): void {
    this.pending.push(value);
    this.count++;
    if (this.pending.length === BLOCK_SIZE) this.seal();
  }

  /** The string at index, or undefined outside 0 … length − 1. */
  at(index: number): string | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return undefined;
    const block = index >>> BLOCK_BITS;
    if (block === this.blocks.length) return this.pending[index & (BLOCK_SIZE - 1)];
    const { text, ends } = this.blocks[block];
    const k = index & (BLOCK_SIZE - 1);
    return text.slice(k === 0 ? 0 : ends[k - 1], ends[k]);
  }

  private seal(): void {
    const ends = new Uint32Array(this.pending.length);
    let end = 0;
    this.pending.forEach((value, k) => (ends[k] = end += value.length));
    // join copies into one flat string, so nothing the parser handed out (ropes, slices of its chunks) stays alive.
    this.blocks.push({ text: this.pending.join(''), ends });
    this.pending = [];
  }
}
