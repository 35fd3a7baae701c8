import { ENGINES, startTestServer, type TestServer } from '../harness';
import { coql, type Fixture, seed } from './fixture';

type Row = Record<string, unknown>;
/** A query and the subjects it must return, in order (cases are C1..C6 of the fixture). */
type Case = [name: string, where: string, positions: number[]];

const plain: Case[] = [
  ['= on a picklist', `Status = 'New'`, [1, 2, 6]],
  ['= with an unquoted word, as Zoho writes picklist values', `Status = New`, [1, 2, 6]],
  ['!= (NULL is neither equal nor unequal)', `Priority != 'High'`, [2, 4, 6]],
  ['<> is !=', `Priority <> 'High'`, [2, 4, 6]],
  ['< on a number', `Hours < 3`, [1, 3]],
  ['> on a number', `Hours > 3`, [2, 4]],
  ['<= on a number', `Hours <= 3`, [1, 3, 6]],
  ['>= on a number', `Hours >= 5`, [2, 4]],
  ['like: starts with', `Subject like 'Printer%'`, [1, 2]],
  ['like: ends with', `Subject like '%fails'`, [4]],
  ['like: contains', `Subject like '%in%'`, [1, 2, 4, 5]],
  ['like ignores case', `Subject like 'printer%'`, [1, 2]],
  ['like: _ is a plain character, not a wildcard', `Subject like '%0\\%_off'`, [6]],
  ['not like', `Subject not like 'Printer%'`, [3, 4, 5, 6]],
  ['in', `Status in ('Closed', 'On Hold')`, [4, 5]],
  ['not in', `Status not in ('New', 'Closed')`, [3, 5]],
  ['between (inclusive)', `Hours between 2 and 5`, [1, 2, 6]],
  ['not between', `Hours not between 2 and 5`, [3, 4]],
  ['is null', `Priority is null`, [5]],
  ['is not null', `Hours is not null`, [1, 2, 3, 4, 6]],
  ['and, or, parentheses', `(Status = 'New' and Priority = 'High') or Status = 'Closed'`, [1, 4]],
  ['parentheses group an or', `Status = 'New' and (Priority = 'High' or Priority = 'Low')`, [1, 2]],
  ['and binds tighter than or', `Status = 'Closed' or Status = 'New' and Priority = 'Low'`, [2, 4]],
  ['a boolean custom field', `Billable = true`, [1, 4]],
  ['a date custom field', `Due_On < '2026-11-30'`, [4]],
  [
    'a date-time',
    `Created_Time >= '2000-01-01T00:00:00Z' and Created_Time < '2100-01-01'`,
    [1, 2, 3, 4, 5, 6],
  ],
  ['Email compares without case', `Email = 'a@x.COM'`, [1]],
  ['dot lookup: Owner.email', `Owner.email = 'boss@example.com'`, [2, 4, 6]],
  ['dot lookup: Owner.name like', `Owner.name like 'Anna%'`, [1, 3, 5]],
  ['dot lookup: Related_To.Full_Name', `Related_To.Full_Name = 'Ewa Kowalska'`, [1]],
  ['dot lookup: Related_To.Last_Name', `Related_To.Last_Name like 'Now%'`, [4]],
  ['lookup is null', `Related_To is null and Status = 'New'`, [2, 6]],
];

const ordered: [name: string, tail: string, positions: number[]][] = [
  ['order by a number, descending (NULL last)', `order by Hours desc`, [4, 2, 6, 1, 3, 5]],
  ['order by a number, ascending (NULL first)', `order by Hours asc`, [5, 3, 1, 6, 2, 4]],
  ['order by two fields', `order by Priority, Subject desc`, [5, 3, 1, 2, 6, 4]],
  ['order by a lookup field', `order by Owner.email desc, Subject`, [4, 2, 6, 5, 1, 3]],
  ['limit count', `limit 2`, [1, 2]],
  ['limit offset, count', `limit 2, 3`, [3, 4, 5]],
  ['limit count offset n', `limit 3 offset 4`, [5, 6]],
  ['offset alone', `offset 5`, [6]],
];

