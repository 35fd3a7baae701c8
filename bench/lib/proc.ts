import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
/**
 * Where the server's sources are taken from: this checkout, or BENCH_SERVER_ROOT (e.g. a `git archive` of a
 * commit, with node_modules linked) to measure a fixed revision while the work tree is being edited.
 */
export const SERVER_ROOT = process.env.BENCH_SERVER_ROOT ? path.resolve(process.env.BENCH_SERVER_ROOT) : ROOT;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** Lines the server wrote to stderr (kept for failure reports; bounded). */
  stderr: string[];
  stop(): Promise<void>;
  kill9(): Promise<void>;
}

export interface SpawnOptions {
  dataDir: string;
  databaseUrl?: string;
  port?: number;
  env?: Record<string, string>;
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=…']. */
  nodeFlags?: string[];
}

/**
 * The real server as its own process (`node --import tsx src/server/main.ts`): the load generator never shares
 * its event loop, and the pid is the server's own (RSS sampling, kill -9).
 */
export async function spawnServer(options: SpawnOptions): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(
    process.execPath,
    [...(options.nodeFlags ?? []), '--import', 'tsx', path.join(SERVER_ROOT, 'src/server/main.ts')],
    {
      cwd: SERVER_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: options.dataDir,
        ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
        LOG_LEVEL: 'warn',
        RATE_LIMIT_PER_MINUTE: '100000000',
        ...options.env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const stderr: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    if (stderr.length < 200) stderr.push(chunk);
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(
        `server exited (${child.exitCode ?? child.signalCode}): ${stderr.join('').slice(0, 2000)}`,
      );
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server at ${url} did not become healthy in 60 s: ${stderr.join('').slice(0, 2000)}`);
    }
    await sleep(50);
  }
  const done = () => child.exitCode !== null || child.signalCode !== null;
  return {
    url,
    port,
    pid: child.pid as number,
    child,
    stderr,
    async stop() {
      if (done()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
    async kill9() {
      if (done()) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Resident set size of a process in bytes (VmRSS), or undefined when it is gone. */
export function rssOf(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export interface RssSampler {
  stop(): { maxBytes: number; lastBytes: number; samples: number };
}

/** Sample a process's VmRSS every `everyMs` until stopped. */
export function sampleRss(pid: number, everyMs = 200): RssSampler {
  let max = 0;
  let last = 0;
  let samples = 0;
  const take = () => {
    const v = rssOf(pid);
    if (v === undefined) return;
    last = v;
    max = Math.max(max, v);
    samples++;
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { maxBytes: max, lastBytes: last, samples };
    },
  };
}
