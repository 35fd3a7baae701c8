/**
 * The caps every import runs under, so that one upload cannot take the server's memory, disk or CPU: a small
 * XLSX can unpack to gigabytes (a zip bomb) or hold millions of rows. Each cap is named by its environment
 * variable, which is what a refusal tells the agent (and the admin who may raise it).
 */
export interface ImportLimits {
  /** Data rows (non-empty, after the header) in one file; checked before anything is written. */
  maxRows: number;
  /** Wall-clock seconds for one import, reading and writing. */
  maxSeconds: number;
  /** Unpacked bytes of the XLSX sheet that is read (its XML). */
  maxSheetBytes: number;
  /** Unpacked bytes of the XLSX shared-strings table, the one part held in memory. */
  maxSharedStringsBytes: number;
  /** Characters in one XLSX cell or shared string (Excel itself stops at 32,767). */
  maxCellChars: number;
  /** Bytes of one CSV record (a line, or several when a quoted cell spans lines). */
  maxRecordBytes: number;
  /**
   * Not a cap: how old a running import's heartbeat may be before its process counts as gone (the import is
   * marked failed and its key is free again). It beats six times in this window.
   */
  staleAfterSeconds: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxRows: 100_000,
  maxSeconds: 600,
  maxSheetBytes: 512 * MiB,
  maxSharedStringsBytes: 64 * MiB,
  maxCellChars: 32_767,
  maxRecordBytes: 256 * 1024,
  staleAfterSeconds: 30,
};

/** The environment variable behind each cap, as refusals and the README name them. */
export const LIMIT_VARIABLES: Record<keyof ImportLimits, string> = {
  maxRows: 'IMPORT_MAX_ROWS',
  maxSeconds: 'IMPORT_MAX_SECONDS',
  maxSheetBytes: 'IMPORT_MAX_SHEET_MB',
  maxSharedStringsBytes: 'IMPORT_MAX_SHARED_STRINGS_MB',
  maxCellChars: 'IMPORT_MAX_CELL_CHARS',
  maxRecordBytes: 'IMPORT_MAX_RECORD_KB',
  staleAfterSeconds: 'IMPORT_STALE_SECONDS',
};

/** A file refused whole (unreadable, wrong encoding, over a cap); nothing of it is written. */
export class ImportFileError extends Error {
  constructor(
    message: string,
    /** The cap that refused it, when one did. */
    readonly limit?: { name: string; max: number },
  ) {
    super(message);
  }
}

/** "the sheet is too large: the cap is IMPORT_MAX_SHEET_MB = 512 MiB" */
export function limitError(cap: keyof ImportLimits, max: number, what: string, unit = ''): ImportFileError {
  return new ImportFileError(
    `${what}: the cap is ${LIMIT_VARIABLES[cap]} = ${max.toLocaleString('en-US')}${unit}`,
    {
      name: LIMIT_VARIABLES[cap],
      max,
    },
  );
}

function positive(env: NodeJS.ProcessEnv, cap: keyof ImportLimits, scale: number): number {
  const raw = env[LIMIT_VARIABLES[cap]];
  if (raw === undefined || raw === '') return DEFAULT_IMPORT_LIMITS[cap];
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`${LIMIT_VARIABLES[cap]} must be a positive integer, got "${raw}"`);
  return n * scale;
}

export function importLimitsFromEnv(env: NodeJS.ProcessEnv): ImportLimits {
  return {
    maxRows: positive(env, 'maxRows', 1),
    maxSeconds: positive(env, 'maxSeconds', 1),
    maxSheetBytes: positive(env, 'maxSheetBytes', MiB),
    maxSharedStringsBytes: positive(env, 'maxSharedStringsBytes', MiB),
    maxCellChars: positive(env, 'maxCellChars', 1),
    maxRecordBytes: positive(env, 'maxRecordBytes', 1024),
    staleAfterSeconds: positive(env, 'staleAfterSeconds', 1),
  };
}

/** A deadline shared by every stage of one import. */
export class ImportClock {
  private readonly endsAt: number;
  constructor(private readonly maxSeconds: number) {
    this.endsAt = Date.now() + maxSeconds * 1000;
  }
  check(): void {
    if (Date.now() > this.endsAt)
      throw limitError('maxSeconds', this.maxSeconds, 'the import took too long', ' s');
  }
}
