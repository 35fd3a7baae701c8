import { syntaxError } from './coql.errors';

/** COQL's tokens. Keywords are identifiers the parser recognises, case-insensitively, as Zoho does. */
export type TokenKind = 'ident' | 'string' | 'number' | 'op' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** For strings, the value with escapes resolved; otherwise the text as written. */
  text: string;
  /** Offsets of the first character and one past the last, in the query. */
  start: number;
  end: number;
}

const IDENT_START = /[A-Za-z_$]/;
const IDENT_PART = /[A-Za-z0-9_$]/;
const DIGIT = /[0-9]/;
const TWO_CHAR_OPS = new Set(['!=', '<>', '<=', '>=']);

/** 1-based line and column of an offset, for SYNTAX_ERROR's details. */
export function positionOf(input: string, offset: number): { line: number; column: number } {
  const before = input.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function readString(input: string, start: number): { value: string; end: number } {
  const quote = input[start];
  let value = '';
  let pos = start + 1;
  for (;;) {
    const ch = input[pos];
    if (ch === undefined)
      throw syntaxError(
        'query',
        input.slice(start, start + 30),
        positionOf(input, start),
        'unterminated string',
      );
    if (ch === '\\' && pos + 1 < input.length) {
      value += input[pos + 1];
      pos += 2;
    } else if (ch === quote && input[pos + 1] === quote) {
      value += quote;
      pos += 2;
    } else if (ch === quote) {
      return { value, end: pos + 1 };
    } else {
      value += ch;
      pos++;
    }
  }
}

function readNumber(input: string, start: number): number {
  let pos = start;
  if (input[pos] === '-') pos++;
  while (DIGIT.test(input[pos] ?? '')) pos++;
  if (input[pos] === '.' && DIGIT.test(input[pos + 1] ?? '')) {
    pos++;
    while (DIGIT.test(input[pos] ?? '')) pos++;
  }
  return pos;
}

/** Split a query into tokens; anything that is no token is a SYNTAX_ERROR naming where it stands. */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < input.length) {
    const ch = input[pos];
    if (/\s/.test(ch)) {
      pos++;
    } else if (IDENT_START.test(ch)) {
      const start = pos;
      while (pos < input.length && IDENT_PART.test(input[pos])) pos++;
      tokens.push({ kind: 'ident', text: input.slice(start, pos), start, end: pos });
    } else if (DIGIT.test(ch) || (ch === '-' && DIGIT.test(input[pos + 1] ?? ''))) {
      const end = readNumber(input, pos);
      tokens.push({ kind: 'number', text: input.slice(pos, end), start: pos, end });
      pos = end;
    } else if (ch === "'" || ch === '"') {
      const { value, end } = readString(input, pos);
      tokens.push({ kind: 'string', text: value, start: pos, end });
      pos = end;
    } else if (TWO_CHAR_OPS.has(input.slice(pos, pos + 2))) {
      tokens.push({ kind: 'op', text: input.slice(pos, pos + 2), start: pos, end: pos + 2 });
      pos += 2;
    } else if (ch === '=' || ch === '<' || ch === '>') {
      tokens.push({ kind: 'op', text: ch, start: pos, end: pos + 1 });
      pos++;
    } else if (ch === '(' || ch === ')' || ch === ',' || ch === '.' || ch === '*') {
      tokens.push({ kind: 'punct', text: ch, start: pos, end: pos + 1 });
      pos++;
    } else {
      throw syntaxError('query', ch, positionOf(input, pos), `unexpected character ${JSON.stringify(ch)}`);
    }
  }
  tokens.push({ kind: 'eof', text: '', start: input.length, end: input.length });
  return tokens;
}
