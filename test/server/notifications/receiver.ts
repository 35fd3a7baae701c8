import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One callback as the receiver got it: the raw body (what the signature covers), its headers, and it parsed. */
export interface Received {
  deliveryId: string;
  signature: string | undefined;
  raw: string;
  body: {
    server_time: number;
    module: string;
    resource_uri: string;
    ids: string[];
    affected_fields: Record<string, string[]>[];
    affected_values?: Record<string, unknown>[];
    operation: 'insert' | 'update' | 'delete';
    channel_id: string;
    token: string | null;
    query_params: Record<string, string>;
  };
}

/**
 * A real HTTP receiver on loopback, as a client of the Notification API runs one: it records every callback, and
 * can be stopped (connections refused) and started again on the same port, as a receiver that goes down would.
 */
export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** What it answers: 200 by default. */
  status: number;
  /** Milliseconds it waits before answering. */
  delayMs: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(port = 0): Promise<Receiver> {
  let server: http.Server | undefined;
  const sockets = new Set<import('node:net').Socket>();
  const receiver: Receiver = {
    url: '',
    port,
    received: [],
    status: 200,
    delayMs: 0,
    async start() {
      server = http.createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (c: Buffer) => chunks.push(c));
        request.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const answer = () => {
            if (receiver.status >= 200 && receiver.status < 300)
              receiver.received.push({
                deliveryId: String(request.headers['x-casepane-delivery-id']),
                signature: request.headers['x-casepane-signature'] as string | undefined,
                raw,
                body: JSON.parse(raw) as Received['body'],
              });
            response.writeHead(
              receiver.status,
              receiver.status === 302 ? { location: 'http://127.0.0.1:9/' } : {},
            );
            response.end('ok');
          };
          if (receiver.delayMs) setTimeout(answer, receiver.delayMs);
          else answer();
        });
      });
      server.on('connection', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      await new Promise<void>((resolve) => server!.listen(receiver.port, '127.0.0.1', resolve));
      receiver.port = (server.address() as AddressInfo).port;
      receiver.url = `http://127.0.0.1:${receiver.port}/hook`;
    },
    async stop() {
      const s = server;
      server = undefined;
      if (!s) return;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    close() {
      return receiver.stop();
    },
  };
  await receiver.start();
  return receiver;
}

/** The callbacks once duplicates (the same delivery id, at-least-once) are dropped. */
export function deduplicated(received: Received[]): Received[] {
  const seen = new Map<string, Received>();
  for (const r of received) if (!seen.has(r.deliveryId)) seen.set(r.deliveryId, r);
  return [...seen.values()];
}
