import http from 'node:http';
import type net from 'node:net';

/**
 * A small round-robin HTTP proxy in front of several API nodes, standing in for the load balancer a team puts
 * there (nginx, HAProxy, a cloud LB). Each request goes to the next node; the proxy adds `X-Forwarded-For` /
 * `X-Forwarded-Proto` as they do, and names the node that answered in `x-served-by` so a test can see that every
 * node took part. A node that refuses the connection is skipped for that request and the next one is tried —
 * nginx's `proxy_next_upstream error`: safe, because nothing of the request reached the dead node. A node that
 * dies while it holds a request gives the client a 502, as a real balancer does; the client decides to retry.
 */
export interface RoundRobinProxy {
  url: string;
  /** How many requests each node answered, by node URL. */
  servedBy: Map<string, number>;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host']);

function forward(
  target: string,
  req: http.IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name)) headers[name] = value;
  const peer = (req.socket as net.Socket).remoteAddress ?? '127.0.0.1';
  headers['x-forwarded-for'] = req.headers['x-forwarded-for']
    ? `${String(req.headers['x-forwarded-for'])}, ${peer}`
    : peer;
  headers['x-forwarded-proto'] = 'https';
  headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const upstream = http.request(`${target}${req.url ?? '/'}`, { method: req.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    upstream.on('error', reject);
    upstream.end(body);
  });
}

export async function startRoundRobinProxy(targets: readonly string[]): Promise<RoundRobinProxy> {
  let next = 0;
  const servedBy = new Map<string, number>(targets.map((t) => [t, 0]));
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const start = next++;
      for (let tried = 0; tried < targets.length; tried++) {
        const target = targets[(start + tried) % targets.length];
        try {
          const answer = await forward(target, req, body);
          servedBy.set(target, (servedBy.get(target) ?? 0) + 1);
          const headers = { ...answer.headers, 'x-served-by': target };
          delete headers['transfer-encoding'];
          delete headers.connection;
          res.writeHead(answer.status, headers).end(answer.body);
          return;
        } catch (error) {
          // Refused: the node is down and saw nothing, so the next node may take the request.
          if ((error as NodeJS.ErrnoException).code === 'ECONNREFUSED') continue;
          res.writeHead(502, { 'content-type': 'text/plain' }).end(`upstream ${target} failed`);
          return;
        }
      }
      res.writeHead(502, { 'content-type': 'text/plain' }).end('no upstream answered');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    servedBy,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
