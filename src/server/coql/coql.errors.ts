/**
 * A refused COQL query, in Zoho's terms: SYNTAX_ERROR (the text does not parse), INVALID_QUERY (it parses but names
 * an unknown field, an operator the field's type does not take, a value of the wrong type), LIMIT_EXCEEDED (Zoho's
 * limits), DUPLICATE_DATA (a field twice in GROUP BY or ORDER BY). The route turns it into a 400.
 */
export type CoqlErrorCode = 'SYNTAX_ERROR' | 'INVALID_QUERY' | 'LIMIT_EXCEEDED' | 'DUPLICATE_DATA';

export class CoqlError extends Error {
  constructor(
    readonly code: CoqlErrorCode,
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Zoho's parse error: which clause, the text near the failure, and where it is (1-based line and column). */
export function syntaxError(
  clause: string,
  near: string,
  position: { line: number; column: number },
  message = 'error occurred while parsing the query',
): CoqlError {
  return new CoqlError('SYNTAX_ERROR', message, {
    clause,
    near: near.slice(0, 60),
    line: position.line,
    column: position.column,
  });
}

/** A query that names something it may not: the field (as column_name and api_name) and why. */
export function invalidQuery(reason: string, field?: string, extra: Record<string, unknown> = {}): CoqlError {
  const named =
    field === undefined ? {} : { column_name: field.slice(0, 100), api_name: field.slice(0, 100) };
  return new CoqlError('INVALID_QUERY', 'invalid query formed', { ...named, reason, ...extra });
}

export function limitExceeded(clause: string, limit: number, message: string): CoqlError {
  return new CoqlError('LIMIT_EXCEEDED', message, { clause, limit });
}
