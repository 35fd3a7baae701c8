import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { FieldDefinition } from '../../shared/case-fields';
import type { Storage } from '../db/database';
import type { AppDeps } from '../http/context';
import { recordIdParam } from '../http/envelope';
import {
  crmErrors,
  IdParams,
  judgedByService,
  Loose,
  notFound,
  RecordsBody,
  SuccessReply,
  typed,
  ZohoError,
} from '../http/schema';
import { renderForm, renderThanks, textFor, escapeHtml } from './webform.page';
import { apiError, HttpError, recordError, recordErrors } from '../http/errors';
import { LIMIT_KEY_PREFIX, type LimitStore } from '../http/limit-store';
import { formPairs } from '../http/text-input';
import {
  createWebForm,
  deactivateWebForm,
  formByKey,
  listWebForms,
  PostedForm,
  readSubmission,
  submitWebForm,
} from './webform.service';

const FORM_BODY_LIMIT = 200 * 1024;
// The page has no script; it may be framed anywhere (the embeddable snippet is an iframe).
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'";

const tags = ['Web forms'];
const adminSchemas = {
  list: {
    summary: 'Web-to-Case forms, each with its url and an embeddable snippet (admin)',
    tags,
    response: {
      200: Type.Object(
        { web_forms: Type.Array(Loose()) },
        { additionalProperties: true, description: 'Forms' },
      ),
      ...crmErrors,
    },
  },
  create: {
    summary: 'Add a Web-to-Case form: name, fields shown, language, return_url (admin)',
    tags,
    body: RecordsBody(1),
    response: { 201: SuccessReply('data', 'Added: details is the form with url and snippet'), ...crmErrors },
  },
  delete: {
    summary: 'Turn a form off (admin)',
    tags,
    params: IdParams,
    response: { 200: SuccessReply('data', 'Turned off'), ...notFound, ...crmErrors },
  },
};
const page = (description: string) => ({
  description,
  content: { 'text/html': { schema: Type.String() } },
});
const KeyParams = Type.Object({ key: Type.String({ description: 'The form key of its public URL' }) });
const publicSchemas = {
  show: {
    summary: 'The public Web-to-Case page (HTML, no script)',
    tags,
    security: [],
    params: KeyParams,
    response: { 200: page('The form'), 404: page('No such form, or turned off') },
  },
  submit: {
    summary:
      "Submit a Web-to-Case form: urlencoded from the page (answered in HTML, 303 to return_url), or JSON (answered in Zoho's shape); rate-limited per IP",
    tags,
    security: [],
    params: KeyParams,
    // The form's own fields, judged by readSubmission() against the form (per field, Zoho's shape in JSON).
    body: {
      content: {
        'application/json': {
          schema: judgedByService(Loose("The form's fields by api_name")),
        },
        'application/x-www-form-urlencoded': {
          schema: judgedByService(Loose("The form's fields by api_name")),
        },
      },
    },
    response: {
      201: SuccessReply('data', 'Case added: details.Case_Number (JSON)'),
      200: page('Thanks page'),
      303: Type.Null({ description: "To the form's return_url with ?case=" }),
      400: ZohoError('Field errors (JSON), or the form again with them (HTML)'),
      404: ZohoError('No such form, or turned off'),
      429: ZohoError('Too many submissions from this address'),
    },
  },
};

/** Admin side of Web-to-Case, under /crm (authenticated, admin role). */
export function webFormAdminRoutes(
  root: FastifyInstance,
  deps: AppDeps,
  publicOrigin: string | undefined,
): void {
  const app = typed(root);
  const { db, dialect } = deps.storage;
  const admin = { permission: 'admin' as const };
  const withLinks = (f: Awaited<ReturnType<typeof listWebForms>>[number], request: FastifyRequest) => {
    const url = `${publicOrigin ?? `${request.protocol}://${request.host}`}/forms/${f.form_key}`;
    return {
      ...f,
      url,
      snippet: `<iframe src="${escapeHtml(url)}" title="${escapeHtml(f.name)}" style="width:100%;min-height:640px;border:0"></iframe>`,
    };
  };
  app.get('/crm/v6/settings/web_forms', { config: admin, schema: adminSchemas.list }, async (request) => ({
    web_forms: (await listWebForms(db)).map((f) => withLinks(f, request)),
  }));
  app.post(
    '/crm/v6/settings/web_forms',
    { config: admin, schema: adminSchemas.create },
    async (request, reply) => {
      const [input] = request.body.data;
      const form = await deps.storage.write((trx) => createWebForm(trx, dialect, deps.fields, input));
      return reply.code(201).send({
        data: [
          { code: 'SUCCESS', details: withLinks(form, request), message: 'form added', status: 'success' },
        ],
      });
    },
  );
  app.delete(
    '/crm/v6/settings/web_forms/:id',
    { config: admin, schema: adminSchemas.delete },
    async (request) => {
      const id = recordIdParam(request.params.id);
      await deps.storage.write((trx) => deactivateWebForm(trx, dialect, id));
      return { data: [{ code: 'SUCCESS', details: { id }, message: 'form turned off', status: 'success' }] };
    },
  );
}

