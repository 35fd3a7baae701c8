import { LIMITS } from '../../src/shared/case-fields';
import { ENGINES, caseFromMessage, message, startTestServer, type TestServer } from './harness';

describe.each(ENGINES)('Cases API on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  const base = { Subject: 'Printer jams', Case_Origin: 'Phone', Phone: '+48 600 100 200' };
  const create = (record: Record<string, unknown>, role: 'agent' | 'viewer' = 'agent') =>
    t.call('POST', '/crm/v6/Cases', { json: { data: [record] }, role });
  async function caseCount(): Promise<number> {
    let count = 0;
    for (let page = 1; ; page++) {
      const r = await t.call('GET', `/crm/v6/Cases?per_page=200&page=${page}&fields=Subject`);
      if (r.status === 204) return count;
      count += r.body.data.length;
      if (!r.body.info.more_records) return count;
    }
  }

  describe('create and read', () => {
    it('creates a case with an increasing 8-digit Case_Number, owner = creator, and audit fields', async () => {
      const first = await create(base);
      const second = await create(base);
      expect(first.status).toBe(201);
      expect(first.body.data[0]).toMatchObject({
        code: 'SUCCESS',
        status: 'success',
        details: { id: expect.stringMatching(/^\d+$/) },
      });
      const n1 = Number(first.body.data[0].details.Case_Number);
      const n2 = Number(second.body.data[0].details.Case_Number);
      expect(first.body.data[0].details.Case_Number).toMatch(/^\d{8}$/);
      expect(n2).toBeGreaterThan(n1);
      const got = await t.call('GET', `/crm/v6/Cases/${first.body.data[0].details.id}`);
      expect(got.status).toBe(200);
      const record = got.body.data[0];
      expect(record).toMatchObject({
        Subject: 'Printer jams',
        Status: 'New',
        Case_Origin: 'Phone',
        Phone: '+48 600 100 200',
        Owner: { name: 'agent@example.com' },
        Created_By: { name: 'agent@example.com' },
        Modified_By: { name: 'agent@example.com' },
      });
      expect(record.Owner.id).toBe(record.Created_By.id);
      expect(Date.parse(record.Created_Time)).not.toBeNaN();
      expect(record.Modified_Time).toBe(record.Created_Time);
    });

    it('stores email content as given text, markup included, and returns it unchanged', async () => {
      const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)> javascript:alert(3) 中文 ąęł 😀';
      const r = await create({ ...base, Description: hostile, Subject: 'Zażółć gęślą jaźń 打印机' });
      const got = await t.call('GET', `/crm/v6/Cases/${r.body.data[0].details.id}`);
      expect(got.body.data[0].Description).toBe(hostile);
      expect(got.body.data[0].Subject).toBe('Zażółć gęślą jaźń 打印机');
    });

    it('accepts every limit exactly at the boundary', async () => {
      const record = {
        ...base,
        Subject: 's'.repeat(LIMITS.Subject),
        Phone: '1'.repeat(LIMITS.Phone),
        Description: 'd'.repeat(LIMITS.Description),
        Internal_Comments: 'i'.repeat(LIMITS.Internal_Comments),
        Solution: 'o'.repeat(LIMITS.Solution),
        Add_Comment: 'a'.repeat(LIMITS.Add_Comment),
      };
      const r = await create(record);
      expect(r.status).toBe(201);
      const got = await t.call('GET', `/crm/v6/Cases/${r.body.data[0].details.id}`);
      expect(got.body.data[0].Description).toHaveLength(LIMITS.Description);
    });
  });

  describe('bad input: a clear 4xx naming the field, and nothing written', () => {
    const cases: [string, Record<string, unknown>, string, string][] = [
      ['Subject over 255', { ...base, Subject: 'x'.repeat(256) }, 'INVALID_DATA', 'Subject'],
      ['Phone over 50', { ...base, Phone: '1'.repeat(51) }, 'INVALID_DATA', 'Phone'],
      [
        'Description over 32,000',
        { ...base, Description: 'x'.repeat(32_001) },
        'INVALID_DATA',
        'Description',
      ],
      [
        'Internal_Comments over 3,000',
        { ...base, Internal_Comments: 'x'.repeat(3_001) },
        'INVALID_DATA',
        'Internal_Comments',
      ],
      ['Solution over 32,000', { ...base, Solution: 'x'.repeat(32_001) }, 'INVALID_DATA', 'Solution'],
      [
        'Add_Comment over 32,000',
        { ...base, Add_Comment: 'x'.repeat(32_001) },
        'INVALID_DATA',
        'Add_Comment',
      ],
      ['missing Subject', { Case_Origin: 'Phone' }, 'MANDATORY_NOT_FOUND', 'Subject'],
      ['blank Subject', { ...base, Subject: '   ' }, 'MANDATORY_NOT_FOUND', 'Subject'],
      ['missing Case_Origin', { Subject: 'x' }, 'MANDATORY_NOT_FOUND', 'Case_Origin'],
      ['Status cleared', { ...base, Status: null }, 'MANDATORY_NOT_FOUND', 'Status'],
      ['Email origin without Email', { Subject: 'x', Case_Origin: 'Email' }, 'MANDATORY_NOT_FOUND', 'Email'],
      ['unknown Status', { ...base, Status: 'Open' }, 'INVALID_DATA', 'Status'],
      ['unknown Priority', { ...base, Priority: 'Urgent' }, 'INVALID_DATA', 'Priority'],
      ['unknown Case_Origin', { ...base, Case_Origin: 'Fax' }, 'INVALID_DATA', 'Case_Origin'],
      ['unknown Type', { ...base, Type: 'Bug' }, 'INVALID_DATA', 'Type'],
      ['unknown Case_Reason', { ...base, Case_Reason: 'Bad luck' }, 'INVALID_DATA', 'Case_Reason'],
      ['unknown field', { ...base, Colour: 'red' }, 'INVALID_DATA', 'Colour'],
      ['read-only Case_Number', { ...base, Case_Number: '42' }, 'INVALID_DATA', 'Case_Number'],
      ['wrong type', { ...base, Subject: 12 }, 'INVALID_DATA', 'Subject'],
      ['invalid email', { ...base, Email: 'anna(at)example.pl' }, 'INVALID_DATA', 'Email'],
      ['lookup to nothing', { ...base, Related_To: '999999' }, 'INVALID_DATA', 'Related_To'],
      ['lookup of wrong form', { ...base, Owner: 'me' }, 'INVALID_DATA', 'Owner'],
      ['NUL in text', { ...base, Subject: 'a\u0000b' }, 'INVALID_DATA', 'Subject'],
    ];
    it.each(cases)('%s', async (_name, record, code, apiName) => {
      const before = await caseCount();
      const r = await create(record);
      expect(r.status).toBe(400);
      expect(r.body.data[0]).toMatchObject({
        code,
        status: 'error',
        details: { api_name: apiName, json_path: `$.data[0].${apiName}` },
      });
      expect(r.body.data[0].message).toContain(apiName);
      expect(await caseCount()).toBe(before);
    });

    it('reports every field error of a record, with the limit', async () => {
      const r = await create({ Subject: 'x'.repeat(300), Case_Origin: 'Email', Phone: '1'.repeat(60) });
      const errors = r.body.data[0].details.errors.map((e: { api_name: string }) => e.api_name);
      expect(errors).toEqual(['Subject', 'Phone', 'Email']);
      expect(r.body.data[0].details.maximum_length).toBe(255);
    });

    it('writes the valid records of a batch and reports each one, as Zoho does (207)', async () => {
      const before = await caseCount();
      const r = await t.call('POST', '/crm/v6/Cases', {
        json: { data: [base, { ...base, Status: 'Nope' }, base] },
      });
      expect(r.status).toBe(207);
      expect(r.body.data.map((d: { code: string }) => d.code)).toEqual([
        'SUCCESS',
        'INVALID_DATA',
        'SUCCESS',
      ]);
      expect(r.body.data[1].details.json_path).toBe('$.data[1].Status');
      expect(await caseCount()).toBe(before + 2);
    });

    it('is all-or-nothing across a batch with ?all_or_nothing=true: one bad record writes none', async () => {
      const before = await caseCount();
      const r = await t.call('POST', '/crm/v6/Cases?all_or_nothing=true', {
        json: { data: [base, { ...base, Status: 'Nope' }, base] },
      });
      expect(r.status).toBe(400);
      expect(r.body.data.map((d: { code: string }) => d.code)).toEqual([
        'NOT_EXECUTED',
        'INVALID_DATA',
        'NOT_EXECUTED',
      ]);
      expect(r.body.data[1].details.json_path).toBe('$.data[1].Status');
      expect(await caseCount()).toBe(before);
    });

    it('accepts 100 records in one call and refuses 101', async () => {
      const before = await caseCount();
      const ok = await t.call('POST', '/crm/v6/Cases', {
        json: { data: Array.from({ length: 100 }, () => base) },
      });
      expect(ok.status).toBe(201);
      expect(ok.body.data).toHaveLength(100);
      expect(
        new Set(ok.body.data.map((d: { details: { Case_Number: string } }) => d.details.Case_Number)).size,
      ).toBe(100);
      const tooMany = await t.call('POST', '/crm/v6/Cases', {
        json: { data: Array.from({ length: 101 }, () => base) },
      });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body).toMatchObject({
        code: 'LIMIT_EXCEEDED',
        details: { api_name: 'data', limit: 100 },
      });
      expect(await caseCount()).toBe(before + 100);
    });

    it.each([
      ['malformed JSON', '{"data": [', 400],
      ['a JSON array', '[1,2]', 400],
      ['no data key', '{"records": []}', 400],
      ['data not a list', '{"data": {"Subject": "x"}}', 400],
      ['empty data', '{"data": []}', 400],
      ['a string record', '{"data": ["x"]}', 400],
      ['__proto__ pollution', '{"data": [{"__proto__": {"admin": true}}]}', 400],
    ])('refuses %s with a 4xx JSON error', async (_name, body, status) => {
      const before = await caseCount();
      const r = await t.call('POST', '/crm/v6/Cases', {
        body,
        headers: { 'content-type': 'application/json' },
      });
      expect(r.status).toBe(status);
      expect(r.body.status ?? r.body.data?.[0]?.status).toBe('error');
      expect(await caseCount()).toBe(before);
    });

    it('refuses a body over 1 MiB with 413, and a non-JSON body with 415', async () => {
      const big = JSON.stringify({ data: [{ ...base, Description: 'x'.repeat(1024 * 1024) }] });
      const r = await t.call('POST', '/crm/v6/Cases', {
        body: big,
        headers: { 'content-type': 'application/json' },
      });
      expect(r.status).toBe(413);
      expect(r.body).toMatchObject({ code: 'LIMIT_EXCEEDED', status: 'error' });
      const form = await t.call('POST', '/crm/v6/Cases', {
        body: 'Subject=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(form.status).toBe(415);
    });

    it('refuses malformed ids and unknown routes with 4xx', async () => {
      expect((await t.call('GET', '/crm/v6/Cases/abc')).status).toBe(400);
      expect((await t.call('GET', '/crm/v6/Cases/99999999999999999999999')).status).toBe(400);
      expect((await t.call('GET', '/crm/v6/Cases/123456789')).status).toBe(404);
      expect((await t.call('GET', '/crm/v6/Nope')).status).toBe(404);
      expect((await t.call('GET', '/crm/v6/Cases?per_page=500')).status).toBe(400);
      expect((await t.call('GET', '/crm/v6/Cases?sort_by=Description')).status).toBe(400);
      expect((await t.call('GET', '/crm/v6/Cases?fields=Nope')).status).toBe(400);
    });
  });

  describe('update, delete, clone', () => {
    it('updates given fields, records who and when, and keeps the rest', async () => {
      const id = (await create({ ...base, Priority: 'Low' })).body.data[0].details.id;
      const manager = await t.token('manager', 'boss@example.com', 'Beata Boss');
      const r = await t.call('PUT', `/crm/v6/Cases/${id}`, {
        json: { data: [{ Status: 'On Hold', Internal_Comments: 'waiting for the part' }] },
        token: manager,
      });
      expect(r.status).toBe(200);
      expect(r.body.data[0]).toMatchObject({ code: 'SUCCESS', details: { id } });
      const got = (await t.call('GET', `/crm/v6/Cases/${id}`)).body.data[0];
      expect(got).toMatchObject({
        Status: 'On Hold',
        Priority: 'Low',
        Internal_Comments: 'waiting for the part',
        Modified_By: { name: 'Beata Boss' },
        Created_By: { name: 'agent@example.com' },
      });
      expect(got.Modified_Time >= got.Created_Time).toBe(true);
    });

    it('refuses an update that breaks a rule and leaves the case unchanged', async () => {
      const id = (await create(base)).body.data[0].details.id;
      const r = await t.call('PUT', `/crm/v6/Cases/${id}`, {
        json: { data: [{ Case_Origin: 'Email', Subject: 'changed' }] },
      });
      expect(r.status).toBe(400);
      expect(r.body.data[0].details.api_name).toBe('Email');
      expect((await t.call('GET', `/crm/v6/Cases/${id}`)).body.data[0].Subject).toBe('Printer jams');
    });

    it('bulk-updates by id through PUT /Cases', async () => {
      const ids = (await t.call('POST', '/crm/v6/Cases', { json: { data: [base, base] } })).body.data.map(
        (d: { details: { id: string } }) => d.details.id,
      );
      const r = await t.call('PUT', '/crm/v6/Cases', {
        json: { data: ids.map((id: string) => ({ id, Priority: 'High' })) },
      });
      expect(r.status).toBe(200);
      for (const id of ids)
        expect((await t.call('GET', `/crm/v6/Cases/${id}`)).body.data[0].Priority).toBe('High');
    });

    it('answers two bulk updates of the same cases in opposite orders with success or a conflict, never a 500', async () => {
      const ids: string[] = (
        await t.call('POST', '/crm/v6/Cases', { json: { data: [base, base, base] } })
      ).body.data.map((d: { details: { id: string } }) => d.details.id);
      const statuses: number[] = [];
      for (let round = 0; round < 10; round++) {
        const edit = (order: string[], priority: string) =>
          t.call('PUT', '/crm/v6/Cases', {
            json: { data: order.map((id) => ({ id, Priority: priority, Subject: `round ${round}` })) },
          });
        // Each request's transaction locks the cases it edits; in opposite orders they used to deadlock
        // (PostgreSQL's 40P01: one of them a 500).
        const answers = await Promise.all([edit(ids, 'High'), edit([...ids].reverse(), 'Low')]);
        statuses.push(...answers.map((a) => a.status));
        for (const a of answers)
          if (a.status === 200)
            expect(a.body.data.map((d: { details: { id: string } }) => d.details.id)).toEqual(
              a === answers[0] ? ids : [...ids].reverse(),
            );
      }
      expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
      const priorities = new Set(
        await Promise.all(
          ids.map(async (id) => (await t.call('GET', `/crm/v6/Cases/${id}`)).body.data[0].Priority),
        ),
      );
      // The last round's winner wrote all three cases, or neither request of it did and an earlier round's did.
      expect(priorities.size).toBe(1);
    });

    it('clones a case with a new number, changing a few fields', async () => {
      const original = (await create({ ...base, Priority: 'High', Type: 'Problem' })).body.data[0].details;
      const r = await t.call('POST', `/crm/v6/Cases/${original.id}/actions/clone`, {
        json: { data: [{ Subject: 'Printer jams again' }] },
      });
      expect(r.status).toBe(201);
      const clone = (await t.call('GET', `/crm/v6/Cases/${r.body.data[0].details.id}`)).body.data[0];
      expect(clone).toMatchObject({
        Subject: 'Printer jams again',
        Priority: 'High',
        Type: 'Problem',
        Phone: base.Phone,
      });
      expect(clone.Case_Number).not.toBe(original.Case_Number);
    });

    it('lets a manager delete, not an agent', async () => {
      const id = (await create(base)).body.data[0].details.id;
      const agent = await t.call('DELETE', `/crm/v6/Cases/${id}`);
      expect(agent.status).toBe(403);
      expect(agent.body.code).toBe('NO_PERMISSION');
      const manager = await t.call('DELETE', `/crm/v6/Cases/${id}`, { role: 'manager' });
      expect(manager.status).toBe(200);
      expect((await t.call('GET', `/crm/v6/Cases/${id}`)).status).toBe(404);
    });
  });

  describe('lists and search', () => {
    let marker: string;
    beforeAll(async () => {
      marker = `Zq${Date.now().toString(36)}`;
      await t.call('POST', '/crm/v6/Cases', {
        json: {
          data: [
            {
              Subject: `${marker} toner empty`,
              Case_Origin: 'Email',
              Email: 'Jan.Kowalski@Example.pl',
              Status: 'New',
            },
            {
              Subject: `${marker} paper tray broken`,
              Case_Origin: 'Email',
              Email: 'jan.kowalski@example.pl',
              Status: 'Closed',
            },
            {
              Subject: `${marker} 打印机 无法打印`,
              Case_Origin: 'Phone',
              Phone: '+86 10 1234 5678',
              Status: 'Escalated',
            },
          ],
        },
      });
    });

    it('searches by email, case-insensitively', async () => {
      const r = await t.call('GET', '/crm/v6/Cases/search?email=JAN.KOWALSKI@example.pl');
      expect(r.status).toBe(200);
      expect(r.body.data.map((c: { Subject: string }) => c.Subject).sort()).toEqual([
        `${marker} paper tray broken`,
        `${marker} toner empty`,
      ]);
    });

    it('searches by phone and by words of the subject, Chinese included', async () => {
      expect(
        (await t.call('GET', `/crm/v6/Cases/search?phone=${encodeURIComponent('+86 10 1234 5678')}`)).body
          .data,
      ).toHaveLength(1);
      const words = await t.call('GET', `/crm/v6/Cases/search?word=${encodeURIComponent(`${marker} toner`)}`);
      expect(words.body.data.map((c: { Subject: string }) => c.Subject)).toEqual([`${marker} toner empty`]);
      const chinese = await t.call('GET', `/crm/v6/Cases/search?word=${encodeURIComponent('打印机')}`);
      expect(chinese.body.data.map((c: { Subject: string }) => c.Subject)).toContain(
        `${marker} 打印机 无法打印`,
      );
      const twoChars = await t.call('GET', `/crm/v6/Cases/search?word=${encodeURIComponent('打印')}`);
      expect(twoChars.body.data.map((c: { Subject: string }) => c.Subject)).toContain(
        `${marker} 打印机 无法打印`,
      );
    });

    it('finds a case by its number in word search and criteria', async () => {
      const created = (await create({ ...base, Subject: `numbered ${marker}` })).body.data[0].details;
      const plain = String(Number(created.Case_Number));
      const byWord = await t.call('GET', `/crm/v6/Cases/search?word=${plain}`);
      expect(byWord.body.data.map((c: { id: string }) => c.id)).toContain(created.id);
      const byCriteria = await t.call(
        'GET',
        `/crm/v6/Cases/search?criteria=${encodeURIComponent(`(Case_Number:equals:${created.Case_Number})`)}`,
      );
      expect(byCriteria.body.data.map((c: { id: string }) => c.id)).toEqual([created.id]);
    });

    it('supports Zoho criteria with equals, starts_with, and, or', async () => {
      const q = async (criteria: string) => {
        const r = await t.call('GET', `/crm/v6/Cases/search?criteria=${encodeURIComponent(criteria)}`);
        return r.status === 204 ? [] : r.body.data.map((c: { Subject: string }) => c.Subject).sort();
      };
      expect(await q(`(Subject:starts_with:${marker})and(Status:equals:New)`)).toEqual([
        `${marker} toner empty`,
      ]);
      expect(
        await q(
          `((Subject:starts_with:${marker})and(Status:equals:Closed))or((Subject:starts_with:${marker})and(Status:equals:Escalated))`,
        ),
      ).toEqual([`${marker} paper tray broken`, `${marker} 打印机 无法打印`]);
      expect(await q(`(Subject:starts_with:${marker})and(Status:equals:New,Closed)`)).toHaveLength(2);
      expect(
        await q(`(Subject:starts_with:${marker.toLowerCase()})and(Email:equals:JAN.KOWALSKI@EXAMPLE.PL)`),
      ).toHaveLength(2);
      expect(await q(`(Subject:starts_with:${marker}_%)`)).toEqual([]);
    });

    it('answers 204 when nothing matches, 400 for bad criteria', async () => {
      expect((await t.call('GET', '/crm/v6/Cases/search?email=nobody@nowhere.example')).status).toBe(204);
      for (const bad of [
        '(Subject:equals:x',
        'Subject:equals:x',
        '(Subject:like:x)',
        '(Description:equals:x)',
        '(Nope:equals:x)',
        '(Case_Number:equals:abc)',
        '(Subject:equals:x)xor(Status:equals:New)',
      ]) {
        const r = await t.call('GET', `/crm/v6/Cases/search?criteria=${encodeURIComponent(bad)}`);
        expect([bad, r.status]).toEqual([bad, 400]);
      }
      expect((await t.call('GET', '/crm/v6/Cases/search')).status).toBe(400);
      expect((await t.call('GET', '/crm/v6/Cases/search?word=a&email=a@b.c')).status).toBe(400);
    });

    it('pages, sorts and projects fields', async () => {
      const page1 = await t.call(
        'GET',
        '/crm/v6/Cases?per_page=2&page=1&sort_by=Case_Number&sort_order=asc&fields=Subject,Status',
      );
      const page2 = await t.call(
        'GET',
        '/crm/v6/Cases?per_page=2&page=2&sort_by=Case_Number&sort_order=asc&fields=Subject,Status',
      );
      expect(page1.body.info).toMatchObject({ page: 1, per_page: 2, count: 2, more_records: true });
      expect(Object.keys(page1.body.data[0]).sort()).toEqual(['Status', 'Subject', 'id']);
      const ids = [...page1.body.data, ...page2.body.data].map((c: { id: string }) => Number(c.id));
      expect(new Set(ids).size).toBe(4);
      // Past the first 2,000 records Zoho wants a page_token (test/server/zoho-api.test.ts follows one).
      expect((await t.call('GET', '/crm/v6/Cases?page=100000')).status).toBe(400);
      expect((await t.call('GET', '/crm/v6/Cases?page=100&per_page=20')).status).toBe(204);
    });
  });

  describe('email links and from_email', () => {
    /**
     * On SQLite the conversions go to the write worker once it has started (on the first one): the tests below
     * that call this are answered from it, not from the HTTP thread's fallback.
     */
    async function writeWorkerRunning() {
      const m = message(`warm-worker-${engine}`);
      await t.call('POST', '/crm/v6/Cases/actions/from_email', {
        json: { data: [{ case: caseFromMessage(m), message: m }] },
      });
      if (engine !== 'sqlite') return;
      for (let i = 0; i < 200; i++) {
        const health = await fetch(`${t.url}/health`).then((r) => r.json());
        if (health.write_worker === 'running') return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('the write worker never started');
    }

    it("runs SQLite's conversions in the write worker once it has started (as /health says)", async () => {
      await writeWorkerRunning();
      const health = await fetch(`${t.url}/health`).then((r) => r.json());
      expect(health).toEqual(
        engine === 'sqlite'
          ? { status: 'ok', database: 'sqlite', write_worker: 'running' }
          : { status: 'ok', database: 'postgres' },
      );
    });

    it('converts an email once: a repeat returns the first case marked duplicate', async () => {
      const m = message(`once-${engine}`);
      const first = await t.call('POST', '/crm/v6/Cases/actions/from_email', {
        json: { data: [{ case: caseFromMessage(m), message: m }] },
      });
      expect(first.status).toBe(201);
      expect(first.body.data[0].details.duplicate).toBe(false);
      const again = await t.call('POST', '/crm/v6/Cases/actions/from_email', {
        json: {
          data: [
            {
              case: caseFromMessage(m, { Subject: 'other' }),
              message: { ...m, internet_message_id: m.internet_message_id.slice(1, -1) },
            },
          ],
        },
      });
      expect(again.status).toBe(200);
      expect(again.body.data[0]).toMatchObject({
        code: 'SUCCESS',
        details: {
          id: first.body.data[0].details.id,
          Case_Number: first.body.data[0].details.Case_Number,
          duplicate: true,
        },
      });
      const linked = await t.call('GET', `/crm/v6/Cases/${first.body.data[0].details.id}/Emails`);
      expect(linked.body.data).toHaveLength(1);
      expect(linked.body.data[0]).toMatchObject({
        internet_message_id: m.internet_message_id.slice(1, -1),
        from: m.from,
        subject: m.subject,
        body_text: m.body_text,
        to: m.to,
      });
    });

    it('converts several messages in one request as it would one at a time, a reply to an earlier one threaded to its case', async () => {
      const first = message(`batch-a-${engine}`);
      const reply = message(`batch-b-${engine}`, {
        in_reply_to: first.internet_message_id,
        subject: `Re: ${first.subject}`,
      });
      const other = message(`batch-c-${engine}`, { from: { name: 'Li Wei', email: 'li.wei@example.cn' } });
      const r = await t.call('POST', '/crm/v6/Cases/actions/from_email', {
        json: { data: [first, reply, other].map((m) => ({ case: caseFromMessage(m), message: m })) },
      });
      expect(r.status).toBe(201);
      const [a, b, c] = r.body.data.map((d: { details: Record<string, unknown> }) => d.details);
      expect(a).toMatchObject({ duplicate: false });
      expect(b).toMatchObject({ id: a.id, duplicate: true, threaded: true });
      expect(c).toMatchObject({ duplicate: false });
      expect(c.id).not.toBe(a.id);
      expect(Number(c.Case_Number)).toBe(Number(a.Case_Number) + 1);
      for (const [m, caseId] of [
        [first, a.id],
        [reply, a.id],
        [other, c.id],
      ] as const) {
        const found = await t.call(
          'GET',
          `/crm/v6/Emails/cases?internet_message_id=${encodeURIComponent(m.internet_message_id)}`,
        );
        expect(found.body.data.map((x: { id: string }) => x.id)).toEqual([caseId]);
      }
      const emailsOfA = await t.call('GET', `/crm/v6/Cases/${a.id}/Emails`);
      expect(emailsOfA.body.data.map((e: { subject: string }) => e.subject).sort()).toEqual(
        [first.subject, reply.subject].sort(),
      );
      const again = await t.call('POST', '/crm/v6/Cases/actions/from_email', {
        json: { data: [{ case: caseFromMessage(other), message: other }] },
      });
      expect(again.body.data[0].details).toMatchObject({ id: c.id, duplicate: true });
    });

    it('answers each of many concurrent conversions as if it came alone: bad ones refused, repeats deduplicated', async () => {
      await writeWorkerRunning();
      const fresh = Array.from({ length: 30 }, (_, i) => message(`crowd-${i}-${engine}`));
      const requests = [
        ...fresh.map((m) => ({ case: caseFromMessage(m), message: m })),
        // Its lookup fails only in the database: it must not take the others down with it.
        ...Array.from({ length: 5 }, (_, i) => {
          const m = message(`crowd-bad-${i}-${engine}`);
          return { case: caseFromMessage(m, { Related_To: '999999' }), message: m };
        }),
        ...fresh.slice(0, 5).map((m) => ({ case: caseFromMessage(m), message: m })),
      ];
      const responses = await Promise.all(
        requests.map((item) =>
          t.call('POST', '/crm/v6/Cases/actions/from_email', { json: { data: [item] } }),
        ),
      );
      const caseOf = new Map<string, string[]>();
      responses.forEach((r, i) => {
        const id = requests[i].message.internet_message_id;
        if (id.includes('crowd-bad')) {
          expect(r.status).toBe(400);
          expect(r.body.data[0].details.api_name).toBe('Related_To');
          return;
        }
        expect([200, 201]).toContain(r.status);
        caseOf.set(id, [...(caseOf.get(id) ?? []), r.body.data[0].details.id]);
      });
      expect(caseOf.size).toBe(30);
      for (const ids of caseOf.values()) expect(new Set(ids).size).toBe(1);
      expect(new Set([...caseOf.values()].map((ids) => ids[0])).size).toBe(30);
      const created = responses.filter((r) => r.body.data?.[0]?.details?.duplicate === false);
      expect(created).toHaveLength(30);
      for (let i = 0; i < 5; i++) {
        const bad = message(`crowd-bad-${i}-${engine}`);
        const status = await t.call(
          'GET',
          `/crm/v6/Emails/cases?internet_message_id=${encodeURIComponent(bad.internet_message_id)}`,
        );
        expect(status.status).toBe(204);
      }
    });

    it('makes exactly one case from 50 concurrent conversions of one message', async () => {
      await writeWorkerRunning();
      const m = message(`storm-${engine}`);
      const responses = await Promise.all(
        Array.from({ length: 50 }, () =>
          t.call('POST', '/crm/v6/Cases/actions/from_email', {
            json: { data: [{ case: caseFromMessage(m), message: m }] },
          }),
        ),
      );
      expect(responses.every((r) => r.status === 200 || r.status === 201)).toBe(true);
      const ids = new Set(responses.map((r) => r.body.data[0].details.id));
      expect(ids.size).toBe(1);
      expect(responses.filter((r) => r.body.data[0].details.duplicate === false)).toHaveLength(1);
      const found = await t.call(
        'GET',
        `/crm/v6/Cases/search?criteria=${encodeURIComponent(`(Subject:equals:${m.subject})`)}`,
      );
      expect(found.body.data).toHaveLength(1);
    });

    it('validates the message and writes nothing when it is bad', async () => {
      const m = message(`bad-${engine}`);
      for (const badMessage of [
        { ...m, from: { email: 'not an address' } },
        { ...m, internet_message_id: '' },
        { ...m, sent_time: 'yesterday' },
        { ...m, body_text: 42 },
        { ...m, extra: 1 },
      ]) {
        const r = await t.call('POST', '/crm/v6/Cases/actions/from_email', {
          json: { data: [{ case: caseFromMessage(m), message: badMessage }] },
        });
        expect(r.status).toBe(400);
        expect(r.body.data[0].details.api_name).toMatch(/^message\./);
      }
      const overLimit = await t.call('POST', '/crm/v6/Cases/actions/from_email', {
        json: { data: [{ case: caseFromMessage(m, { Subject: 'x'.repeat(256) }), message: m }] },
      });
      expect(overLimit.body.data[0].details.api_name).toBe('Subject');
      expect(
        (
          await t.call(
            'GET',
            `/crm/v6/Emails/cases?internet_message_id=${encodeURIComponent(m.internet_message_id)}`,
          )
        ).status,
      ).toBe(204);
      // The refused attempts claimed nothing: the message still converts.
      expect(
        (
          await t.call('POST', '/crm/v6/Cases/actions/from_email', {
            json: { data: [{ case: caseFromMessage(m), message: m }] },
          })
        ).status,
      ).toBe(201);
    });

    it('links a message to an existing case once, and finds cases by message and by thread', async () => {
      const a = message(`thread-a-${engine}`, { conversation_id: `thread-${engine}` });
      const b = message(`thread-b-${engine}`, { conversation_id: `thread-${engine}` });
      const created = (
        await t.call('POST', '/crm/v6/Cases/actions/from_email', {
          json: { data: [{ case: caseFromMessage(a, { Priority: 'High' }), message: a }] },
        })
      ).body.data[0].details;
      const other = (await create(base)).body.data[0].details;
      const link1 = await t.call('POST', `/crm/v6/Cases/${other.id}/Emails`, { json: { data: [b] } });
      const link2 = await t.call('POST', `/crm/v6/Cases/${other.id}/Emails`, { json: { data: [b] } });
      expect(link1.status).toBe(201);
      expect(link2.body.data[0].details.id).toBe(link1.body.data[0].details.id);
      const forB = await t.call(
        'GET',
        `/crm/v6/Emails/cases?internet_message_id=${encodeURIComponent(b.internet_message_id)}&conversation_id=${b.conversation_id}`,
      );
      expect(forB.body.data.map((c: { id: string; match: string }) => [c.id, c.match])).toEqual([
        [other.id, 'message'],
        [created.id, 'thread'],
      ]);
      expect(forB.body.data[1]).toMatchObject({
        Case_Number: created.Case_Number,
        Subject: a.subject,
        Status: 'New',
        Priority: 'High',
        Owner: { name: 'agent@example.com' },
      });
      expect(Date.parse(forB.body.data[1].Modified_Time)).not.toBeNaN();
      expect((await t.call('GET', '/crm/v6/Emails/cases?internet_message_id=%3Cnever%40x%3E')).status).toBe(
        204,
      );
      expect((await t.call('GET', '/crm/v6/Emails/cases')).status).toBe(400);
      expect((await t.call('POST', '/crm/v6/Cases/123456789/Emails', { json: { data: [b] } })).status).toBe(
        404,
      );
    });

    it('lets a message be converted again after its case was deleted', async () => {
      const m = message(`deleted-${engine}`);
      const first = (
        await t.call('POST', '/crm/v6/Cases/actions/from_email', {
          json: { data: [{ case: caseFromMessage(m), message: m }] },
        })
      ).body.data[0].details;
      expect((await t.call('DELETE', `/crm/v6/Cases/${first.id}`, { role: 'manager' })).status).toBe(200);
      const again = await t.call('POST', '/crm/v6/Cases/actions/from_email', {
        json: { data: [{ case: caseFromMessage(m), message: m }] },
      });
      expect(again.status).toBe(201);
      expect(again.body.data[0].details.id).not.toBe(first.id);
    });
  });

  describe('lookups', () => {
    it('creates and finds a contact by email to prefill Related_To and Account_Name', async () => {
      const account = (
        await t.call('POST', '/crm/v6/Accounts', {
          json: { data: [{ Account_Name: 'Kowalski Sp. z o.o.' }] },
        })
      ).body.data[0].details.id;
      const created = await t.call('POST', '/crm/v6/Contacts', {
        json: {
          data: [
            {
              First_Name: 'Ewa',
              Last_Name: 'Kowalska',
              Email: 'Ewa@Kowalski.pl',
              Account_Name: { id: account },
            },
          ],
        },
      });
      expect(created.status).toBe(201);
      const found = await t.call('GET', '/crm/v6/Contacts/search?email=ewa@kowalski.pl');
      expect(found.body.data[0]).toMatchObject({
        Full_Name: 'Ewa Kowalska',
        Email: 'Ewa@Kowalski.pl',
        Account_Name: { id: account, name: 'Kowalski Sp. z o.o.' },
      });
      const c = await create({ ...base, Related_To: { id: found.body.data[0].id }, Account_Name: account });
      const got = (await t.call('GET', `/crm/v6/Cases/${c.body.data[0].details.id}`)).body.data[0];
      expect(got.Related_To).toEqual({ id: found.body.data[0].id, name: 'Ewa Kowalska' });
      expect(got.Account_Name).toEqual({ id: account, name: 'Kowalski Sp. z o.o.' });
      expect((await t.call('GET', '/crm/v6/Contacts/search?email=nobody@kowalski.pl')).status).toBe(204);
      expect(
        (await t.call('POST', '/crm/v6/Contacts', { json: { data: [{ First_Name: 'No last name' }] } })).body
          .data[0].details.api_name,
      ).toBe('Last_Name');
    });

    it('lists owners and the current user; products and deals can be looked up', async () => {
      await t.token('manager', 'boss@example.com', 'Beata Boss');
      await t.call('GET', '/crm/v6/users?type=CurrentUser', { role: 'manager' });
      const users = await t.call('GET', '/crm/v6/users?type=ActiveUsers');
      expect(users.body.users.map((u: { email: string }) => u.email)).toEqual(
        expect.arrayContaining(['agent@example.com']),
      );
      const me = await t.call('GET', '/crm/v6/users?type=CurrentUser');
      expect(me.body.users[0]).toMatchObject({ email: 'agent@example.com', role: { name: 'agent' } });
      const product = (
        await t.call('POST', '/crm/v6/Products', { json: { data: [{ Product_Name: 'LaserJet 9000' }] } })
      ).body.data[0].details.id;
      const deal = (
        await t.call('POST', '/crm/v6/Deals', { json: { data: [{ Deal_Name: 'Renewal 2027' }] } })
      ).body.data[0].details.id;
      const c = (await create({ ...base, Product_Name: product, Deal_Name: deal })).body.data[0].details.id;
      const got = (await t.call('GET', `/crm/v6/Cases/${c}`)).body.data[0];
      expect([got.Product_Name.name, got.Deal_Name.name]).toEqual(['LaserJet 9000', 'Renewal 2027']);
    });
  });

  describe('metadata', () => {
    it('serves the field layout, health and an OpenAPI description', async () => {
      const fields = await t.call('GET', '/crm/v6/settings/fields?module=Cases');
      const subject = fields.body.fields.find((f: { api_name: string }) => f.api_name === 'Subject');
      expect(subject).toMatchObject({
        data_type: 'text',
        length: 255,
        system_mandatory: true,
        translations: { pl: 'Temat', 'zh-CN': '主题' },
      });
      const status = fields.body.fields.find((f: { api_name: string }) => f.api_name === 'Status');
      expect(status.pick_list_values.map((v: { actual_value: string }) => v.actual_value)).toEqual([
        'New',
        'On Hold',
        'Escalated',
        'Closed',
      ]);
      const health = await t.call('GET', '/health', { token: null });
      expect(health).toMatchObject({ status: 200, body: { status: 'ok', database: engine } });
      const openapi = await t.call('GET', '/openapi.json', { token: null });
      expect(openapi.body.openapi).toBe('3.1.0');
      expect(Object.keys(openapi.body.paths)).toEqual(
        expect.arrayContaining(['/crm/v6/Cases', '/crm/v6/Cases/actions/from_email', '/crm/v6/Emails/cases']),
      );
      expect(openapi.body.components.schemas.Case.properties.Subject.maxLength).toBe(255);
    });
  });
});
