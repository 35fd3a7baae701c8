import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../http/context';
import { userOf } from '../http/context';
import { apiError } from '../http/errors';
import { pageNumber } from '../http/paging';
import { crmErrors, judgedByService, Loose, NoContent, queryText, typed } from '../http/schema';
import { allowedPrivate } from './address-guard';
import {
  type ChannelContext,
  channelView,
  disableChannels,
  enableChannels,
  listChannels,
  updateChannels,
  watchItems,
  type WatchOutcome,
} from './channel.service';
import { MODULE } from './events';
import type { NotificationSettings } from './settings';

/** Any signed-in user may watch the cases they can read; the channel is theirs (channel.service.ts). */
const anyone = { permission: 'view' as const };
const PER_PAGE_MAX = 200;
const ID_LIST = /^[1-9][0-9]{0,18}(,[1-9][0-9]{0,18}){0,99}$/;

const WatchItem = Type.Object({
  channel_id: Type.String({
    pattern: '^[1-9][0-9]{0,18}$',
    description: 'Your number for the channel (a long)',
  }),
  events: Type.Array(
    Type.Union([
      Type.Literal('Cases.create'),
      Type.Literal('Cases.edit'),
      Type.Literal('Cases.delete'),
      Type.Literal('Cases.all'),
    ]),
  ),
  notify_url: Type.String({
    format: 'uri',
    description:
      'http(s); loopback, link-local, private and reserved addresses are refused unless NOTIFY_ALLOW_PRIVATE_HOSTS allows them',
  }),
  token: Type.Optional(
    Type.Union([Type.String({ maxLength: 50 }), Type.Null()], {
      description: 'Echoed in every callback body',
    }),
  ),
  channel_expiry: Type.Optional(
    Type.String({
      format: 'date-time',
      description: 'At most a day ahead; absent or later: an hour from now (as Zoho)',
    }),
  ),
  notify_on_related_action: Type.Optional(
    Type.Boolean({ description: 'Notes, emails, attachments... told as Cases.edit' }),
  ),
  return_affected_field_values: Type.Optional(
    Type.Boolean({ description: 'Callbacks of edits carry affected_values' }),
  ),
  _delete_events: Type.Optional(
    Type.Boolean({ description: 'PATCH: remove the events given instead of adding them' }),
  ),
});
// Each item is judged by channel.service (per item, json_path $.watch[i].field), so the schema documents it.
const WatchBody = Type.Object(
  { watch: Type.Array(judgedByService(WatchItem), { maxItems: 100 }) },
  { additionalProperties: true },
);
const WatchResult = Type.Object(
  {
    code: Type.Optional(Type.String()),
    details: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description:
          'events (channel_expiry, resource_uri, resource_name, channel_id); signing_secret on enable',
      }),
    ),
    message: Type.Optional(Type.String()),
    status: Type.Optional(Type.Union([Type.Literal('success'), Type.Literal('error')])),
  },
  { additionalProperties: true },
);
const WatchResults = (description: string) =>
  Type.Object({ watch: Type.Array(WatchResult) }, { additionalProperties: true, description });
// A 400 is per item ({watch: [...]}) or, for the body as a whole, Zoho's {code, details}: nothing required.
const refused = {
  ...crmErrors,
  400: Type.Object(
    { ...crmErrors[400].properties, watch: Type.Optional(Type.Array(WatchResult)) },
    {
      additionalProperties: true,
      description: 'Field-level refusal naming the api_name (json_path $.watch[i].field); nothing written',
    },
  ),
};
const tags = ['Notifications'];
const writeSchema = (summary: string, okStatus: 200 | 201, ok: string) => ({
  summary,
  tags,
  body: WatchBody,
  response: { [okStatus]: WatchResults(ok), ...refused },
});
const schemas = {
  enable: writeSchema(
    'Enable notifications of case changes (Zoho Notification API). Callbacks are POSTed after the commit with X-Casepane-Delivery-Id and X-Casepane-Signature: sha256=HMAC(signing_secret, body); retried with backoff',
    201,
    'Enabled',
  ),
  put: writeSchema('Replace channels of yours, by channel_id', 200, 'Updated'),
  patch: writeSchema(
    'Change only the given keys of channels of yours; events are added (removed with _delete_events)',
    200,
    'Updated',
  ),
  list: {
    summary: "Your channels (an admin: everyone's, without their signing secrets)",
    tags,
    querystring: Type.Object(
      {
        channel_id: queryText('Comma-separated channel ids'),
        module: queryText('Cases'),
        page: queryText('Page, from 1'),
        per_page: queryText('Channels a page, up to 200'),
      },
      { additionalProperties: true },
    ),
    response: {
      200: Type.Object(
        { watch: Type.Array(Loose()), info: Type.Optional(Loose()) },
        { additionalProperties: true, description: 'Channels' },
      ),
      204: NoContent('No channel'),
      ...crmErrors,
    },
  },
  disable: {
    summary: "Disable channels (yours; an admin: anyone's)",
    tags,
    querystring: Type.Object(
      { channel_ids: queryText('Comma-separated, up to 100') },
      { additionalProperties: true },
    ),
    response: { 200: WatchResults('Disabled'), ...refused },
  },
};

