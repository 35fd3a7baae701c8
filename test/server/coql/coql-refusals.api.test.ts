import { ENGINES, startTestServer, type TestServer } from '../harness';
import { coql, seed } from './fixture';

/** A refused query: its HTTP 400 code and the details Zoho's client reads (clause, api_name, limit, …). */
type Refusal = [name: string, query: string, code: string, details: Record<string, unknown>];

const many = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i));

const refusals: Refusal[] = [
  [
    'no WHERE (COQL v6 requires one)',
    `select Subject from Cases`,
    'SYNTAX_ERROR',
    { clause: 'where', near: 'end of query' },
  ],
  [
    'no field in SELECT',
    `select from Cases where id is not null`,
    'SYNTAX_ERROR',
    { clause: 'select', line: 1, column: 8 },
  ],
  ['a value missing', `select Subject from Cases where Status =`, 'SYNTAX_ERROR', { clause: 'where' }],
  [
    'an unclosed parenthesis',
    `select Subject from Cases where (Status = 'New'`,
    'SYNTAX_ERROR',
    { clause: 'where' },
  ],
  ['an unterminated string', `select Subject from Cases where Status = 'New`, 'SYNTAX_ERROR', {}],
  ['a stray character', `select Subject; from Cases where id is not null`, 'SYNTAX_ERROR', { near: ';' }],
  [
    'text after the query',
    `select Subject from Cases where id is not null limit 5 6`,
    'SYNTAX_ERROR',
    { clause: 'limit' },
  ],
  [
    'a negative limit',
    `select Subject from Cases where id is not null limit -1`,
    'SYNTAX_ERROR',
    { clause: 'limit' },
  ],
  [
    'a second line is located',
    `select Subject\nfrom Cases\nwhere Status ==`,
    'SYNTAX_ERROR',
    { line: 3, column: 15 },
  ],
  [
    'an unknown field in SELECT',
    `select Nope from Cases where id is not null`,
    'INVALID_QUERY',
    { api_name: 'Nope', column_name: 'Nope' },
  ],
  [
    'an unknown field in WHERE',
    `select Subject from Cases where Nope = 1`,
    'INVALID_QUERY',
    { api_name: 'Nope' },
  ],
  [
    'an unknown lookup field',
    `select Owner.salary from Cases where id is not null`,
    'INVALID_QUERY',
    { api_name: 'Owner.salary' },
  ],
  [
    'a dot on a field that is no lookup',
    `select Subject.x from Cases where id is not null`,
    'INVALID_QUERY',
    { api_name: 'Subject.x' },
  ],
  [
    'another module',
    `select Last_Name from Leads where id is not null`,
    'INVALID_QUERY',
    { module: 'Leads' },
  ],
  [
    '> on text',
    `select Subject from Cases where Subject > 'a'`,
    'INVALID_QUERY',
    { api_name: 'Subject', operator: '>' },
  ],
  [
    'like on a number',
    `select Subject from Cases where Hours like '1%'`,
    'INVALID_QUERY',
    { api_name: 'Hours', operator: 'like' },
  ],
  [
    'a multi-line field in criteria',
    `select Subject from Cases where Description = 'x'`,
    'INVALID_QUERY',
    { api_name: 'Description' },
  ],
  [
    'text for a number',
    `select Subject from Cases where Hours = 'lots'`,
    'INVALID_QUERY',
    { api_name: 'Hours', expected_data_type: 'number' },
  ],
  [
    'a bad date-time',
    `select Subject from Cases where Created_Time > 'yesterday'`,
    'INVALID_QUERY',
    { expected_data_type: 'datetime' },
  ],
  [
    'a date-time before the year 1 (PostgreSQL has no year 0)',
    `select Subject from Cases where Created_Time > '0000-12-31T00:00:00Z'`,
    'INVALID_QUERY',
    { api_name: 'Created_Time', expected_data_type: 'datetime' },
  ],
  [
    'a date that is not in the calendar',
    `select Subject from Cases where Due_On = '2026-02-31'`,
    'INVALID_QUERY',
    { api_name: 'Due_On', expected_data_type: 'date' },
  ],
  [
    'a bad lookup id',
    `select Subject from Cases where Owner = 'anna'`,
    'INVALID_QUERY',
    { api_name: 'Owner', expected_data_type: 'record id' },
  ],
  [
    'SUM of text',
    `select SUM(Subject) from Cases where id is not null`,
    'INVALID_QUERY',
    { api_name: 'Subject' },
  ],
  [
    'a field neither grouped nor aggregated',
    `select Subject, COUNT(id) from Cases where id is not null group by Status`,
    'INVALID_QUERY',
    { api_name: 'Subject' },
  ],
  [
    'ORDER BY a field outside GROUP BY',
    `select Status, COUNT(id) from Cases where id is not null group by Status order by Subject`,
    'INVALID_QUERY',
    { api_name: 'Subject' },
  ],
  ['limit 0', `select Subject from Cases where id is not null limit 0`, 'INVALID_QUERY', { clause: 'limit' }],
  [
    'more than 2,000 records',
    `select Subject from Cases where id is not null limit 2001`,
    'LIMIT_EXCEEDED',
    { clause: 'limit', limit: 2000 },
  ],
  [
    'past the 10,000th record',
    `select Subject from Cases where id is not null limit 9000, 1001`,
    'LIMIT_EXCEEDED',
    { clause: 'offset', limit: 10000 },
  ],
  [
    'more than 50 fields',
    `select ${many(51, () => 'Subject').join(', ')} from Cases where id is not null`,
    'LIMIT_EXCEEDED',
    { clause: 'select', limit: 50 },
  ],
  [
    'more than 25 criteria',
    `select Subject from Cases where ${many(26, (i) => `Hours = ${i}`).join(' or ')}`,
    'LIMIT_EXCEEDED',
    { clause: 'where', limit: 25 },
  ],
  [
    'more than 50 values in IN',
    `select Subject from Cases where Hours in (${many(51, String).join(', ')})`,
    'LIMIT_EXCEEDED',
    { clause: 'where', limit: 50 },
  ],
  [
    'more than 5 aggregates',
    `select ${many(6, () => 'COUNT(id)').join(', ')} from Cases where id is not null`,
    'LIMIT_EXCEEDED',
    { clause: 'select', limit: 5 },
  ],
  [
    'a field twice in GROUP BY',
    `select COUNT(id) from Cases where id is not null group by Status, Status`,
    'DUPLICATE_DATA',
    { clause: 'group by', api_name: 'Status' },
  ],
];

describe.each(ENGINES)('COQL refusals on %s', (engine) => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer(engine);
    await seed(t);
  });
  afterAll(async () => t?.close());

  it.each(refusals)('%s', async (_name, query, code, details) => {
    const r = await coql(t, query);
    expect([r.status, r.body?.code, r.body?.status]).toEqual([400, code, 'error']);
    expect(r.body.details).toMatchObject(details);
  });

  it('a body without select_query, or with one that is not text, names select_query', async () => {
    const missing = await t.call('POST', '/crm/v6/coql', { json: { query: 'select id from Cases' } });
    expect([missing.status, missing.body.code, missing.body.details.api_name]).toEqual([
      400,
      'MANDATORY_NOT_FOUND',
      'select_query',
    ]);
    const wrong = await t.call('POST', '/crm/v6/coql', { json: { select_query: ['select id from Cases'] } });
    expect([wrong.status, wrong.body.code, wrong.body.details.api_name]).toEqual([
      400,
      'INVALID_DATA',
      'select_query',
    ]);
  });
});
