/**
 * What a database driver's error means for the client, for both engines' drivers (better-sqlite3's SQLITE_* codes,
 * pg's SQLSTATEs and socket errors): the app answers a 400 for the first and a 503 with Retry-After for the second.
 */

/** PostgreSQL's data exceptions (class 22: bad encoding, out of range, bad format) are the client's input. */
export function isBadValueForDatabase(error: { code?: unknown }): boolean {
  return typeof error.code === 'string' && /^22[0-9A-Z]{3}$/.test(error.code);
}

/** Errors a database driver raises when it cannot be reached: the client may retry, so 503 rather than 500. */
export function isUnavailable(error: { code?: unknown; message?: string }): boolean {
  const code = String(error.code ?? '');
  return (
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'EPIPE',
      'SQLITE_BUSY',
      '57P01',
      '57P02',
      '57P03',
      '08000',
      '08003',
      '08006',
    ].includes(code) ||
    /Connection terminated|connection timeout|Client has encountered a connection error/i.test(
      error.message ?? '',
    )
  );
}

/**
 * PostgreSQL rolled the transaction back for a concurrent one (40P01 deadlock_detected, 40001
 * serialization_failure): nothing of it is stored, and the same request may succeed when tried again.
 */
export function isConcurrencyRollback(error: { code?: unknown }): boolean {
  return error.code === '40P01' || error.code === '40001';
}
