/** @jest-environment node */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CasepaneApi, TokenSource, criteriaValue } from '../../../src/addin/api/client';
import { ApiFailure } from '../../../src/addin/api/errors';
import type { EmailMessageInput } from '../../../src/shared/api-types';

type Seen = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };
type Reply = { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number; destroy?: boolean };

let server: http.Server;
let origin: string;
let seen: Seen[];
let replies: ((req: Seen) => Reply)[];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(entry);
      const next = replies.shift();
      const reply = next ? next(entry) : { status: 500, body: { code: 'NO_REPLY', details: {}, message: 'no reply queued', status: 'error' } };
      if (reply.destroy) return req.socket.destroy();
      setTimeout(() => {
        res.writeHead(reply.status, { ...(reply.body !== undefined ? { 'content-type': 'application/json' } : {}), ...reply.headers });
        res.end(reply.body !== undefined ? JSON.stringify(reply.body) : undefined);
      }, reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
  replies = [];
});

function tokens(...values: string[]): TokenSource & { calls: { forceRefresh?: boolean }[] } {
  const calls: { forceRefresh?: boolean }[] = [];
  let i = 0;
  return {
    calls,
    getToken: async (options = {}) => {
      calls.push(options);
      return values[Math.min(i++, values.length - 1)];
    },
  };
}

function client(source: TokenSource | null = tokens('tok-1')) {
  const api = new CasepaneApi({ origin, timeoutMs: 2000 });
  if (source) api.useTokens(source);
  return api;
}

const message: EmailMessageInput = {
  internet_message_id: '<abc@mail.example>',
  from: { name: 'Anna', email: 'anna@example.com' },
  subject: 'Printer offline',
};

const apiError = (code: string, message = code) => ({ code, details: {}, message, status: 'error' });