/** Zoho's Notification API: POST (enable), GET (details), PUT and PATCH (update), DELETE (disable). */
export function watchRoutes(
  root: FastifyInstance,
  deps: AppDeps,
  options: { settings: NotificationSettings; publicOrigin?: string },
): void {
  const app = typed(root);
  const allowed = allowedPrivate(options.settings.allowPrivateHosts);
  const contextOf = (request: FastifyRequest): ChannelContext => ({
    user: userOf(request),
    settings: options.settings,
    allowed,
    resourceBase: options.publicOrigin ?? `${request.protocol}://${request.host}`,
  });
  const answer = (reply: FastifyReply, outcome: WatchOutcome, okStatus: number) =>
    reply.code(outcome.ok ? okStatus : 400).send({ watch: outcome.results });
  const items = (body: unknown) => {
    const found = watchItems(body);
    if (!Array.isArray(found)) throw apiError(400, found.code, found.message, { api_name: found.api_name });
    return found;
  };

  app.post('/crm/v6/actions/watch', { config: anyone, schema: schemas.enable }, async (request, reply) =>
    answer(reply, await enableChannels(deps.storage, contextOf(request), items(request.body)), 201),
  );
  app.put('/crm/v6/actions/watch', { config: anyone, schema: schemas.put }, async (request, reply) =>
    answer(reply, await updateChannels(deps.storage, contextOf(request), items(request.body), 'put'), 200),
  );
  app.patch('/crm/v6/actions/watch', { config: anyone, schema: schemas.patch }, async (request, reply) =>
    answer(reply, await updateChannels(deps.storage, contextOf(request), items(request.body), 'patch'), 200),
  );

  app.get('/crm/v6/actions/watch', { config: anyone, schema: schemas.list }, async (request, reply) => {
    const { channel_id: channelId, module } = request.query;
    if (module !== undefined && module !== MODULE)
      throw apiError(400, 'INVALID_MODULE', `notifications are served for ${MODULE} only`, {
        api_name: 'module',
      });
    if (channelId !== undefined && !ID_LIST.test(channelId))
      throw apiError(400, 'INVALID_DATA', 'channel_id must be a channel id', { api_name: 'channel_id' });
    const page = pageNumber(request.query, 'page', 1, 10_000);
    const perPage = pageNumber(request.query, 'per_page', PER_PAGE_MAX, PER_PAGE_MAX);
    const ctx = contextOf(request);
    const rows = await listChannels(deps.storage.db, ctx.user, channelId?.split(','));
    const shown = rows.slice((page - 1) * perPage, page * perPage);
    if (shown.length === 0) return reply.code(204).send();
    return {
      watch: shown.map((row) => channelView(row, ctx.user, ctx.resourceBase)),
      info: { per_page: perPage, page, count: shown.length, more_records: rows.length > page * perPage },
    };
  });

  app.delete('/crm/v6/actions/watch', { config: anyone, schema: schemas.disable }, async (request, reply) => {
    const ids = request.query.channel_ids;
    if (ids === undefined)
      throw apiError(400, 'MANDATORY_NOT_FOUND', 'required parameter not found: channel_ids', {
        api_name: 'channel_ids',
      });
    if (!ID_LIST.test(ids))
      throw apiError(400, 'INVALID_DATA', 'channel_ids must be up to 100 channel ids, comma-separated', {
        api_name: 'channel_ids',
      });
    const unique = [...new Set(ids.split(','))];
    return answer(reply, await disableChannels(deps.storage, userOf(request), unique), 200);
  });
}
