import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { hasLoneSurrogate, wellFormed } from '../../shared/validation';
import { apiError, type HttpError } from './errors';
import { utf8SequenceLength } from './utf8';

/**
 * Request bodies must be Unicode text. Node would decode invalid UTF-8 into U+FFFD without a word, and JSON's
 * `\ud800` escapes give strings no database stores faithfully (SQLite keeps bytes that are not UTF-8, PostgreSQL's
 * driver U+FFFD), so both are refused here, before any engine sees them, with the field they are in.
 */

type Segment = string | number;

// Put where invalid bytes were, so the parsed body shows which string held them; U+FFFD could be the client's own.
const MARK = '\uffff';
const MARK_BYTES = Buffer.from(MARK, 'utf8');

/** The bytes as text, each byte that is not part of valid UTF-8 replaced by MARK. */
function markInvalid(bytes: Buffer): string {
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length;) {
    const length = utf8SequenceLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    parts.push(bytes.subarray(start, i), MARK_BYTES);
    start = ++i;
  }
  parts.push(bytes.subarray(start));
  return Buffer.concat(parts).toString('utf8');
}

/**
 * Where in a parsed JSON value the first key or string that fails `bad` is, as a path; undefined if none does. Walks
 * without recursion: bodies nest thousands deep.
 */
function findText(root: unknown, bad: (text: string) => boolean): Segment[] | undefined {
  type Node = { value: unknown; parent: number; key: Segment | null };
  const nodes: Node[] = [{ value: root, parent: -1, key: null }];
  const pathTo = (index: number, last?: Segment) => {
    const path: Segment[] = last === undefined ? [] : [last];
    for (let i = index; i > 0; i = nodes[i].parent) path.unshift(nodes[i].key as Segment);
    return path;
  };
  for (let i = 0; i < nodes.length; i++) {
    const { value } = nodes[i];
    if (typeof value === 'string') {
      if (bad(value)) return pathTo(i);
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => nodes.push({ value: item, parent: i, key: index }));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (bad(key)) return pathTo(i, key);
        nodes.push({ value: item, parent: i, key });
      }
    }
  }
  return undefined;
}

const shownName = (name: string) => wellFormed(name).replaceAll(MARK, '\ufffd').slice(0, 60);

/** The refusal for bad text at `path`: INVALID_DATA naming the innermost property, with the JSON path. */
function badText(path: Segment[] | undefined, problem: string): HttpError {
  const names = (path ?? []).filter((s): s is string => typeof s === 'string');
  const apiName = names.length ? shownName(names[names.length - 1]) : 'data';
  const jsonPath = (path ?? []).map((s) => (typeof s === 'number' ? `[${s}]` : `.${shownName(s)}`)).join('');
  return apiError(400, 'INVALID_DATA', `${apiName}: ${problem}`, {
    api_name: apiName,
    json_path: `$${jsonPath}`,
    expected_data_type: 'string',
  });
}

const NOT_UTF8 = 'not valid UTF-8 text';
const LONE_SURROGATE =
  'contains a lone UTF-16 surrogate (a \\ud800–\\udfff escape without its pair), which is not Unicode text';
// Only a `\uD800`–`\uDFFF` escape can put a surrogate into parsed JSON once the bytes are known to be UTF-8.
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/**
 * Replace fastify's JSON body parser with one that reads bytes, refuses invalid UTF-8 and lone surrogates naming the
 * field, and otherwise parses exactly as before (same prototype-poisoning rules, same errors).
 */
export function strictJsonBodies(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    if (!isUtf8(bytes)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(markInvalid(bytes));
      } catch {
        return done(badText(undefined, NOT_UTF8));
      }
      return done(
        badText(
          findText(parsed, (text) => text.includes(MARK)),
          NOT_UTF8,
        ),
      );
    }
    const text = bytes.toString('utf8');
    if (!SURROGATE_ESCAPE.test(text)) return parse(request, text, done);
    parse(request, text, (error, parsed) => {
      if (error) return done(error);
      const path = findText(parsed, hasLoneSurrogate);
      return path ? done(badText(path, LONE_SURROGATE)) : done(null, parsed);
    });
  });
}

const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;

/**
 * Percent-decode one part of a urlencoded body the way browsers encode it (`+` is a space, `%XX` a byte, anything
 * else as it is), as bytes; undefined unless those bytes are UTF-8, so nothing is silently turned into U+FFFD.
 */
export function formPart(raw: Buffer): string | undefined {
  const out = Buffer.allocUnsafe(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === 0x2b) out[n++] = 0x20;
    else if (c === 0x25 && HEX_PAIR.test(raw.toString('latin1', i + 1, i + 3))) {
      out[n++] = Number.parseInt(raw.toString('latin1', i + 1, i + 3), 16);
      i += 2;
    } else out[n++] = c;
  }
  const bytes = out.subarray(0, n);
  return isUtf8(bytes) ? bytes.toString('utf8') : undefined;
}

/** A urlencoded body as [name, value] pairs; a value that is not UTF-8 comes back as undefined. */
export function formPairs(body: Buffer): [string, string | undefined][] {
  const pairs: [string, string | undefined][] = [];
  let start = 0;
  for (let i = 0; i <= body.length; i++) {
    if (i < body.length && body[i] !== 0x26) continue;
    const part = body.subarray(start, i);
    start = i + 1;
    if (part.length === 0) continue;
    const eq = part.indexOf(0x3d);
    const name = formPart(eq < 0 ? part : part.subarray(0, eq));
    // A name that is not text cannot be one of the form's fields.
    if (name !== undefined) pairs.push([name, formPart(eq < 0 ? Buffer.alloc(0) : part.subarray(eq + 1))]);
  }
  return pairs;
}
