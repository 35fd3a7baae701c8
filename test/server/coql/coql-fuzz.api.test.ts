import fc from 'fast-check';
import { printQuery } from '../../../src/server/coql/coql.ast';
import { ENGINES, startTestServer, type TestServer } from '../harness';
import { coql, seed } from './fixture';
import { mutated, query, soup } from './generators';

/** Valid queries over the fixture's fields, to be damaged by the fuzzer. */
const VALID = [
  `select Subject, Owner.email as 'who', Hours from Cases where (Status = 'New' and Hours between 1 and 5) or Priority is null order by Subject desc limit 1, 3`,
  `select Status, Owner, COUNT(id), SUM(Hours) from Cases where Subject not like 'P%' group by Status, Owner order by COUNT(id) desc`,
  `select id, Case_Number, Related_To.Full_Name from Cases where Status in ('New', 'Closed') and Created_Time > '2020-01-01' limit 5 offset 1`,
  `select MAX(Due_On), MIN(Case_Number) from Cases where Billable = true or Email like '%@x.com'`,
];
const CODES = new Set(['SYNTAX_ERROR', 'INVALID_QUERY', 'LIMIT_EXCEEDED', 'DUPLICATE_DATA']);

describe.each(ENGINES)('COQL fuzzed through HTTP on %s', (engine) => {
  jest.setTimeout(120_000);
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer(engine);
    await seed(t);
  });
  afterAll(async () => t?.close());

  /** Every answer is a result (200/204) or a COQL refusal (400 with one of Zoho's codes): never a 5xx. */
  const answersProperly = async (text: string) => {
    const r = await coql(t, text);
    if (r.status === 200) expect(Array.isArray(r.body.data)).toBe(true);
    else if (r.status !== 204 && !CODES.has(r.body?.code))
      // Text that is not Unicode (a lone surrogate) is refused before COQL sees it, as on every route.
      expect([r.status, r.body?.code, r.body?.details?.api_name]).toEqual([
        400,
        'INVALID_DATA',
        'select_query',
      ]);
    else if (r.status !== 204) expect(r.status).toBe(400);
  };

  it('answers each valid example', async () => {
    for (const text of VALID) expect([text, (await coql(t, text)).status]).toEqual([text, 200]);
  });

  it('damaged queries never get a 5xx', async () => {
    await fc.assert(fc.asyncProperty(mutated(VALID), answersProperly), { numRuns: 300 });
  });

  it('token soups over real fields never get a 5xx', async () => {
    await fc.assert(fc.asyncProperty(soup, answersProperly), { numRuns: 300 });
  });

  it('generated well-formed queries (mostly unknown fields) never get a 5xx', async () => {
    await fc.assert(fc.asyncProperty(query.map(printQuery), answersProperly), { numRuns: 100 });
  });
});
