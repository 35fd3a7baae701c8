import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ROOT } from '../../bench/lib/proc';

const run = promisify(execFile);

/**
 * `npm run token` as an operator runs it (`src/server/cli/mint-token.ts`), with the node's settings in `env`
 * (its DATA_DIR and DATABASE_URL): the token of any role, signed by the key that node's database holds.
 */
export async function cliToken(env: Record<string, string>, email: string, role = 'agent'): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'src/server/cli/mint-token.ts', '--email', email, '--role', role],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env } },
  );
  return stdout.trim();
}
