import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../http/context';
import { userOf } from '../http/context';
import { apiError } from '../http/errors';
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

type ListQuery = { Querystring: { channel_id?: string; module?: string; page?: string; per_page?: string } };
type DeleteQuery = { Querystring: { channel_ids?: string } };

/** Any signed-in user may watch the cases they can read; the channel is theirs (channel.service.ts). */
const anyone = { config: { permission: 'view' as const } };
const PER_PAGE_MAX = 200;
const ID_LIST = /^[1-9][0-9]{0,18}(,[1-9][0-9]{0,18}){0,99}$/;

function pageParam(value: string | undefined, name: string, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > max)
    throw apiError(400, 'INVALID_DATA', `${name} must be a whole number from 1 to ${max}`, {
      api_name: name,
    });
  return n;
}

/** Zoho's Notification API: POST (enable), GET (details), PUT and PATCH (update), DELETE (disable). */
export function watchRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  options: { settings: NotificationSettings; publicOrigin?: string },
): void {
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

  app.post('/crm/v6/actions/watch', anyone, async (request, reply) =>
    answer(reply, await enableChannels(deps.storage, contextOf(request), items(request.body)), 201),
  );
  app.put('/crm/v6/actions/watch', anyone, async (request, reply) =>
    answer(reply, await updateChannels(deps.storage, contextOf(request), items(request.body), 'put'), 200),
  );
  app.patch('/crm/v6/actions/watch', anyone, async (request, reply) =>
    answer(reply, await updateChannels(deps.storage, contextOf(request), items(request.body), 'patch'), 200),
  );

  app.get<ListQuery>('/crm/v6/actions/watch', anyone, async (request, reply) => {
    const { channel_id: channelId, module } = request.query;
    if (module !== undefined && module !== MODULE)
      throw apiError(400, 'INVALID_MODULE', `notifications are served for ${MODULE} only`, {
        api_name: 'module',
      });
    if (channelId !== undefined && !ID_LIST.test(channelId))
      throw apiError(400, 'INVALID_DATA', 'channel_id must be a channel id', { api_name: 'channel_id' });
    const page = pageParam(request.query.page, 'page', 10_000, 1);
    const perPage = pageParam(request.query.per_page, 'per_page', PER_PAGE_MAX, PER_PAGE_MAX);
    const ctx = contextOf(request);
    const rows = await listChannels(deps.storage.db, ctx.user, channelId?.split(','));
    const shown = rows.slice((page - 1) * perPage, page * perPage);
    if (shown.length === 0) return reply.code(204).send();
    return {
      watch: shown.map((row) => channelView(row, ctx.user, ctx.resourceBase)),
      info: { per_page: perPage, page, count: shown.length, more_records: rows.length > page * perPage },
    };
  });

  app.delete<DeleteQuery>('/crm/v6/actions/watch', anyone, async (request, reply) => {
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