describe('CasepaneApi', () => {
  it('sends the bearer token and query parameters', async () => {
    replies.push(() => ({ status: 200, body: { data: [{ id: '1', Case_Number: '00000001', match: 'message' }] } }));
    const cases = await client().linkedCases({ internetMessageId: '<abc@mail.example>', conversationId: 'CONV 1' });
    expect(cases).toHaveLength(1);
    expect(seen[0].headers.authorization).toBe('Bearer tok-1');
    const url = new URL(seen[0].url, origin);
    expect(url.pathname).toBe('/crm/v6/Emails/cases');
    expect(url.searchParams.get('internet_message_id')).toBe('<abc@mail.example>');
    expect(url.searchParams.get('conversation_id')).toBe('CONV 1');
  });

  it('treats 204 No Content as an empty list', async () => {
    replies.push(() => ({ status: 204 }));
    replies.push(() => ({ status: 204 }));
    replies.push(() => ({ status: 204 }));
    const api = client();
    await expect(api.linkedCases({ internetMessageId: 'x' })).resolves.toEqual([]);
    await expect(api.searchCases({ word: 'printer' })).resolves.toEqual([]);
    await expect(api.searchContacts('a@b.c')).resolves.toEqual([]);
  });

  it('passes criteria through intact', async () => {
    replies.push(() => ({ status: 204 }));
    const criteria = `((Email:equals:${criteriaValue('o(dd),name@x.com')})and(Status:not_equal:Closed))`;
    await client().searchCases({ criteria });
    expect(new URL(seen[0].url, origin).searchParams.get('criteria')).toBe('((Email:equals:o\\(dd\\)\\,name@x.com)and(Status:not_equal:Closed))');
  });

  it('on 401 gets a fresh token once and retries', async () => {
    replies.push(() => ({ status: 401, body: apiError('INVALID_TOKEN') }));
    replies.push(() => ({ status: 200, body: { users: [{ id: '7', full_name: 'Me' }] } }));
    const source = tokens('old', 'new');
    const me = await client(source).currentUser();
    expect(me?.id).toBe('7');
    expect(seen.map((s) => s.headers.authorization)).toEqual(['Bearer old', 'Bearer new']);
    expect(source.calls).toEqual([{ forceRefresh: false }, { forceRefresh: true }]);
  });

  it('reports a second 401 plainly as unauthorized, without looping', async () => {
    replies.push(() => ({ status: 401, body: apiError('INVALID_TOKEN', 'token expired') }));
    replies.push(() => ({ status: 401, body: apiError('AUTHENTICATION_FAILURE', 'still bad') }));
    const failure = await client(tokens('a', 'b')).currentUser().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiFailure);
    expect(failure).toMatchObject({ kind: 'unauthorized', status: 401, details: { code: 'AUTHENTICATION_FAILURE' } });
    expect(seen).toHaveLength(2);
  });

  it.each([
    [403, 'forbidden', 'NO_PERMISSION'],
    [429, 'rate-limited', 'TOO_MANY_REQUESTS'],
    [413, 'validation', 'REQUEST_ENTITY_TOO_LARGE'],
    [500, 'server', 'INTERNAL_ERROR'],
    [503, 'server', 'UNAVAILABLE'],
  ])('maps HTTP %i to kind %s', async (status, kind, code) => {
    replies.push(() => ({ status, body: apiError(code), headers: (status === 429 ? { 'retry-after': '12' } : {}) as Record<string, string> }));
    const failure = (await client().activeUsers().catch((e: unknown) => e)) as ApiFailure;
    expect(failure).toBeInstanceOf(ApiFailure);
    expect(failure.kind).toBe(kind);
    expect(failure.status).toBe(status);
    expect(failure.details.code).toBe(code);
    if (status === 429) expect(failure.details.retryAfterSeconds).toBe(12);
  });

  it('maps a dropped connection to kind network', async () => {
    replies.push(() => ({ status: 0, destroy: true }));
    await expect(client().activeUsers()).rejects.toMatchObject({ kind: 'network' });
  });

  it('maps an unreachable server to kind network', async () => {
    const api = new CasepaneApi({ origin: 'http://127.0.0.1:1', timeoutMs: 2000 });
    api.useTokens(tokens('t'));
    await expect(api.activeUsers()).rejects.toMatchObject({ kind: 'network' });
  });

  it('reports an aborted request as aborted', async () => {
    replies.push(() => ({ status: 200, body: { data: [] }, delayMs: 300 }));
    const controller = new AbortController();
    const pending = client().linkedCases({ internetMessageId: 'x' }, controller.signal);
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ kind: 'aborted' });
  });

  it('posts from_email and returns the case number', async () => {
    replies.push(() => ({
      status: 201,
      body: { data: [{ code: 'SUCCESS', details: { id: '42', Case_Number: '00001234', duplicate: false }, message: 'record added', status: 'success' }] },
    }));
    const created = await client().createCaseFromEmail({ Subject: 'S', Case_Origin: 'Email', Email: 'anna@example.com' }, message);
    expect(created).toEqual({ id: '42', caseNumber: '00001234', duplicate: false });
    expect(seen[0].method).toBe('POST');
    expect(seen[0].url).toBe('/crm/v6/Cases/actions/from_email');
    expect(JSON.parse(seen[0].body)).toEqual({ data: [{ case: { Subject: 'S', Case_Origin: 'Email', Email: 'anna@example.com' }, message }] });
  });

  it('reads duplicate:true on a repeated from_email', async () => {
    replies.push(() => ({
      status: 200,
      body: { data: [{ code: 'SUCCESS', details: { id: '42', Case_Number: '00001234', duplicate: true }, message: 'already', status: 'success' }] },
    }));
    await expect(client().createCaseFromEmail({}, message)).resolves.toMatchObject({ duplicate: true });
  });

  it('turns record-level field errors into a validation failure with every field error', async () => {
    replies.push(() => ({
      status: 400,
      body: {
        data: [
          {
            code: 'INVALID_DATA',
            details: {
              api_name: 'Subject',
              maximum_length: 255,
              errors: [
                { code: 'INVALID_DATA', api_name: 'Subject', message: 'Subject: at most 255 characters allowed', maximum_length: 255 },
                { code: 'MANDATORY_NOT_FOUND', api_name: 'Email', message: 'Email is required when Case_Origin is Email' },
              ],
            },
            message: 'Subject: at most 255 characters allowed',
            status: 'error',
          },
        ],
      },
    }));
    const failure = (await client().createCaseFromEmail({}, message).catch((e: unknown) => e)) as ApiFailure;
    expect(failure.kind).toBe('validation');
    expect(failure.retryable).toBe(false);
    expect(failure.fieldErrors.map((e) => e.api_name)).toEqual(['Subject', 'Email']);
  });

  it('uses the single field error in details when no list is given', async () => {
    replies.push(() => ({
      status: 400,
      body: { data: [{ code: 'MANDATORY_NOT_FOUND', details: { api_name: 'Subject' }, message: 'Subject is required', status: 'error' }] },
    }));
    const failure = (await client().createCaseFromEmail({}, message).catch((e: unknown) => e)) as ApiFailure;
    expect(failure.fieldErrors).toEqual([{ code: 'MANDATORY_NOT_FOUND', api_name: 'Subject', message: 'Subject is required' }]);
  });

  it('links a message to a case by id', async () => {
    replies.push(() => ({ status: 200, body: { data: [{ code: 'SUCCESS', details: { id: '9' }, message: 'linked', status: 'success' }] } }));
    await client().linkEmailToCase('42', message);
    expect(seen[0].url).toBe('/crm/v6/Cases/42/Emails');
    expect(JSON.parse(seen[0].body)).toEqual({ data: [message] });
  });

  it('calls the auth endpoints without a token', async () => {
    replies.push(() => ({ status: 200, body: { mode: 'local' } }));
    replies.push(() => ({ status: 200, body: { access_token: 'jwt', token_type: 'Bearer', expires_in: 3600 } }));
    const api = client(null);
    await expect(api.getAuthConfig()).resolves.toEqual({ mode: 'local' });
    await expect(api.getLocalToken({ email: 'agent@x.com', name: 'Agent' })).resolves.toMatchObject({ access_token: 'jwt' });
    expect(seen.map((s) => s.headers.authorization)).toEqual([undefined, undefined]);
    expect(JSON.parse(seen[1].body)).toEqual({ email: 'agent@x.com', name: 'Agent' });
  });

  it('fails as unauthorized, without calling the API, when there is no token source', async () => {
    await expect(client(null).activeUsers()).rejects.toMatchObject({ kind: 'unauthorized' });
    expect(seen).toHaveLength(0);
  });

  it('keeps a network failure during sign-in a network failure (so Retry is offered)', async () => {
    const source: TokenSource = { getToken: async () => Promise.reject(new ApiFailure('network', 'down')) };
    const failure = (await client(source).activeUsers().catch((e: unknown) => e)) as ApiFailure;
    expect(failure.kind).toBe('network');
    expect(failure.retryable).toBe(true);
  });

  it('reads fields metadata, users and a case', async () => {
    replies.push(() => ({ status: 200, body: { fields: [{ api_name: 'X' }] } }));
    replies.push(() => ({ status: 200, body: { data: [{ id: '5', Case_Number: '00000005' }] } }));
    const api = client();
    await expect(api.caseFields()).resolves.toEqual([{ api_name: 'X' }]);
    await expect(api.getCase('5')).resolves.toMatchObject({ Case_Number: '00000005' });
    expect(seen.map((s) => s.url)).toEqual(['/crm/v6/settings/fields?module=Cases', '/crm/v6/Cases/5']);
  });

  describe('case follow-up endpoints', () => {
    const success = (details: Record<string, unknown>) => ({ data: [{ code: 'SUCCESS', details, message: 'ok', status: 'success' }] });

    it('updates with $version and returns the new version', async () => {
      replies.push(() => ({ status: 200, body: success({ id: '7', Modified_Time: '2026-11-22T10:00:00Z', $version: 4 }) }));
      await expect(client().updateCase('7', { Status: 'On Hold' }, 3)).resolves.toEqual({ version: 4, modifiedTime: '2026-11-22T10:00:00Z' });
      expect(seen[0].method).toBe('PUT');
      expect(seen[0].url).toBe('/crm/v6/Cases/7');
      expect(JSON.parse(seen[0].body)).toEqual({ data: [{ Status: 'On Hold', $version: 3 }] });
    });

    it('maps 409 CONFLICT to kind conflict with the current version', async () => {
      replies.push(() => ({
        status: 409,
        body: { code: 'CONFLICT', details: { id: '7', expected_version: 3, current_version: 5, Modified_Time: 'x' }, message: 'changed', status: 'error' },
      }));
      await expect(client().updateCase('7', {}, 3)).rejects.toMatchObject({ kind: 'conflict', status: 409, details: { code: 'CONFLICT', currentVersion: 5 } });
    });

    it('treats 204 as empty for every related list', async () => {
      for (let i = 0; i < 8; i++) replies.push(() => ({ status: 204 }));
      const api = client();
      await expect(api.notes('7')).resolves.toEqual([]);
      await expect(api.activities('7', 'open')).resolves.toEqual([]);
      await expect(api.activities('7', 'closed')).resolves.toEqual([]);
      await expect(api.caseEmails('7')).resolves.toEqual([]);
      await expect(api.attachments('7')).resolves.toEqual([]);
      await expect(api.caseSolutions('7')).resolves.toEqual([]);
      await expect(api.searchSolutions('toner')).resolves.toEqual([]);
      await expect(api.sendBulkMail('1', ['7'])).resolves.toEqual([]);
      expect(seen.map((s) => s.url)).toEqual([
        '/crm/v6/Cases/7/Notes',
        '/crm/v6/Cases/7/Open_Activities',
        '/crm/v6/Cases/7/Closed_Activities',
        '/crm/v6/Cases/7/Emails',
        '/crm/v6/Cases/7/Attachments',
        '/crm/v6/Cases/7/Solutions',
        '/crm/v6/Solutions/search?status=Published&word=toner',
        '/crm/v6/Cases/actions/send_mail',
      ]);
    });

    it('reads the timeline', async () => {
      replies.push(() => ({ status: 200, body: { __timeline: [{ id: '1', action: 'created', done_by: null, audited_time: 't', field_history: [] }] } }));
      await expect(client().timeline('7')).resolves.toHaveLength(1);
      expect(seen[0].url).toBe('/crm/v6/Cases/7/__timeline');
    });

    it('uploads a file as multipart with the source message id', async () => {
      replies.push(() => ({ status: 201, body: success({ id: '31' }) }));
      const id = await client().uploadAttachment('7', { name: 'log.txt', contentType: 'text/plain', data: new Blob(['hello']) }, '<a@x>');
      expect(id).toBe('31');
      expect(seen[0].headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      expect(seen[0].body).toContain('name="source_message_id"');
      expect(seen[0].body).toContain('<a@x>');
      expect(seen[0].body).toMatch(/name="file"; filename="log.txt"/);
      expect(seen[0].body).toContain('hello');
    });

    it('unlinks, moves, clones, publishes, sends mail', async () => {
      replies.push(() => ({ status: 200, body: success({ id: '11' }) }));
      replies.push(() => ({ status: 200, body: success({ id: '11' }) }));
      replies.push(() => ({ status: 201, body: success({ id: '8', Case_Number: '00000008' }) }));
      replies.push(() => ({ status: 201, body: success({ id: '3', Solution_Number: '00000003' }) }));
      replies.push(() => ({ status: 200, body: success({ id: '12', subject: 'Hi [Case #00000007]' }) }));
      const api = client();
      await api.unlinkEmail('7', '11');
      await api.moveEmail('7', '11', '8');
      await expect(api.cloneCase('7')).resolves.toEqual({ id: '8', caseNumber: '00000008' });
      await expect(api.publishSolution('7', { Status: 'Published' })).resolves.toEqual({ id: '3', number: '00000003' });
      await expect(api.sendCaseMail('7', { content: 'Hi' })).resolves.toEqual({ id: '12', subject: 'Hi [Case #00000007]', queued: false });
      expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
        'DELETE /crm/v6/Cases/7/Emails/11',
        'POST /crm/v6/Cases/7/Emails/11/actions/move',
        'POST /crm/v6/Cases/7/actions/clone',
        'POST /crm/v6/Cases/7/actions/publish_solution',
        'POST /crm/v6/Cases/7/actions/send_mail',
      ]);
      expect(JSON.parse(seen[1].body)).toEqual({ case_id: '8' });
      expect(JSON.parse(seen[3].body)).toEqual({ data: [{ Status: 'Published' }] });
      expect(JSON.parse(seen[4].body)).toEqual({ data: [{ content: 'Hi' }] });
    });

    it('tells a mail the server has queued (202: the mail server had not answered yet) from a sent one', async () => {
      replies.push(() => ({ status: 202, body: success({ id: '5', subject: 'Hi [Case #00000007]', delivery: 'queued' }) }));
      await expect(client().sendCaseMail('7', { content: 'Hi' })).resolves.toEqual({ id: '5', subject: 'Hi [Case #00000007]', queued: true });
    });

    it('saves the field layout and adds a custom field', async () => {
      replies.push(() => ({ status: 200, body: { fields: [] } }));
      replies.push(() => ({ status: 201, body: { fields: [{ code: 'SUCCESS', details: { api_name: 'Region' }, message: 'field added', status: 'success' }] } }));
      const api = client();
      await api.saveLayout([{ api_name: 'Subject' }, { api_name: 'Phone', hidden: true }]);
      await api.addCustomField({ api_name: 'Region', label: { en: 'Region', pl: 'Region', 'zh-CN': '地区' }, type: 'picklist', pick_list_values: ['EU', 'US'] });
      expect(seen[0].url).toBe('/crm/v6/settings/layout?module=Cases');
      expect(JSON.parse(seen[0].body)).toEqual({ fields: [{ api_name: 'Subject' }, { api_name: 'Phone', hidden: true }] });
      expect(seen[1].url).toBe('/crm/v6/settings/fields?module=Cases');
    });
  });
});
