import fc from 'fast-check';
import { sql } from 'kysely';
import { ENGINES, startTestServer, type TestServer } from '../server/harness';
import { fromEmailItem } from './helpers';

/**
 * 10,000 random and malformed requests per engine (FUZZ_RUNS to change, FUZZ_SEED to replay): never a 5xx, the
 * server keeps answering, and a rejected (4xx) request writes nothing — every table's row count is unchanged.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

const nasty = fc.constantFrom(
  '\u0000', 'a\u0000b', '\ud800', '\udfff\ud800', '\u202e', '\ufeff', '𝕏', '👩‍👩‍👧', 'Zażółć gęślą jaźń', '打印机无法使用', "'; drop table cases; --", '%', '_', '\\', '"', '<script>', '../../etc/passwd', '$where', '{{7*7}}', ' ', '',
);
const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), nasty, fc.string({ minLength: 1000, maxLength: 5000 }));
const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.bigInt().map(String), fc.constantFrom(1e308, -0, Number.MAX_SAFE_INTEGER + 2));
const protoKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__');
const key = fc.oneof(fc.string(), protoKey, fc.constantFrom('Subject', 'Case_Origin', 'Email', 'Status', 'Owner', 'id', 'data', 'case', 'message', 'internet_message_id', 'from', 'to', 'Case_Number', '$version'));
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(key, tie('v'), { maxKeys: 5 })),
})).v;

/** A valid body with one place replaced by something random: reaches the validators' inner branches. */
const mutatedFromEmail = fc.tuple(fc.constantFrom('case', 'message'), fc.constantFrom('Subject', 'Case_Origin', 'Email', 'Status', 'Priority', 'Owner', 'Phone', 'internet_message_id', 'from', 'to', 'cc', 'sent_time', 'body_text', 'conversation_id', '__proto__', 'extra'), value, fc.nat()).map(([where, field, v, n]) => {
  const item = fromEmailItem(`fz${n}`) as Record<string, Record<string, unknown>>;
  item[where][field] = v;
  return JSON.stringify({ data: [item] });
});

const deep = fc.integer({ min: 50, max: 20_000 }).chain((d) => fc.constantFrom(`${'['.repeat(d)}${']'.repeat(d)}`, `{"data":${'['.repeat(d)}${']'.repeat(d)}}`, `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`));
const body = fc.oneof(
  { weight: 4, arbitrary: value.map((v) => JSON.stringify({ data: [v] })) },
  { weight: 3, arbitrary: mutatedFromEmail },
  { weight: 2, arbitrary: value.map((v) => JSON.stringify(v) ?? 'undefined') },
  { weight: 2, arbitrary: fc.json() },
  { weight: 2, arbitrary: text },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: fc.constantFrom('{"__proto__":{"role":"admin"},"data":[{"Subject":"x","Case_Origin":"Phone","__proto__":{"x":1}}]}', '{"constructor":{"prototype":{"polluted":true}},"data":[]}', '{"data":[{"case":{"Subject":"x","Case_Origin":"Email","constructor":{"prototype":{"a":1}}},"message":{"internet_message_id":"<p@x>","from":{"email":"a@b.co"}}}]}') },
  { weight: 1, arbitrary: fc.constantFrom('', '{', '{"data":', '{"data":[{]}', 'null', '[]', '{"data":null}', '{"data":{}}', `{"data":[${'{},'.repeat(150)}{}]}`, `{"data":[{"Subject":"${'ą'.repeat(600_000)}"}]}`) },
);
const criteria = fc.array(fc.constantFrom('(', ')', ':', 'and', 'or', 'AND', 'Subject', 'Email', 'Status', 'Case_Number', 'Owner', 'id', 'Description', 'equals', 'starts_with', 'in', 'greater_than', 'not_equal', '\\', '\\(', ',', 'x', '1', '00000001', ' ', '%', '_', "'", '"', '\u0000', '打印机', 'a@b.co'), { maxLength: 40 }).map((p) => p.join(''));
const id = fc.oneof(fc.string(), fc.nat().map(String), fc.constantFrom('%ZZ', '%', '%C0%AF', '0', '-1', '1', '2', '99999999999999999999', '9223372036854775807', '9223372036854775808', '1e3', '0x10', '%00', '..', '1;drop'));
const queryParam = fc.tuple(fc.constantFrom('criteria', 'word', 'email', 'phone', 'page', 'per_page', 'sort_by', 'sort_order', 'fields', 'internet_message_id', 'conversation_id', 'type', 'x'), fc.oneof(text, criteria, id));
const query = fc.array(queryParam, { maxLength: 4 }).map((ps) => ps.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&'));

/** Percent-encode; a lone surrogate (which encodeURIComponent refuses) goes out as invalid UTF-8 on purpose. */
const enc = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return s.replace(/[\ud800-\udfff]/g, '%ED%A0%80').replace(/[^%\w.-]/g, (c) => encodeURIComponent(c));
  }
};