describe.each(ENGINES)('COQL on %s', (engine) => {
  let t: TestServer;
  let f: Fixture;
  const subjects = (rows: Row[] | undefined) => (rows ?? []).map((r) => r.Subject);

  beforeAll(async () => {
    t = await startTestServer(engine);
    f = await seed(t);
  });
  afterAll(async () => t?.close());

  it.each(plain)('%s', async (_name, where, positions) => {
    const r = await coql(t, `select Subject from Cases where ${where}`);
    expect([r.status, r.text && subjects(r.body.data)]).toEqual([200, f.pick(...positions)]);
    expect(r.body.info).toEqual({ count: positions.length, more_records: false });
  });

  it.each(ordered)('%s', async (_name, tail, positions) => {
    const r = await coql(t, `select Subject from Cases where id is not null ${tail}`);
    expect(subjects(r.body.data)).toEqual(f.pick(...positions));
    expect(r.body.info.more_records).toBe(tail === 'limit 2' || tail === 'limit 2, 3');
  });

  it('ids, case numbers and lookup ids in criteria', async () => {
    const q = (where: string) => coql(t, `select Subject from Cases where ${where}`);
    expect(subjects((await q(`id = ${f.ids[1]}`)).body.data)).toEqual(f.pick(2));
    expect(subjects((await q(`Case_Number = '${f.numbers[2]}'`)).body.data)).toEqual(f.pick(3));
    expect(
      subjects(
        (await q(`Case_Number between ${Number(f.numbers[1])} and ${Number(f.numbers[2])}`)).body.data,
      ),
    ).toEqual(f.pick(2, 3));
    expect(subjects((await q(`Owner = '${f.anna}'`)).body.data)).toEqual(f.pick(1, 3, 5));
    expect(subjects((await q(`Owner.id in ('${f.boss}')`)).body.data)).toEqual(f.pick(2, 4, 6));
  });

  it('answers 204 when nothing matches, as Zoho does', async () => {
    const r = await coql(t, `select Subject from Cases where Subject like 'Login_%'`);
    expect([r.status, r.text]).toEqual([204, '']);
    expect((await coql(t, `select Subject from Cases where id is null or Subject is null`)).status).toBe(204);
    const some = await coql(t, `select Subject from Cases where Status is not null and Hours > 4`);
    expect(subjects(some.body.data)).toEqual(f.pick(2, 4));
  });

  it('shows values as GET /Cases does: lookups as {id, name}, custom values typed, dots as plain values', async () => {
    const fields =
      'Subject, Status, Priority, Owner, Related_To, Case_Number, Hours, Billable, Due_On, Created_By, Created_Time, Email';
    const r = await coql(
      t,
      `select ${fields}, Owner.email, Related_To.Full_Name as 'contact' from Cases where id = ${f.ids[0]}`,
    );
    const listed = (await t.call('GET', `/crm/v6/Cases/${f.ids[0]}`)).body.data[0];
    const expected: Row = { id: f.ids[0] };
    for (const k of fields.split(', ')) expected[k] = listed[k];
    expect(r.body.data).toEqual([
      { ...expected, 'Owner.email': 'anna@example.com', contact: 'Ewa Kowalska' },
    ]);
    expect(r.body.data[0].Owner).toEqual({ id: f.anna, name: 'Anna Agent', email: 'anna@example.com' });
    expect([r.body.data[0].Hours, r.body.data[0].Billable]).toEqual([2, true]);
  });

  it('COUNT with GROUP BY, ordered by the group by default', async () => {
    const r = await coql(t, `select Status, COUNT(id) from Cases where id is not null group by Status`);
    expect(r.body.data).toEqual([
      { Status: 'Closed', 'COUNT(id)': 1 },
      { Status: 'Escalated', 'COUNT(id)': 1 },
      { Status: 'New', 'COUNT(id)': 3 },
      { Status: 'On Hold', 'COUNT(id)': 1 },
    ]);
    expect(r.body.info).toEqual({ count: 4, more_records: false });
  });

  it('GROUP BY Status, Owner with an alias ordered by it; owners as lookups', async () => {
    const r = await coql(
      t,
      `select Status, Owner, COUNT(id) as n from Cases where id is not null group by Status, Owner order by n desc, Status`,
    );
    const anna = { id: f.anna, name: 'Anna Agent', email: 'anna@example.com' };
    const boss = { id: f.boss, name: 'Beata Boss', email: 'boss@example.com' };
    expect(r.body.data).toEqual([
      { Status: 'New', Owner: boss, n: 2 },
      { Status: 'Closed', Owner: boss, n: 1 },
      { Status: 'Escalated', Owner: anna, n: 1 },
      { Status: 'New', Owner: anna, n: 1 },
      { Status: 'On Hold', Owner: anna, n: 1 },
    ]);
  });

  it('SUM, AVG, MIN, MAX and COUNT over all records (NULLs skipped)', async () => {
    const r = await coql(
      t,
      `select SUM(Hours), AVG(Hours), MIN(Hours), MAX(Hours), COUNT(Hours) from Cases where id is not null`,
    );
    expect(r.body.data).toEqual([
      { 'SUM(Hours)': 19.5, 'AVG(Hours)': 3.9, 'MIN(Hours)': 1.5, 'MAX(Hours)': 8, 'COUNT(Hours)': 5 },
    ]);
    const others = await coql(
      t,
      `select MIN(Case_Number), MAX(Due_On), MAX(Created_Time), COUNT(Priority) from Cases where id is not null`,
    );
    const last = (await t.call('GET', `/crm/v6/Cases/${f.ids[5]}`)).body.data[0];
    expect(others.body.data).toEqual([
      {
        'MIN(Case_Number)': f.numbers[0],
        'MAX(Due_On)': '2026-12-01',
        'MAX(Created_Time)': last.Created_Time,
        'COUNT(Priority)': 5,
      },
    ]);
  });

  it('aggregates grouped by a NULL-able field and by a dotted lookup, ordered by an aggregate', async () => {
    const r = await coql(
      t,
      `select Priority, SUM(Hours) as total from Cases where Hours is not null group by Priority order by SUM(Hours) desc`,
    );
    expect(r.body.data).toEqual([
      { Priority: 'Medium', total: 11 },
      { Priority: 'Low', total: 5 },
      { Priority: 'High', total: 3.5 },
    ]);
    const byEmail = await coql(
      t,
      `select Owner.email, MAX(Hours) from Cases where id is not null group by Owner.email order by Owner.email`,
    );
    expect(byEmail.body.data).toEqual([
      { 'Owner.email': 'anna@example.com', 'MAX(Hours)': 2 },
      { 'Owner.email': 'boss@example.com', 'MAX(Hours)': 8 },
    ]);
    const nulls = await coql(
      t,
      `select Priority, COUNT(id) from Cases where id is not null group by Priority`,
    );
    expect(nulls.body.data[0]).toEqual({ Priority: null, 'COUNT(id)': 1 });
  });

  it('values are bound, never spliced: quotes and SQL in a value match nothing and break nothing', async () => {
    for (const where of [
      `Subject = 'x\\' or 1=1 --'`,
      `Subject = 'x'' or ''1''=''1'`,
      `Subject like '%''; drop table cases; --'`,
    ]) {
      const r = await coql(t, `select Subject from Cases where ${where}`);
      expect([where, r.status]).toEqual([where, 204]);
    }
    expect((await coql(t, `select COUNT(id) from Cases where id is not null`)).body.data).toEqual([
      { 'COUNT(id)': 6 },
    ]);
  });

  it('needs a token, and the view permission only (a viewer may query)', async () => {
    const anonymous = await t.call('POST', '/crm/v6/coql', {
      token: null,
      json: { select_query: 'select id from Cases where id is not null' },
    });
    expect(anonymous.status).toBe(401);
    expect((await coql(t, `select id from Cases where id is not null`, 'viewer')).status).toBe(200);
  });

  it('is described in /openapi.json', async () => {
    const doc = (await t.call('GET', '/openapi.json', { token: null })).body;
    expect(Object.keys(doc.paths['/crm/v6/coql'].post.responses)).toEqual(
      expect.arrayContaining(['200', '204', '400', '401', '403']),
    );
  });
});
