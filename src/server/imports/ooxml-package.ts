import path from 'node:path';
import { TextDecoder } from 'node:util';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import yauzl from 'yauzl';
import { type ImportClock, ImportFileError } from './limits';

/**
 * The package layer of an OOXML file (ECMA-376 part 2, Open Packaging Conventions): a zip read through its
 * central directory (yauzl: the order of its entries does not matter, nothing is spooled, and a stream longer
 * than its header claims is refused), parts unpacked under a cap on their declared and their real size, parsed
 * as streamed XML (saxes, which never expands a DTD's entities: a DOCTYPE is refused outright, as OOXML has
 * none), and the relationships that name one part from another. xlsx.ts reads a workbook on top of it.
 */

const MAX_ZIP_ENTRIES = 10_000;
/** Workbook, relationships and styles: small in any real file. */
export const MAX_METADATA_BYTES = 16 * 1024 * 1024;

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

export function attribute(tag: SaxesTagPlain, local: string): string | undefined {
  for (const [name, value] of Object.entries(tag.attributes)) if (localName(name) === local) return value;
  return undefined;
}

export function unreadable(detail: string): ImportFileError {
  return new ImportFileError(`the XLSX file could not be read: ${detail}`);
}

/** A zip opened through its central directory, with its entries by (case-insensitive) part name. */
export class Package {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly entries: Map<string, yauzl.Entry>,
  ) {}

  static async open(file: string): Promise<Package> {
    let zip: yauzl.ZipFile;
    try {
      zip = await yauzl.openPromise(file, {
        lazyEntries: true,
        autoClose: false,
        validateEntrySizes: true,
        strictFileNames: false,
      });
    } catch (error) {
      throw unreadable(`it is not a zip file (${(error as Error).message})`);
    }
    if (zip.entryCount > MAX_ZIP_ENTRIES) {
      zip.close();
      throw unreadable(`it holds ${zip.entryCount} parts (at most ${MAX_ZIP_ENTRIES})`);
    }
    const entries = new Map<string, yauzl.Entry>();
    try {
      await new Promise<void>((resolve, reject) => {
        zip.on('entry', (entry: yauzl.Entry) => {
          entries.set(entry.fileName.replace(/^\/+/, '').toLowerCase(), entry);
          zip.readEntry();
        });
        zip.on('end', () => resolve());
        zip.on('error', reject);
        zip.readEntry();
      });
    } catch (error) {
      zip.close();
      throw unreadable((error as Error).message);
    }
    return new Package(zip, entries);
  }

  has(part: string): boolean {
    return this.entries.has(part.toLowerCase());
  }

  /**
   * A part's text as it unpacks. `refuse` builds the error for a part over `maxBytes`; it is checked on the
   * declared size first (nothing is unpacked), then on the bytes actually produced.
   */
  async *text(
    part: string,
    maxBytes: number,
    refuse: () => ImportFileError,
    clock: ImportClock,
  ): AsyncGenerator<string> {
    const entry = this.entries.get(part.toLowerCase());
    if (!entry) throw unreadable(`the part ${part} is missing`);
    if (entry.uncompressedSize > maxBytes) throw refuse();
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.zip.openReadStreamPromise(entry);
    } catch (error) {
      throw unreadable(`${part}: ${(error as Error).message}`);
    }
    let bytes = 0;
    let decoder: TextDecoder | undefined;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > maxBytes) throw refuse();
        clock.check();
        // OOXML parts are UTF-8 unless they start with a UTF-16 byte-order mark.
        decoder ??= new TextDecoder(
          chunk[0] === 0xff && chunk[1] === 0xfe
            ? 'utf-16le'
            : chunk[0] === 0xfe && chunk[1] === 0xff
              ? 'utf-16be'
              : 'utf-8',
        );
        yield decoder.decode(chunk, { stream: true });
      }
    } catch (error) {
      if (error instanceof ImportFileError) throw error;
      throw unreadable(`${part}: ${(error as Error).message}`);
    } finally {
      (stream as unknown as { destroy(): void }).destroy();
    }
    if (decoder) yield decoder.decode();
  }

  close(): void {
    this.zip.close();
  }
}

export interface XmlHandlers {
  open?(name: string, tag: SaxesTagPlain): void;
  close?(name: string): void;
  text?(text: string): void;
}

export function xmlParser(part: string, handlers: XmlHandlers): SaxesParser {
  const parser = new SaxesParser<{ xmlns: false; fileName: string }>({ xmlns: false, fileName: part });
  parser.on('error', (error) => {
    throw unreadable(error.message);
  });
  parser.on('doctype', () => {
    throw unreadable(`${part} declares a DOCTYPE, which no XLSX part has`);
  });
  if (handlers.open) {
    const open = handlers.open;
    parser.on('opentag', (tag) => open(localName(tag.name), tag));
  }
  if (handlers.close) {
    const close = handlers.close;
    parser.on('closetag', (tag) => close(localName(tag.name)));
  }
  if (handlers.text) {
    parser.on('text', handlers.text);
    parser.on('cdata', handlers.text);
  }
  return parser;
}

/** Parse a whole (capped) part for its side effects on `handlers`. */
export async function parsePart(
  pkg: Package,
  part: string,
  maxBytes: number,
  refuse: () => ImportFileError,
  clock: ImportClock,
  handlers: XmlHandlers,
): Promise<void> {
  const parser = xmlParser(part, handlers);
  for await (const chunk of pkg.text(part, maxBytes, refuse, clock)) parser.write(chunk);
  parser.close();
}

export const metadataTooLarge = (part: string) => () =>
  unreadable(`${part} unpacks to more than ${MAX_METADATA_BYTES / 1024 / 1024} MiB`);

export interface Relationship {
  type: string;
  target: string;
}

/** The relationships of `part` (OPC: `dir/_rels/name.rels`), targets resolved to part names. */
export async function relationships(
  pkg: Package,
  part: string,
  clock: ImportClock,
): Promise<Map<string, Relationship>> {
  const dir = path.posix.dirname(part);
  const relsPart = path.posix.join(dir, '_rels', `${path.posix.basename(part)}.rels`);
  const found = new Map<string, Relationship>();
  if (!pkg.has(relsPart)) return found;
  await parsePart(pkg, relsPart, MAX_METADATA_BYTES, metadataTooLarge(relsPart), clock, {
    open(name, tag) {
      if (name !== 'Relationship' || tag.attributes.TargetMode === 'External') return;
      const { Id: id, Type: type, Target: target } = tag.attributes;
      if (!id || !type || !target) return;
      const resolved = target.startsWith('/') ? target.slice(1) : path.posix.join(dir, target);
      found.set(id, { type, target: path.posix.normalize(resolved) });
    },
  });
  return found;
}

export const ofType = (rels: Map<string, Relationship>, suffix: string) =>
  [...rels.values()].find((r) => r.type.endsWith(`/${suffix}`))?.target;