const isJson = (request: FastifyRequest) =>
  /^\s*application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '');

/**
 * The public pages: GET shows the form, POST creates the case. Per-IP rate limit, honeypot, size limit. A submission
 * posted as JSON is answered in JSON (Zoho's shape), so a script gets field errors it can read; the page's own
 * urlencoded posts get HTML.
 */
export async function webFormPublicRoutes(
  app: FastifyInstance,
  storage: Storage,
  currentFields: () => readonly FieldDefinition[],
  { perMinute, limits }: { perMinute: number; limits: LimitStore },
): Promise<void> {
  await app.register(async (scope) => {
    const pub = typed(scope);
    // Decoded by hand rather than with URLSearchParams, which turns bytes that are not UTF-8 into U+FFFD unseen.
    pub.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'buffer', bodyLimit: FORM_BODY_LIMIT },
      (_request, body, done) => {
        done(null, new PostedForm(formPairs(body as Buffer)));
      },
    );
    await pub.register(rateLimit, {
      max: perMinute,
      timeWindow: 60_000,
      keyGenerator: (request) => request.ip,
      redis: limits.redis,
      nameSpace: `${LIMIT_KEY_PREFIX}webform:`,
      skipOnError: true,
      errorResponseBuilder: () => ({ statusCode: 429, message: 'rate limited' }),
    });
    pub.setErrorHandler(async (error: { statusCode?: number; message?: string }, request, reply) => {
      const status =
        error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      if (status === 500) request.log.error({ err: error }, 'web form failed');
      if (isJson(request)) {
        if (error instanceof HttpError) return reply.code(error.statusCode).send(error.body);
        return reply.code(status).send({
          code: status === 429 ? 'TOO_MANY_REQUESTS' : status === 500 ? 'INTERNAL_ERROR' : 'INVALID_DATA',
          details: {},
          message:
            status === 500 ? 'unexpected server error' : (error.message ?? 'the form could not be sent'),
          status: 'error',
        });
      }
      const form = await formByKey(storage.db, (request.params as { key?: string }).key ?? '').catch(
        () => undefined,
      );
      const t = textFor(form?.language ?? 'en');
      const notice = status === 429 ? t.busy : status === 413 ? t.tooBig : 'The form could not be sent.';
      reply.code(status).header('content-security-policy', PAGE_CSP).type('text/html; charset=utf-8');
      return form ? renderForm(form, currentFields(), new Map(), [], notice) : notice;
    });

    pub.get('/forms/:key', { schema: publicSchemas.show }, async (request, reply) => {
      const form = await formByKey(storage.db, request.params.key);
      reply.header('content-security-policy', PAGE_CSP).type('text/html; charset=utf-8');
      if (!form) return reply.code(404).send('This form does not exist or has been turned off.');
      return renderForm(form, currentFields());
    });

    pub.post('/forms/:key', { schema: publicSchemas.submit }, async (request, reply) => {
      const json = isJson(request);
      const form = await formByKey(storage.db, request.params.key);
      if (!json) reply.header('content-security-policy', PAGE_CSP).type('text/html; charset=utf-8');
      const added = (caseNumber: string) =>
        reply.code(201).send({
          data: [
            {
              code: 'SUCCESS',
              details: { Case_Number: caseNumber },
              message: 'case added',
              status: 'success',
            },
          ],
        });
      if (!form) {
        if (json)
          throw apiError(404, 'INVALID_URL_PATTERN', 'this form does not exist or has been turned off', {});
        return reply.code(404).send('This form does not exist or has been turned off.');
      }
      const submission = readSubmission(form, request.body);
      // A bot fills every field, including the one people never see: accept quietly, store nothing.
      if (submission.bot) return json ? added('—') : renderThanks(form, '—');
      const result = submission.errors.length
        ? { ok: false as const, errors: submission.errors }
        : await storage.write((trx) =>
            submitWebForm(trx, storage.dialect, currentFields(), form, submission.values),
          );
      if (!result.ok) {
        if (json) throw recordErrors(400, [recordError(result.errors, 0)]);
        return reply.code(400).send(renderForm(form, currentFields(), submission.values, result.errors));
      }
      if (json) return added(result.caseNumber);
      if (form.return_url)
        return reply.redirect(
          `${form.return_url}${form.return_url.includes('?') ? '&' : '?'}case=${result.caseNumber}`,
          303,
        );
      return renderThanks(form, result.caseNumber);
    });
  });
}
