import { spawn, spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort, sleep } from '../../bench/lib/proc';

/** Debian's redis-server, when installed (`npm test` installs it as root). */
export const REDIS_SERVER =
  spawnSync('redis-server', ['--version']).status === 0 ? 'redis-server' : undefined;

/** A real Redis on a free loopback port with nothing on disk; `kill` takes it down (the store is "down"). */
export async function startRedis() {
  if (!REDIS_SERVER) throw new Error('redis-server is not installed (apt-get install redis-server)');
  const port = await freePort();
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  for (let tries = 0; ; tries++) {
    try {
      await client.connect();
      break;
    } catch (error) {
      if (tries > 100) throw error;
      await sleep(50);
    }
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    /** A client of its own, for looking at the keys the servers write. */
    client,
    async kill() {
      client.disconnect();
      child.kill('SIGKILL');
      await exited;
    },
  };
}
