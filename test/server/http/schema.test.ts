/**
 * The route validator converts query strings, path parts and headers to their schema's types (they arrive as
 * text). Defect found by the My cases browser test: the compiler's copy of each schema (made to leave out the
 * parts a service judges) dropped TypeBox's non-enumerable `~kind`, so nothing was converted and
 * `?per_page=100` against an Integer answered 400 "must be integer".
 */
import Fastify from 'fastify';
import { Type } from 'typebox';
import { judgedByService, validatorCompiler } from '../../../src/server/http/schema';

const running: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()));
});

async function appWith(querystring: ReturnType<typeof Type.Object>, body?: ReturnType<typeof Type.Object>) {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.get('/q', { schema: { querystring } }, async (request) => ({ query: request.query }));
  if (body) app.post('/b', { schema: { body } }, async (request) => ({ body: request.body }));
  const origin = await app.listen({ port: 0, host: '127.0.0.1' });
  // Real HTTP, as clients send it (light-my-request's inject pulls an ESM-only cookie parser into jest).
  const call = async (url: string, body?: unknown) => {
    const r = await fetch(`${origin}${url}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { statusCode: r.status, json: (await r.json()) as Record<string, unknown> };
  };
  running.push(app);
  return { call };
}

describe('the route validator', () => {
  it('converts integers, numbers and booleans in a query string to their types', async () => {
    const app = await appWith(
      Type.Object({
        per_page: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
        ratio: Type.Optional(Type.Number()),
        shared: Type.Optional(Type.Boolean()),
        cvid: Type.String(),
      }),
    );
    const r = await app.call('/q?cvid=9100&per_page=100&ratio=0.5&shared=true');
    expect(r.statusCode).toBe(200);
    expect(r.json).toEqual({ query: { cvid: '9100', per_page: 100, ratio: 0.5, shared: true } });
    const bad = await app.call('/q?cvid=9100&per_page=many');
    expect(bad.statusCode).toBe(400);
    // (The app's error handler turns this into Zoho's INVALID_DATA naming per_page: test/server/openapi.test.ts.)
    expect(JSON.stringify(bad.json)).toContain('per_page');
  });

  it('still converts where the schema has a part its service judges, and leaves that part alone', async () => {
    const app = await appWith(
      Type.Object({ page: Type.Optional(Type.Integer()) }),
      Type.Object({ n: Type.Integer(), settings: judgedByService(Type.Object({ x: Type.String() })) }),
    );
    expect((await app.call('/q?page=2')).json).toEqual({ query: { page: 2 } });
    const judged = await app.call('/b', { n: 1, settings: { x: 5 } });
    expect(judged.statusCode).toBe(200);
    // Bodies are never coerced: a text where an integer belongs is the client's error.
    const text = await app.call('/b', { n: '1', settings: {} });
    expect(text.statusCode).toBe(400);
  });
});
