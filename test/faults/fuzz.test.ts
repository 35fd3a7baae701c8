import fc from 'fast-check';
import { sql } from 'kysely';
import { ENGINES, startTestServer, type TestServer } from '../server/harness';
import { startSmtp } from '../server/smtp';
import { fromEmailItem } from './helpers';

/**
 * 10,000 random and malformed requests per engine (FUZZ_RUNS to change, FUZZ_SEED to replay): never a 5xx, the
 * server keeps answering, and a rejected (4xx) request writes nothing — every table's row count is unchanged.
 * Every route is reached, the public web form without a token: JavaScript built-in names (`constructor`, `__proto__`,
 * `toString`) as keys, field names, criteria and `fields=`; type-confused values (`{"toString": 1}`, lists for
 * texts) in valid bodies; bytes that are not UTF-8 and lone surrogates.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

/** Percent-encode; a lone surrogate (which encodeURIComponent refuses) goes out as invalid UTF-8 on purpose. */
const enc = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return s.replace(/[\ud800-\udfff]/g, '%ED%A0%80').replace(/[^%\w.-]/g, (c) => encodeURIComponent(c));
  }
};

const nasty = fc.constantFrom(
  '\u0000', 'a\u0000b', '\ud800', '\udfff\ud800', '\u202e', '\ufeff', '𝕏', '👩‍👩‍👧', 'Zażółć gęślą jaźń', '打印机无法使用', "'; drop table cases; --", '%', '_', '\\', '"', '<script>', '../../etc/passwd', '$where', '{{7*7}}', ' ', '',
);
const protoName = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupSetter__');
/** Values that break code trusting a type: String() and `${}` throw on the first ones, lists stand in for texts. */
const confused = fc.constantFrom<unknown>({ toString: 1 }, { toString: 1, valueOf: 1 }, { toString: {} }, { valueOf: 'x' }, { toJSON: 1 }, { length: 1e9 }, { id: { toString: 1 } }, { email: { toString: 1 } }, { api_name: { toString: 1 } }, ['a', 'b'], [[]], [{}], {}, [null]);
const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), nasty, fc.string({ minLength: 1000, maxLength: 5000 }));
const scalar = fc.oneof(text, protoName, protoName.map((n) => `{{${n}}}`), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.bigInt().map(String), fc.constantFrom(1e308, -0, Number.MAX_SAFE_INTEGER + 2));
const protoKey = protoName;
const key = fc.oneof(fc.string(), protoKey, fc.constantFrom('Subject', 'Case_Origin', 'Email', 'Status', 'Owner', 'id', 'data', 'case', 'message', 'internet_message_id', 'from', 'to', 'Case_Number', '$version'));
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, confused, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(key, tie('v'), { maxKeys: 5 })),
})).v;

/** A valid body with one place replaced by something random: reaches the validators' inner branches. */
const mutatedFromEmail = fc.tuple(fc.constantFrom('case', 'message'), fc.constantFrom('Subject', 'Case_Origin', 'Email', 'Status', 'Priority', 'Owner', 'Phone', 'internet_message_id', 'from', 'to', 'cc', 'sent_time', 'body_text', 'conversation_id', '__proto__', 'extra'), value, fc.nat()).map(([where, field, v, n]) => {
  const item = fromEmailItem(`fz${n}`) as Record<string, Record<string, unknown>>;
  item[where][field] = v;
  return JSON.stringify({ data: [item] });
});

/** A valid body with one place set to a random or type-confused value, or a built-in name added as a key. */
const pathsOf = (v: unknown, at: (string | number)[] = []): (string | number)[][] =>
  typeof v === 'object' && v !== null ? [at, ...Object.entries(v).flatMap(([k, x]) => pathsOf(x, [...at, Array.isArray(v) ? Number(k) : k]))] : [at];
