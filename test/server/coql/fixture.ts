import type { TestServer } from '../harness';

/**
 * Six cases with every kind of value COQL reads: two owners, contacts, custom number/boolean/date fields, a NULL
 * priority, NULL hours. Created in order, so their ids ascend as C1..C6 (COQL's default order is by id).
 */
export interface Fixture {
  ids: string[];
  numbers: string[];
  anna: string;
  boss: string;
  subjects: string[];
  /** Subjects of the cases with these 1-based positions, in the given order. */
  pick(...positions: number[]): string[];
}

export const CUSTOM_FIELDS = [
  { api_name: 'Hours', label: 'Hours', type: 'number' },
  { api_name: 'Billable', label: 'Billable', type: 'boolean' },
  { api_name: 'Due_On', label: 'Due on', type: 'date' },
];

async function userId(
  t: TestServer,
  role: 'agent' | 'manager',
  email: string,
  name: string,
): Promise<string> {
  const token = await t.token(role, email, name);
  return (await t.call('GET', '/crm/v6/users?type=CurrentUser', { token })).body.users[0].id;
}

async function created(t: TestServer, route: string, record: Record<string, unknown>): Promise<string> {
  const r = await t.call('POST', route, { json: { data: [record] } });
  if (r.status !== 201) throw new Error(`${route}: ${r.status} ${r.text}`);
  return r.body.data[0].details.id;
}

export async function seed(t: TestServer): Promise<Fixture> {
  const added = await t.call('POST', '/crm/v6/settings/fields?module=Cases', {
    role: 'admin',
    json: { fields: CUSTOM_FIELDS },
  });
  if (added.status >= 300) throw new Error(`custom fields: ${added.status} ${added.text}`);
  const anna = await userId(t, 'agent', 'anna@example.com', 'Anna Agent');
  const boss = await userId(t, 'manager', 'boss@example.com', 'Beata Boss');
  const ewa = await created(t, '/crm/v6/Contacts', { First_Name: 'Ewa', Last_Name: 'Kowalska' });
  const jan = await created(t, '/crm/v6/Contacts', { First_Name: 'Jan', Last_Name: 'Nowak' });
  const cases = [
    {
      Subject: 'Printer jams',
      Status: 'New',
      Priority: 'High',
      Case_Origin: 'Email',
      Email: 'A@X.com',
      Owner: anna,
      Related_To: ewa,
      Hours: 2,
      Billable: true,
      Due_On: '2026-12-01',
    },
    {
      Subject: 'Printer offline',
      Status: 'New',
      Priority: 'Low',
      Case_Origin: 'Phone',
      Owner: boss,
      Hours: 5,
      Billable: false,
    },
    {
      Subject: 'Screen flickers',
      Status: 'Escalated',
      Priority: 'High',
      Case_Origin: 'Web',
      Owner: anna,
      Hours: 1.5,
    },
    {
      Subject: 'Login fails',
      Status: 'Closed',
      Priority: 'Medium',
      Case_Origin: 'Email',
      Email: 'b@x.com',
      Owner: boss,
      Related_To: jan,
      Hours: 8,
      Billable: true,
      Due_On: '2026-11-15',
    },
    { Subject: 'Login slow', Status: 'On Hold', Case_Origin: 'Phone', Owner: anna },
    {
      Subject: 'Refund 50%_off',
      Status: 'New',
      Priority: 'Medium',
      Case_Origin: 'Web',
      Owner: boss,
      Hours: 3,
    },
  ];
  const ids: string[] = [];
  for (const c of cases) ids.push(await created(t, '/crm/v6/Cases', c));
  const numbers: string[] = [];
  for (const id of ids) numbers.push((await t.call('GET', `/crm/v6/Cases/${id}`)).body.data[0].Case_Number);
  const subjects = cases.map((c) => c.Subject);
  return { ids, numbers, anna, boss, subjects, pick: (...p) => p.map((n) => subjects[n - 1]) };
}

/** POST /crm/v6/coql as an agent (or the given role). */
export function coql(t: TestServer, query: string, role: 'viewer' | 'agent' = 'agent') {
  return t.call('POST', '/crm/v6/coql', { role, json: { select_query: query } });
}
