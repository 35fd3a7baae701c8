import { ENGINES, startTestServer, type TestServer } from './harness';

/** Zoho-shaped behaviour a Zoho client relies on, over real HTTP: bodies, metadata, Notes, batch semantics. */

const base = { Subject: 'Printer jams', Status: 'New', Case_Origin: 'Phone' };

describe.each(ENGINES)('Zoho API compatibility on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
  });
  afterAll(async () => t?.close());

  // Bytes, not a string: fetch would declare a string text/plain.
  const raw = async (method: string, route: string, body: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${t.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${await t.token('agent')}`, ...headers },
      body: new TextEncoder().encode(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const createCase = async (subject: string) =>
    (await t.call('POST', '/crm/v6/Cases', { json: { data: [{ ...base, Subject: subject }] } })).body.data[0]
      .details.id as string;

  describe('request bodies', () => {
    it('reads a body without Content-Type as JSON', async () => {
      const r = await raw('POST', '/crm/v6/Cases', JSON.stringify({ data: [base] }));
      expect(r.status).toBe(201);
      expect(r.body.data[0].code).toBe('SUCCESS');
    });

    it('still refuses a declared non-JSON type with 415', async () => {
      const plain = await raw('POST', '/crm/v6/Cases', JSON.stringify({ data: [base] }), {
        'content-type': 'text/plain',
      });
      expect(plain.status).toBe(415);
      const r = await raw('POST', '/crm/v6/Cases', JSON.stringify({ data: [base] }), {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(r.status).toBe(415);
      expect(r.body).toMatchObject({
        code: 'INVALID_DATA',
        details: { expected_data_type: 'application/json' },
      });
    });

    it('refuses an untyped body that is not JSON as malformed, not as a 5xx', async () => {
      const r = await raw('POST', '/crm/v6/Cases', 'Subject=x');
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('INVALID_DATA');
    });
  });

  describe('metadata', () => {
    it('lists modules, and answers 304 to If-Modified-Since after the last change', async () => {
      const r = await t.call('GET', '/crm/v6/settings/modules');
      expect(r.status).toBe(200);
      const cases = r.body.modules.find((m: { api_name: string }) => m.api_name === 'Cases');
      expect(cases).toMatchObject({ api_supported: true, generated_type: 'default' });
      const later = new Date(Date.parse(cases.modified_time) + 1000).toUTCString();
      expect(
        (await t.call('GET', '/crm/v6/settings/modules', { headers: { 'if-modified-since': later } })).status,
      ).toBe(304);
      const earlier = new Date(Date.parse(cases.modified_time) - 1000).toUTCString();
      const changed = await t.call('GET', '/crm/v6/settings/modules', {
        headers: { 'if-modified-since': earlier },
      });
      expect(changed.body.modules.map((m: { api_name: string }) => m.api_name)).toContain('Cases');
    });

    it("describes Cases fields with Zoho's data types, custom fields included", async () => {
      const added = await t.call('POST', '/crm/v6/settings/fields?module=Cases', {
        role: 'admin',
        json: { fields: [{ api_name: 'Contract_Ref', label: 'Contract ref', type: 'text', max_length: 40 }] },
      });
      expect(added.status).toBe(201);
      const r = await t.call('GET', '/crm/v6/settings/fields?module=Cases');
      const types = Object.fromEntries(
        r.body.fields.map((f: { api_name: string; data_type: string }) => [f.api_name, f.data_type]),
      );
      expect(types).toMatchObject({
        Owner: 'ownerlookup',
        Case_Number: 'autonumber',
        Status: 'picklist',
        Subject: 'text',
        Description: 'textarea',
        Email: 'email',
        Account_Name: 'lookup',
        Contract_Ref: 'text',
      });
      // Only fields a layout can order and hide: the server's own audit fields are not among them.
      expect(types.Created_By).toBeUndefined();
      // The custom field moved the Cases module's modified time.
      const modules = await t.call('GET', '/crm/v6/settings/modules');
      const cases = modules.body.modules.find((m: { api_name: string }) => m.api_name === 'Cases');
      expect(Date.parse(cases.modified_time)).toBeGreaterThan(Date.now() - 60_000);
    });

    it('lists only fields a layout takes: the listed fields saved back as the layout are accepted (as the pane does)', async () => {
      const listed = (await t.call('GET', '/crm/v6/settings/fields?module=Cases')).body.fields;
      const saved = await t.call('PUT', '/crm/v6/settings/layout?module=Cases', {
        role: 'admin',
        json: { fields: listed.map((f: { api_name: string }) => ({ api_name: f.api_name })) },
      });
      expect(saved.status).toBe(200);
    });

    it('describes every module it serves, and refuses one it does not', async () => {
      for (const module of ['Contacts', 'Accounts', 'Products', 'Deals', 'Notes', 'Users']) {
        const r = await t.call('GET', `/crm/v6/settings/fields?module=${module}`);
        expect([module, r.status, r.body.fields.length > 0]).toEqual([module, 200, true]);
      }
      const unknown = await t.call('GET', '/crm/v6/settings/fields?module=Leads');
      expect(unknown.status).toBe(400);
      expect(unknown.body.code).toBe('INVALID_MODULE');
    });

    it('lists related lists with href, layouts, org and the current user', async () => {
      const lists = await t.call('GET', '/crm/v6/settings/related_lists?module=Cases');
      expect(
        lists.body.related_lists.map((l: { api_name: string; href: string }) => [l.api_name, l.href]),
      ).toEqual([
        ['Notes', 'Cases/{ENTITYID}/Notes'],
        ['Emails', 'Cases/{ENTITYID}/Emails'],
        ['Attachments', 'Cases/{ENTITYID}/Attachments'],
        ['Open_Activities', 'Cases/{ENTITYID}/Open_Activities'],
        ['Closed_Activities', 'Cases/{ENTITYID}/Closed_Activities'],
      ]);
      const layouts = await t.call('GET', '/crm/v6/settings/layouts?module=Cases');
      expect(
        layouts.body.layouts[0].sections[0].fields.map((f: { api_name: string }) => f.api_name),
      ).toContain('Subject');
      const org = await t.call('GET', '/crm/v6/org');
      expect(org.body.org[0]).toMatchObject({ id: '1', zgid: '1' });
      const me = await t.call('GET', '/crm/v6/users?type=CurrentUser');
      expect(me.body.users[0].email).toBe('agent@example.com');
    });

    it('needs a token for metadata too', async () => {
      expect((await t.call('GET', '/crm/v6/settings/modules', { token: null })).status).toBe(401);
      expect((await t.call('GET', '/crm/v6/org', { token: null })).status).toBe(401);
    });
  });

  describe('Notes', () => {
    it('creates, reads, updates and deletes notes through /Notes with Parent_Id', async () => {
      const caseId = await createCase('Notes case');
      const created = await t.call('POST', '/crm/v6/Notes', {
        json: {
          data: [
            {
              Note_Title: 'Call',
              Note_Content: 'Called back',
              Parent_Id: { id: caseId, module: { api_name: 'Cases' } },
            },
            { Note_Content: 'Old style', Parent_Id: caseId, se_module: 'Cases' },
          ],
        },
      });
      expect(created.status).toBe(201);
      const [first, second] = created.body.data.map((d: { details: { id: string } }) => d.details.id);

      const one = await t.call('GET', `/crm/v6/Notes/${first}`);
      expect(one.body.data[0]).toMatchObject({
        Note_Title: 'Call',
        Parent_Id: { id: caseId, module: { api_name: 'Cases' } },
        $se_module: 'Cases',
      });
      const related = await t.call('GET', `/crm/v6/Cases/${caseId}/Notes`);
      expect(related.body.data.map((n: { id: string }) => n.id)).toEqual([second, first]);

      const updated = await t.call('PUT', '/crm/v6/Notes', {
        json: { data: [{ id: first, Note_Content: 'Called twice' }] },
      });
      expect(updated.status).toBe(200);
      expect((await t.call('GET', `/crm/v6/Notes/${first}`)).body.data[0].Note_Content).toBe('Called twice');

      expect((await t.call('DELETE', `/crm/v6/Notes?ids=${first},${second}`, { role: 'agent' })).status).toBe(
        403,
      );
      const deleted = await t.call('DELETE', `/crm/v6/Notes?ids=${first},${second}`, { role: 'manager' });
      expect(deleted.status).toBe(200);
      expect((await t.call('GET', `/crm/v6/Notes/${first}`)).status).toBe(404);
    });

    it('writes the valid notes and names the bad Parent_Id; all_or_nothing writes none', async () => {
      const caseId = await createCase('Batch notes case');
      const batch = [
        { Note_Content: 'fine', Parent_Id: { id: caseId, module: { api_name: 'Cases' } } },
        { Note_Content: 'orphan', Parent_Id: { id: '999999999', module: { api_name: 'Cases' } } },
      ];
      const count = async () =>
        (await t.call('GET', `/crm/v6/Cases/${caseId}/Notes`)).body?.data?.length ?? 0;
      const strict = await t.call('POST', '/crm/v6/Notes?all_or_nothing=true', { json: { data: batch } });
      expect(strict.status).toBe(400);
      expect(strict.body.data.map((d: { code: string }) => d.code)).toEqual(['NOT_EXECUTED', 'INVALID_DATA']);
      expect(await count()).toBe(0);
      const mixed = await t.call('POST', '/crm/v6/Notes', { json: { data: batch } });
      expect(mixed.status).toBe(207);
      expect(mixed.body.data[1]).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'Parent_Id' } });
      expect(await count()).toBe(1);
    });

    it('refuses notes from a viewer', async () => {
      const caseId = await createCase('Viewer case');
      const r = await t.call('POST', '/crm/v6/Notes', {
        role: 'viewer',
        json: { data: [{ Note_Content: 'x', Parent_Id: { id: caseId } }] },
      });
      expect(r.status).toBe(403);
    });
  });

  describe('batch updates', () => {
    it('updates the valid records by default and none with all_or_nothing', async () => {
      const id = await createCase('Batch update case');
      const batch = {
        data: [
          { id, Priority: 'High' },
          { id: '999999999', Priority: 'High' },
        ],
      };
      const strict = await t.call('PUT', '/crm/v6/Cases?all_or_nothing=true', { json: batch });
      expect(strict.status).toBe(400);
      expect(strict.body.data.map((d: { code: string }) => d.code)).toEqual(['NOT_EXECUTED', 'INVALID_DATA']);
      expect((await t.call('GET', `/crm/v6/Cases/${id}`)).body.data[0].Priority).not.toBe('High');
      const mixed = await t.call('PUT', '/crm/v6/Cases', { json: batch });
      expect(mixed.status).toBe(207);
      expect(mixed.body.data.map((d: { code: string }) => d.code)).toEqual(['SUCCESS', 'INVALID_DATA']);
      expect((await t.call('GET', `/crm/v6/Cases/${id}`)).body.data[0].Priority).toBe('High');
    });

    it('writes a case named twice in one batch once and refuses the repeat by name (was a 409 for the request)', async () => {
      const id = await createCase('Twice case');
      const r = await t.call('PUT', '/crm/v6/Cases', {
        json: {
          data: [
            { id, Priority: 'High' },
            { id, Priority: 'Low' },
          ],
        },
      });
      expect(r.status).toBe(207);
      expect(r.body.data[1]).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'id' } });
      expect((await t.call('GET', `/crm/v6/Cases/${id}`)).body.data[0].Priority).toBe('High');
      const email = 'twice.upsert@example.com';
      await t.call('POST', '/crm/v6/Cases', {
        json: { data: [{ ...base, Case_Origin: 'Email', Email: email }] },
      });
      const upsert = await t.call('POST', '/crm/v6/Cases/upsert', {
        json: {
          data: [
            { Subject: 'One', Email: email },
            { Subject: 'Two', Email: email },
          ],
          duplicate_check_fields: ['Email'],
        },
      });
      expect(upsert.status).toBe(207);
      expect(upsert.body.data.map((d: { code: string }) => d.code)).toEqual(['SUCCESS', 'INVALID_DATA']);
      expect(upsert.body.data[1].details.json_path).toBe('$.data[1].id');
    });

    it('answers 400 when every record is refused, and refuses a bad all_or_nothing value', async () => {
      const r = await t.call('POST', '/crm/v6/Cases', { json: { data: [{ ...base, Status: 'Nope' }] } });
      expect(r.status).toBe(400);
      expect(r.body.data[0]).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'Status' } });
      const bad = await t.call('POST', '/crm/v6/Cases?all_or_nothing=maybe', { json: { data: [base] } });
      expect(bad.status).toBe(400);
      expect(bad.body.details.param_name).toBe('all_or_nothing');
    });
  });

  describe('record API breadth', () => {
    it('lists the given ids, and counts all cases or those a search matches', async () => {
      const a = await createCase('Ids case A');
      const b = await createCase('Ids case B');
      await createCase('Ids case C');
      const r = await t.call(
        'GET',
        `/crm/v6/Cases?ids=${a},${b}&fields=Subject&sort_by=Subject&sort_order=asc`,
      );
      expect(r.body.data.map((c: { Subject: string }) => c.Subject)).toEqual(['Ids case A', 'Ids case B']);
      expect((await t.call('GET', '/crm/v6/Cases?ids=1,abc')).status).toBe(400);

      const all = await t.call('GET', '/crm/v6/Cases/actions/count');
      let listed = 0;
      for (let page = 1; ; page++) {
        const p = await t.call('GET', `/crm/v6/Cases?per_page=200&page=${page}&fields=Subject`);
        listed += p.body.data.length;
        if (!p.body.info.more_records) break;
      }
      expect(all.body.count).toBe(listed);
      const some = await t.call('GET', `/crm/v6/Cases/actions/count?word=${encodeURIComponent('Ids case')}`);
      expect(some.body).toEqual({ count: 3 });
    });

    it('answers a list with If-Modified-Since with the changed cases only, or 304', async () => {
      // HTTP dates have whole seconds: leave the earlier tests' writes two seconds behind.
      await new Promise((resolve) => setTimeout(resolve, 2100));
      const before = new Date(Date.now() - 1000).toUTCString();
      const id = await createCase('Fresh case');
      const future = new Date(Date.now() + 60_000).toUTCString();
      expect(
        (await t.call('GET', '/crm/v6/Cases', { headers: { 'if-modified-since': future } })).status,
      ).toBe(304);
      const changed = await t.call('GET', '/crm/v6/Cases?fields=Subject', {
        headers: { 'if-modified-since': before },
      });
      expect(changed.status).toBe(200);
      expect(changed.body.data.map((c: { id: string }) => c.id)).toEqual([id]);
    });

    it('upserts on duplicate_check_fields: updates the match, inserts the rest', async () => {
      const email = 'upsert.me@example.com';
      const first = await t.call('POST', '/crm/v6/Cases/upsert', {
        json: {
          data: [{ ...base, Subject: 'First', Case_Origin: 'Email', Email: email }],
          duplicate_check_fields: ['Email'],
        },
      });
      expect(first.status).toBe(201);
      expect(first.body.data[0]).toMatchObject({ code: 'SUCCESS', action: 'insert', duplicate_field: null });
      const id = first.body.data[0].details.id;
      const second = await t.call('POST', '/crm/v6/Cases/upsert', {
        json: {
          data: [
            { Subject: 'Second', Case_Origin: 'Email', Email: email.toUpperCase() },
            { ...base, Subject: 'Brand new' },
          ],
          duplicate_check_fields: ['Email'],
        },
      });
      expect(second.status).toBe(201);
      expect(second.body.data[0]).toMatchObject({
        action: 'update',
        duplicate_field: 'Email',
        details: { id },
      });
      expect(second.body.data[1]).toMatchObject({ action: 'insert' });
      expect((await t.call('GET', `/crm/v6/Cases/${id}`)).body.data[0].Subject).toBe('Second');

      const strict = await t.call('POST', '/crm/v6/Cases/upsert?all_or_nothing=true', {
        json: {
          data: [
            { ...base, Subject: 'Never' },
            { ...base, Status: 'Nope' },
          ],
        },
      });
      expect(strict.status).toBe(400);
      expect(strict.body.data.map((d: { code: string }) => d.code)).toEqual(['NOT_EXECUTED', 'INVALID_DATA']);
      expect(strict.body.data[1].details.json_path).toBe('$.data[1].Status');
      expect((await t.call('GET', '/crm/v6/Cases/search?word=Never')).status).toBe(204);

      const badField = await t.call('POST', '/crm/v6/Cases/upsert', {
        json: { data: [base], duplicate_check_fields: ['Description'] },
      });
      expect(badField.status).toBe(400);
      expect(badField.body.details.api_name).toBe('duplicate_check_fields');
    });

    it('lists deleted cases as permanent, none in the recycle bin; deleting needs the delete permission', async () => {
      const id = await createCase('Soon deleted');
      expect((await t.call('DELETE', `/crm/v6/Cases/${id}`, { role: 'agent' })).status).toBe(403);
      expect((await t.call('DELETE', `/crm/v6/Cases/${id}`, { role: 'manager' })).status).toBe(200);
      const all = await t.call('GET', '/crm/v6/Cases/deleted?type=all');
      expect(all.status).toBe(200);
      expect(all.body.data[0]).toMatchObject({
        id,
        display_name: 'Soon deleted',
        type: 'permanent',
        deleted_by: { name: expect.any(String) },
        deleted_time: expect.any(String),
      });
      const permanent = await t.call('GET', '/crm/v6/Cases/deleted?type=permanent');
      expect(permanent.body.data.map((d: { id: string }) => d.id)).toContain(id);
      expect((await t.call('GET', '/crm/v6/Cases/deleted?type=recycle')).status).toBe(204);
      expect((await t.call('GET', '/crm/v6/Cases/deleted?type=bin')).status).toBe(400);
      expect((await t.call('GET', '/crm/v6/Cases/deleted', { token: null })).status).toBe(401);
    });

    it('refuses a page past 2,000 records without a page_token, and follows next_page_token past it', async () => {
      const fresh = await startTestServer(engine);
      try {
        for (let i = 0; i < 21; i++)
          await fresh.call('POST', '/crm/v6/Cases', {
            json: {
              data: Array.from({ length: 100 }, (_, k) => ({ ...base, Subject: `Bulk ${i * 100 + k}` })),
            },
          });
        const deep = await fresh.call('GET', '/crm/v6/Cases?per_page=200&page=11');
        expect(deep.status).toBe(400);
        expect(deep.body.code).toBe('DISCRETE_PAGINATION_LIMIT_EXCEEDED');
        const seen = new Set<string>();
        let query = '/crm/v6/Cases?per_page=200&fields=Subject&sort_by=id&sort_order=asc';
        for (let pages = 0; pages < 20; pages++) {
          const r = await fresh.call('GET', query);
          for (const c of r.body.data) seen.add(c.id);
          if (!r.body.info.more_records) break;
          expect(r.body.info.next_page_token).toEqual(expect.any(String));
          query = `/crm/v6/Cases?per_page=200&fields=Subject&page_token=${r.body.info.next_page_token}`;
        }
        expect(seen.size).toBe(2100);
        const forged = await fresh.call('GET', '/crm/v6/Cases?page_token=not-a-token');
        expect(forged.status).toBe(400);
        expect(forged.body.details.param_name).toBe('page_token');
      } finally {
        await fresh.close();
      }
    }, 120_000);
  });

  it('describes every new endpoint in the OpenAPI document', async () => {
    const doc = (await t.call('GET', '/openapi.json', { token: null })).body;
    const expected: [string, string][] = [
      ['/crm/v6/Cases/upsert', 'post'],
      ['/crm/v6/Cases/deleted', 'get'],
      ['/crm/v6/Cases/actions/count', 'get'],
      ['/crm/v6/Notes', 'get'],
      ['/crm/v6/Notes', 'post'],
      ['/crm/v6/Notes', 'put'],
      ['/crm/v6/Notes', 'delete'],
      ['/crm/v6/Notes/{id}', 'get'],
      ['/crm/v6/Notes/{id}', 'put'],
      ['/crm/v6/Notes/{id}', 'delete'],
      ['/crm/v6/settings/modules', 'get'],
      ['/crm/v6/settings/related_lists', 'get'],
      ['/crm/v6/settings/layouts', 'get'],
      ['/crm/v6/org', 'get'],
    ];
    expect(expected.filter(([route, method]) => !doc.paths[route]?.[method])).toEqual([]);
    const listParams = doc.paths['/crm/v6/Cases'].get.parameters.map((p: { name: string }) => p.name);
    expect(listParams).toEqual(expect.arrayContaining(['ids', 'page_token', 'If-Modified-Since']));
    expect(doc.paths['/crm/v6/Cases'].post.parameters.map((p: { name: string }) => p.name)).toContain(
      'all_or_nothing',
    );
  });
});
