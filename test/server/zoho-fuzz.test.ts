import fc from 'fast-check';
import { sql } from 'kysely';
import { ENGINES, startTestServer, type TestServer } from './harness';

/**
 * Random and malformed requests to the Zoho-compatibility routes (Notes, upsert, deleted, count, ids, page_token,
 * metadata, If-Modified-Since), with and without Content-Type: never a 5xx, and a refused (4xx) request writes
 * nothing — every table's row count is unchanged. ZOHO_FUZZ_RUNS to change the count, FUZZ_SEED to replay.
 */
const RUNS = Number(process.env.ZOHO_FUZZ_RUNS ?? 1500);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

const protoName = fc.constantFrom('__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty');
const confused = fc.constantFrom<unknown>(
  { toString: 1 },
  { id: { toString: 1 } },
  ['a'],
  [[]],
  {},
  [null],
  null,
);
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('\u0000', '', ' ', '1', '2', '99999999999999999999', '-1', 'Cases', 'Leads'),
);
const scalar = fc.oneof(text, protoName, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    scalar,
    confused,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(fc.string(), protoName), tie('v'), { maxKeys: 4 }),
  ),
})).v;

/** A valid record with one property replaced or added. */
const mutated = (base: Record<string, unknown>) =>
  fc.oneof(
    fc.constant(base),
    fc
      .tuple(
        fc.constantFrom(...Object.keys(base), '__proto__', 'constructor', 'extra'),
        fc.oneof(value, confused, protoName),
      )
      .map(([k, v]) => {
        const copy: Record<string, unknown> = { ...base };
        Object.defineProperty(copy, k, { value: v, enumerable: true, writable: true, configurable: true });
        return copy;
      }),
  );
const envelope = (record: fc.Arbitrary<unknown>) =>
  fc.oneof(
    fc.array(record, { minLength: 1, maxLength: 3 }).map((data) => ({ data })),
    fc
      .tuple(
        fc.array(record, { minLength: 1, maxLength: 3 }),
        fc.oneof(value, fc.constant(['Email']), fc.constant(['Subject', 'Case_Number'])),
      )
      .map(([data, d]) => ({ data, duplicate_check_fields: d })),
    value,
  );
const caseRecord = mutated({ Subject: 'Fz', Status: 'New', Case_Origin: 'Email', Email: 'fz@example.com' });
const noteRecord = mutated({
  id: '1',
  Note_Content: 'Fz',
  Note_Title: 'T',
  Parent_Id: { id: '1', module: { api_name: 'Cases' } },
});
const bodyOf = (a: fc.Arbitrary<unknown>) =>
  fc.oneof(
    a.map((v) => JSON.stringify(v) ?? 'null'),
    fc.constantFrom('', '{', '[]', 'null', 'Subject=x', '{"data":[{"Subject":"\\ud800"}]}'),
  );