type Req = { method: string; path: string; body?: string; contentType?: string };
const request: fc.Arbitrary<Req> = fc.oneof(
  fc.tuple(fc.constantFrom('POST /crm/v6/Cases', 'PUT /crm/v6/Cases', 'POST /crm/v6/Cases/actions/from_email', 'POST /crm/v6/Cases/{id}/Emails', 'PUT /crm/v6/Cases/{id}', 'POST /crm/v6/Cases/{id}/actions/clone', 'POST /crm/v6/Contacts', 'PUT /crm/v6/Contacts/{id}'), id, body, fc.constantFrom('application/json', 'application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', undefined)).map(([route, i, b, contentType]) => {
    const [method, p] = route.split(' ');
    return { method, path: p.replace('{id}', enc(i)), body: b, contentType };
  }),
  fc.tuple(fc.constantFrom('/crm/v6/Cases/search', '/crm/v6/Cases', '/crm/v6/Emails/cases', '/crm/v6/Cases/{id}', '/crm/v6/Cases/{id}/Emails', '/crm/v6/Contacts/search', '/crm/v6/users', '/crm/v6/settings/fields'), id, query).map(([p, i, q]) => ({ method: 'GET', path: `${p.replace('{id}', enc(i))}${q ? `?${q}` : ''}` })),
  fc.tuple(fc.constantFrom('DELETE', 'PATCH', 'OPTIONS', 'HEAD'), id).map(([method, i]) => ({ method, path: `/crm/v6/Cases/${enc(i)}` })),
);

describe.each(ENGINES)('fuzz: random and malformed requests (%s)', (engine) => {
  jest.setTimeout(300_000);
  let t: TestServer;
  let countSql: string;
  beforeAll(async () => {
    t = await startTestServer(engine);
    // A few real records so ids 1–3 exist and updates/links reach deep code paths.
    for (let i = 0; i < 3; i++) await t.call('POST', '/crm/v6/Cases/actions/from_email', { json: { data: [fromEmailItem(`seed-${i}`)] } });
    const tables = (await t.server.storage.db.introspection.getTables()).map((x) => x.name).filter((n) => !n.startsWith('kysely_') && !n.startsWith('cases_fts'));
    countSql = `select ${tables.map((n) => `(select count(*) from "${n}") as "${n}"`).join(', ')}`;
  });
  afterAll(() => t.close());

  it(`${RUNS} requests: no 5xx, no crash, nothing written when rejected`, async () => {
    const counts = async () => JSON.stringify((await sql.raw(countSql).execute(t.server.storage.db)).rows[0], (_k, v) => (typeof v === 'bigint' ? String(v) : typeof v === 'number' ? String(v) : v));
    const token = await t.token('manager');
    await t.call('GET', '/crm/v6/Cases', { role: 'manager' }); // the user row is created on first sight, before counting
    let last = await counts();
    const statuses: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const headers: Record<string, string> = { authorization: `Bearer ${token}` };
        if (req.contentType) headers['content-type'] = req.contentType;
        const r = await fetch(`${t.url}${req.path}`, { method: req.method, headers, body: req.method === 'GET' || req.method === 'HEAD' ? undefined : req.body });
        await r.arrayBuffer();
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        if (r.status >= 500) throw new Error(`${req.method} ${req.path.slice(0, 200)} → ${r.status}`);
        const now = await counts();
        if (r.status >= 400 && now !== last) throw new Error(`${req.method} ${req.path.slice(0, 200)} → ${r.status} but wrote: ${last} → ${now}`);
        last = now;
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    process.stdout.write(`fuzz (${engine}): ${RUNS} requests, statuses ${JSON.stringify(statuses)}\n`);
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
  });
});