function mutated(base: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(base).filter((p) => p.length > 0);
  const set = (path: (string | number)[], v: unknown) => {
    const copy = structuredClone(base) as Record<string | number, unknown>;
    let at = copy;
    for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
    Object.defineProperty(at, path[path.length - 1], { value: v, enumerable: true, writable: true, configurable: true });
    return copy;
  };
  const objects = pathsOf(base).filter((p) => { let x: unknown = base; for (const k of p) x = (x as Record<string | number, unknown>)[k]; return typeof x === 'object' && x !== null && !Array.isArray(x); });
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(base) },
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...paths), fc.oneof(value, confused, protoName)).map(([p, v]) => set(p, v)) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...objects), protoName, fc.oneof(value, confused)).map(([p, k, v]) => set([...p, k], v)) },
  );
}
const json = (a: fc.Arbitrary<unknown>) => a.map((v) => JSON.stringify(v) ?? 'null');
const bodies = {
  sendOne: json(mutated({ data: [{ to: [{ email: 'fz@example.com', name: 'Fz' }], cc: [{ email: 'cc@example.com' }], subject: 'Fuzz\r\nsubject', content: 'Body {{constructor}}' }] })),
  sendTemplate: json(mutated({ data: [{ template_id: '1' }] })),
  sendBulk: json(mutated({ template_id: '1', data: [{ id: '1' }, { id: 2 }, { id: '1' }] })),
  template: json(mutated({ data: [{ name: 'Fz', subject: 'About {{Subject}} {{toString}}', body: 'Dear {{Contact_Name}} {{__proto__}}' }] })),
  layout: json(mutated({ fields: [{ api_name: 'Priority', hidden: false, read_only: false }, { api_name: 'Type' }, { api_name: 'Subject' }] })),
  customField: json(fc.tuple(fc.oneof(protoName, fc.constantFrom('Fz_a', 'Fz_b', 'Fz_c'), fc.string()), fc.constantFrom('text', 'picklist', 'number', 'date')).chain(([api_name, type]) => mutated({ fields: [{ api_name, label: { en: 'Fz', pl: 'Fz' }, type, ...(type === 'picklist' ? { pick_list_values: ['A', 'B'] } : type === 'text' ? { length: 40 } : {}) }] }))),
  webFormAdmin: json(mutated({ data: [{ name: 'Fz form', language: 'en', fields: ['Subject', { api_name: 'Email', label: 'Mail', required: true }], return_url: null }] })),
  note: json(mutated({ data: [{ Note_Title: 'Fz', Note_Content: 'Note' }] })),
  activity: json(mutated({ data: [{ Activity_Type: 'Tasks', Subject: 'Call back', Due_Date: '2026-12-01', Status: 'Not Started', Owner: { id: '1' } }] })),
  solution: json(mutated({ data: [{ Solution_Title: 'Fz', Question: 'Q', Answer: 'A', Status: 'Draft', Cases: [{ id: '1' }] }] })),
  assignmentRule: json(mutated({ data: [{ name: 'Fz rule', criteria: '(Subject:starts_with:Fz)', owner: { id: '1' }, position: 5, active: false }] })),
  escalationRule: json(mutated({ data: [{ name: 'Fz esc', criteria: '(Status:equals:New)', hours: 24, to_owners_manager: true, active: false }] })),
  user: json(mutated({ data: [{ manager: { id: '1' } }] })),
  contact: json(mutated({ data: [{ First_Name: 'Anna', Last_Name: 'Nowak', Email: 'anna@example.pl', Account_Name: { id: '1' } }] })),
  publicForm: json(mutated({ Subject: 'Fz web', Email: 'fz@example.com', Description: 'D' })),
};
/** A urlencoded form body, written by hand so it can be anything a browser would never send. */
const formValue = fc.oneof(text.map((v) => enc(v)), fc.constantFrom('%', '%zz', '%C3', '%ED%A0%80', '%FF', '%C0%AF', '+', 'a+b', '%2B', '%26', '%3D', 'caf%C3%A9', '%F0%9F%98%80'), protoName);
const urlencoded = fc.array(fc.tuple(fc.oneof(fc.constantFrom('Subject', 'Email', 'Description', 'website'), protoName, fc.string().map(enc)), formValue), { maxLength: 6 }).map((ps) => ps.map(([k, v]) => `${k}=${v}`).join('&'));
/** A JSON body as bytes, with a sequence that is not UTF-8 put into it somewhere. */
const badUtf8 = fc.tuple(fc.oneof(bodies.publicForm, bodies.note, mutatedFromEmail), fc.nat(), fc.constantFrom([0xff], [0xc3], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf0, 0x9f, 0x98], [0xf4, 0x90, 0x80, 0x80])).map(([b, at, bad]) => {
  const bytes = Buffer.from(b, 'utf8');
  const i = at % (bytes.length + 1);
  return Buffer.concat([bytes.subarray(0, i), Buffer.from(bad), bytes.subarray(i)]);
});
const loneSurrogate = fc.tuple(fc.oneof(bodies.publicForm, bodies.note, bodies.template, mutatedFromEmail), fc.constantFrom('\\ud800', '\\udfff', '\\udbff\\u0041', '\\ud83d\\ude00')).map(([b, esc]) => b.replace(/"([^"\\]*)"(?=[,}\]])/, `"$1${esc}"`));

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
const criteria = fc.array(fc.constantFrom('(', ')', ':', 'and', 'or', 'AND', 'Subject', 'Email', 'Status', 'Case_Number', 'Owner', 'id', 'Description', 'equals', 'starts_with', 'in', 'greater_than', 'not_equal', '\\', '\\(', ',', 'x', '1', '00000001', ' ', '%', '_', "'", '"', '\u0000', '打印机', 'a@b.co', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__', 'prototype', '(constructor:equals:a)', '(toString:starts_with:x)', '(__proto__.id:equals:1)'), { maxLength: 40 }).map((p) => p.join(''));
const id = fc.oneof(fc.string(), fc.nat().map(String), fc.constantFrom('%ZZ', '%', '%C0%AF', '0', '-1', '1', '2', '99999999999999999999', '9223372036854775807', '9223372036854775808', '1e3', '0x10', '%00', '..', '1;drop'));
const fieldList = fc.array(fc.oneof(protoName, fc.constantFrom('Subject', 'Email', 'id', 'Case_Number', 'Status', 'Nope')), { minLength: 1, maxLength: 4 }).map((n) => n.join(','));
const queryParam = fc.tuple(fc.constantFrom('criteria', 'word', 'email', 'phone', 'page', 'per_page', 'sort_by', 'sort_order', 'fields', 'internet_message_id', 'conversation_id', 'type', 'module', 'status', 'x', '__proto__', 'constructor'), fc.oneof(text, criteria, id, fieldList, protoName));
const query = fc.array(queryParam, { maxLength: 4 }).map((ps) => ps.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&'));


type Req = { method: string; path: string; body?: string | Buffer; contentType?: string; role?: 'admin' | 'none' };
const jsonTypes: fc.Arbitrary<string | undefined> = fc.constantFrom('application/json', 'application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', undefined);
/** `route` is "METHOD /path" with {id} for a random id; the body comes from `b`, random or a mutated valid one. */
const routed = (routes: string[], b: fc.Arbitrary<string | Buffer>, role?: Req['role'], types = jsonTypes) =>
  fc.tuple(fc.constantFrom(...routes), fc.oneof(fc.constantFrom('1', '2', '3'), id), fc.oneof({ weight: 3, arbitrary: b }, { weight: 1, arbitrary: body }), types).map(([route, i, bd, contentType]): Req => {
    const [method, p] = route.split(' ');
    return { method, path: p.replace('{id}', enc(i)), body: bd, contentType, role };
  });
const FORM = '/forms/{form}';
const request: fc.Arbitrary<Req> = fc.oneof(
  routed(['POST /crm/v6/Cases/{id}/actions/send_mail'], fc.oneof(bodies.sendOne, bodies.sendTemplate), 'admin'),
  routed(['POST /crm/v6/Cases/actions/send_mail'], bodies.sendBulk, 'admin'),
  routed(['POST /crm/v6/settings/email_templates', 'PUT /crm/v6/settings/email_templates/{id}'], bodies.template, 'admin'),
  routed(['PUT /crm/v6/settings/layout?module=Cases'], bodies.layout, 'admin'),
  routed(['POST /crm/v6/settings/fields?module=Cases'], bodies.customField, 'admin'),
  routed(['POST /crm/v6/settings/web_forms'], bodies.webFormAdmin, 'admin'),
  routed(['POST /crm/v6/Cases/{id}/Notes'], bodies.note),
  routed(['POST /crm/v6/Cases/{id}/Activities', 'POST /crm/v6/Activities/{id}/actions/complete'], bodies.activity),
  routed(['POST /crm/v6/Solutions', 'PUT /crm/v6/Solutions/{id}', 'POST /crm/v6/Cases/{id}/actions/publish_solution'], bodies.solution),
  routed(['POST /crm/v6/settings/assignment_rules', 'PUT /crm/v6/settings/assignment_rules/{id}'], bodies.assignmentRule, 'admin'),
  routed(['POST /crm/v6/settings/escalation_rules', 'PUT /crm/v6/settings/escalation_rules/{id}', 'POST /crm/v6/settings/escalation_rules/actions/run'], bodies.escalationRule, 'admin'),
  routed(['PUT /crm/v6/users/{id}'], bodies.user, 'admin'),
  routed(['POST /crm/v6/Contacts', 'POST /crm/v6/Accounts', 'POST /crm/v6/Deals', 'POST /crm/v6/Products'], bodies.contact),
  routed(['POST /crm/v6/Cases/{id}/Emails/{id}/actions/move', 'POST /crm/v6/Cases/{id}/Emails'], fc.oneof(mutatedFromEmail, body)),
  routed([`POST ${FORM}`], bodies.publicForm, 'none'),
  routed([`POST ${FORM}`], urlencoded, 'none', fc.constantFrom('application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8')),
  routed(['POST /crm/v6/Cases', 'POST /crm/v6/Cases/actions/from_email', `POST ${FORM}`, 'POST /crm/v6/Cases/{id}/Notes', 'POST /crm/v6/settings/email_templates'], fc.oneof(badUtf8, loneSurrogate), 'admin', fc.constant('application/json')),
  fc.tuple(fc.constantFrom(`GET ${FORM}`, 'GET /forms/{id}', `POST /forms/{id}`), id).map(([route, i]): Req => ({ method: route.split(' ')[0], path: route.split(' ')[1].replace('{id}', enc(i)), role: 'none' })),
  fc.tuple(fc.constantFrom('/crm/v6/settings/email_templates', '/crm/v6/settings/web_forms', '/crm/v6/settings/assignment_rules', '/crm/v6/settings/escalation_rules', '/crm/v6/Cases/{id}/Notes', '/crm/v6/Cases/{id}/Open_Activities', '/crm/v6/Cases/{id}/Closed_Activities', '/crm/v6/Cases/{id}/Solutions', '/crm/v6/Solutions', '/crm/v6/Solutions/search', '/crm/v6/Solutions/{id}', '/crm/v6/Cases/{id}/__timeline', '/crm/v6/Cases/{id}/Attachments', '/crm/v6/Contacts', '/crm/v6/Accounts'), id, query).map(([p, i, q]): Req => ({ method: 'GET', path: `${p.replace('{id}', enc(i))}${q ? `?${q}` : ''}`, role: 'admin' })),
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
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let formKey = '';
  beforeAll(async () => {
    smtp = await startSmtp({ refuse: 'bounce@example.com' });
    t = await startTestServer(engine, { smtpUrl: smtp.url, smtpFrom: 'Fuzz <support@example.com>', webFormsPerMinute: 1_000_000 });
    // A few real records so ids 1–3 exist and updates/links reach deep code paths.
    for (let i = 0; i < 3; i++) await t.call('POST', '/crm/v6/Cases/actions/from_email', { json: { data: [fromEmailItem(`seed-${i}`)] } });
    // A template (id 1) and a web form to aim at; the form's key goes into its routes.
    await t.call('POST', '/crm/v6/settings/email_templates', { role: 'admin', json: { data: [{ name: 'Seed', subject: 'Case {{Case_Number}}', body: 'Hello {{Contact_Name}}' }] } });
    formKey = (await t.call('POST', '/crm/v6/settings/web_forms', { role: 'admin', json: { data: [{ name: 'Seed form', fields: ['Subject', 'Email', 'Description'] }] } })).body.data[0].details.form_key;
    const tables = (await t.server.storage.db.introspection.getTables()).map((x) => x.name).filter((n) => !n.startsWith('kysely_') && !n.startsWith('cases_fts'));
    countSql = `select ${tables.map((n) => `(select count(*) from "${n}") as "${n}"`).join(', ')}`;
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it(`${RUNS} requests: no 5xx, no crash, nothing written when rejected`, async () => {
    const counts = async () => JSON.stringify((await sql.raw(countSql).execute(t.server.storage.db)).rows[0], (_k, v) => (typeof v === 'bigint' ? String(v) : typeof v === 'number' ? String(v) : v));
    const tokens = { manager: await t.token('manager'), admin: await t.token('admin') };
    // User rows are created on first sight, before counting.
    for (const role of ['manager', 'admin'] as const) await t.call('GET', '/crm/v6/Cases', { role });
    let last = await counts();
    const statuses: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const headers: Record<string, string> = req.role === 'none' ? {} : { authorization: `Bearer ${tokens[req.role ?? 'manager']}` };
        if (req.contentType) headers['content-type'] = req.contentType;
        const sent = req.method === 'GET' || req.method === 'HEAD' ? undefined : req.body;
        const path = req.path.replace('{form}', formKey);
        const r = await fetch(`${t.url}${path}`, { method: req.method, headers, body: typeof sent === 'string' || sent === undefined ? sent : new Uint8Array(sent), redirect: 'manual' });
        await r.arrayBuffer();
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        if (r.status >= 500) throw new Error(`${req.method} ${path.slice(0, 200)} → ${r.status}`);
        const now = await counts();
        if (r.status >= 400 && now !== last) throw new Error(`${req.method} ${path.slice(0, 200)} → ${r.status} but wrote: ${last} → ${now}`);
        last = now;
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    process.stdout.write(`fuzz (${engine}): ${RUNS} requests, statuses ${JSON.stringify(statuses)}\n`);
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
  });
});