const id = fc.oneof(
  fc.constantFrom('1', '2', '3', '0', '00', 'abc', '9223372036854775808', '1,2', '%00'),
  fc.string(),
);
const enc = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
};
const query = fc
  .array(
    fc.tuple(
      fc.constantFrom(
        'ids',
        'page',
        'per_page',
        'page_token',
        'type',
        'module',
        'criteria',
        'word',
        'email',
        'fields',
        'sort_by',
        'all_or_nothing',
      ),
      text,
    ),
    { maxLength: 3 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${k}=${enc(v)}`).join('&'));

type Req = { method: string; path: string; body?: string; contentType?: string; since?: string };
const contentType = fc.constantFrom(
  undefined,
  undefined,
  'application/json',
  'text/plain',
  'application/x-www-form-urlencoded',
);
const since = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('Tue, 01 Dec 2026 00:00:00 GMT', '2099-01-01T00:00:00Z', 'not a date', '0'),
  fc.string(),
);

const request: fc.Arbitrary<Req> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(
        'POST /crm/v6/Notes',
        'PUT /crm/v6/Notes',
        'PUT /crm/v6/Notes/{id}',
        'POST /crm/v6/Cases/{id}/Notes',
      ),
      id,
      bodyOf(envelope(noteRecord)),
      query,
      contentType,
    )
    .map(([route, i, body, q, ct]) => {
      const [method, path] = route.split(' ');
      return { method, path: `${path.replace('{id}', enc(i))}${q ? `?${q}` : ''}`, body, contentType: ct };
    }),
  fc
    .tuple(
      fc.constantFrom('POST /crm/v6/Cases/upsert', 'POST /crm/v6/Cases', 'PUT /crm/v6/Cases'),
      bodyOf(envelope(caseRecord)),
      query,
      contentType,
    )
    .map(([route, body, q, ct]) => {
      const [method, path] = route.split(' ');
      return { method, path: `${path}${q ? `?${q}` : ''}`, body, contentType: ct };
    }),
  fc
    .tuple(fc.constantFrom('/crm/v6/Notes', '/crm/v6/Notes/{id}'), id, query)
    .map(([p, i, q]) => ({ method: 'DELETE', path: `${p.replace('{id}', enc(i))}${q ? `?${q}` : ''}` })),
  fc
    .tuple(
      fc.constantFrom(
        '/crm/v6/Notes',
        '/crm/v6/Notes/{id}',
        '/crm/v6/Cases/deleted',
        '/crm/v6/Cases/actions/count',
        '/crm/v6/Cases',
        '/crm/v6/settings/modules',
        '/crm/v6/settings/fields',
        '/crm/v6/settings/related_lists',
        '/crm/v6/settings/layouts',
        '/crm/v6/org',
      ),
      id,
      query,
      since,
    )
    .map(([p, i, q, s]) => ({
      method: 'GET',
      path: `${p.replace('{id}', enc(i))}${q ? `?${q}` : ''}`,
      since: s,
    })),
);

describe.each(ENGINES)('fuzz: the Zoho-compatibility routes (%s)', (engine) => {
  jest.setTimeout(300_000);
  let t: TestServer;
  let countSql: string;
  beforeAll(async () => {
    t = await startTestServer(engine);
    for (let i = 0; i < 3; i++)
      await t.call('POST', '/crm/v6/Cases', {
        json: { data: [{ Subject: `Seed ${i}`, Case_Origin: 'Phone' }] },
      });
    await t.call('POST', '/crm/v6/Notes', {
      json: { data: [{ Note_Content: 'Seed', Parent_Id: { id: '1' } }] },
    });
    const tables = (await t.server.storage.db.introspection.getTables())
      .map((x) => x.name)
      .filter((n) => !n.startsWith('kysely_') && !n.startsWith('cases_fts'));
    countSql = `select ${tables.map((n) => `(select count(*) from "${n}") as "${n}"`).join(', ')}`;
  });
  afterAll(async () => t?.close());

  it(`${RUNS} requests: no 5xx, nothing written when refused`, async () => {
    const counts = async () =>
      JSON.stringify((await sql.raw(countSql).execute(t.server.storage.db)).rows[0], (_k, v) =>
        typeof v === 'bigint' || typeof v === 'number' ? String(v) : v,
      );
    const token = await t.token('manager');
    await t.call('GET', '/crm/v6/Cases', { role: 'manager' });
    let last = await counts();
    const statuses: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const headers: Record<string, string> = { authorization: `Bearer ${token}` };
        if (req.contentType) headers['content-type'] = req.contentType;
        if (req.since !== undefined) headers['if-modified-since'] = req.since.replace(/[^\x20-\x7e]/g, '');
        // Bytes, so fetch adds no Content-Type of its own: an absent one is what Zoho's SDKs send.
        const body = req.body === undefined ? undefined : new TextEncoder().encode(req.body);
        const r = await fetch(`${t.url}${req.path}`, { method: req.method, headers, body });
        await r.arrayBuffer();
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        if (r.status >= 500) throw new Error(`${req.method} ${req.path.slice(0, 200)} → ${r.status}`);
        const now = await counts();
        if (r.status >= 400 && now !== last)
          throw new Error(
            `${req.method} ${req.path.slice(0, 200)} → ${r.status} but wrote: ${last} → ${now}`,
          );
        last = now;
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    process.stdout.write(`zoho fuzz (${engine}): ${RUNS} requests, statuses ${JSON.stringify(statuses)}\n`);
    expect(Object.keys(statuses).length).toBeGreaterThan(3);
  });
});
