import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Executor } from '../db/executor';
import { type OutboxHandler, PermanentFailure } from '../outbox/outbox';
import {
  type AllowedPrivate,
  allowedPrivate,
  guardedLookup,
  RefusedAddress,
  refusedAddress,
} from './address-guard';
import { type ChannelRow, channelById } from './channel.repository';
import type { NotificationJob } from './emit';
import { CALLBACK_OPERATION, MODULE } from './events';
import type { NotificationSettings } from './settings';
import { DELIVERY_ID_HEADER, SIGNATURE_HEADER, sign } from './signature';

export interface DeliveryResult {
  /** The receiver's HTTP status, or why nothing was sent (the channel is gone or has expired). */
  status?: number;
  skipped?: string;
}

/** The callback body as Zoho posts it to notify_url. */
export function callbackBody(channel: ChannelRow, job: NotificationJob, resourceBase: string): string {
  const url = new URL(channel.notify_url);
  return JSON.stringify({
    server_time: job.serverTime,
    ...(job.affectedValues ? { affected_values: job.affectedValues } : {}),
    query_params: Object.fromEntries(url.searchParams),
    module: MODULE,
    resource_uri: `${resourceBase}/crm/v6/${MODULE}`,
    ids: job.ids,
    affected_fields: job.affectedFields,
    operation: CALLBACK_OPERATION[job.operation],
    channel_id: channel.channel_id,
    token: channel.token,
  });
}

/** One POST, no redirect followed (a 3xx is a failure like any non-2xx), the connection's address checked. */
function post(
  target: URL,
  body: string,
  headers: Record<string, string>,
  options: { allowed: AllowedPrivate; timeoutMs: number },
): Promise<number> {
  const literal = target.hostname.replace(/^\[(.*)\]$/, '$1');
  // net never calls `lookup` for a literal address: check it here.
  if (net.isIP(literal)) {
    const refused = refusedAddress(literal, options.allowed);
    if (refused) return Promise.reject(new RefusedAddress(refused));
  }
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(options.allowed) as unknown as net.LookupFunction,
        timeout: options.timeoutMs,
        agent: false,
      },
      (response) => {
        response.resume(); // the receiver's answer is not read, only its status
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    // `timeout` is the socket's idle time; this bounds the whole exchange (a receiver that answers drop by drop).
    const deadline = setTimeout(
      () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    request.on('error', reject);
    request.on('close', () => clearTimeout(deadline));
    request.end(body);
  });
}

/**
 * Delivers queued callbacks. The channel is read at delivery: one disabled or expired since the change gets
 * nothing, and a changed notify_url or token applies to callbacks still waiting.
 */
export function notificationHandler(options: {
  db: Executor;
  settings: NotificationSettings;
  /** The origin of resource_uri (PUBLIC_ORIGIN, or the address the server listens on). */
  resourceBase: () => string;
}): OutboxHandler<NotificationJob, DeliveryResult> {
  const allowed = allowedPrivate(options.settings.allowPrivateHosts);
  return {
    async deliver(job) {
      const channel = await channelById(options.db, job.channelRowId);
      if (!channel) return { skipped: 'the channel was disabled' };
      if (channel.channel_expiry <= new Date().toISOString()) return { skipped: 'the channel has expired' };
      const body = callbackBody(channel, job, options.resourceBase());
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'Casepane-Notifications',
        [DELIVERY_ID_HEADER]: job.deliveryId,
        [SIGNATURE_HEADER]: sign(body, channel.secret),
      };
      let status: number;
      try {
        status = await post(new URL(channel.notify_url), body, headers, {
          allowed,
          timeoutMs: options.settings.timeoutMs,
        });
      } catch (error) {
        if (error instanceof RefusedAddress)
          throw new PermanentFailure(`notify_url refused: ${error.message}`);
        throw new Error(`notify_url did not answer: ${(error as Error).message.slice(0, 200)}`);
      }
      if (status < 200 || status > 299) throw new Error(`notify_url answered ${status}`);
      return { status };
    },
    async delivered(_trx, _job, result) {
      return result;
    },
    async failed() {
      // Given up (every retry failed, or the address is refused): the outbox row keeps the last error.
    },
  };
}
