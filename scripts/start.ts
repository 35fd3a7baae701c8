/**
 * `npm start`: the Cases API on its embedded default (SQLite under ./data, local sign-in) on http://localhost:3001
 * and the task pane on https://localhost:3000 (webpack dev server, proxying the API), then how to sideload.
 * Ctrl-C stops both. `npm run start:api` starts the API alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const apiPort = process.env.PORT || '3001';
const panePort = process.env.DEV_SERVER_PORT || '3000';
const children: ChildProcess[] = [];

function run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => `[${name}] ${line}\n`)
      .join('');
  child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(prefix(chunk)));
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(prefix(chunk)));
  child.on('exit', (code) => {
    if (!stopping) {
      process.stderr.write(`[${name}] stopped (exit ${code}); stopping Casepane\n`);
      stop(code ?? 1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
function stop(code = 0): void {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

// The local sign-in answers only the pane's origin: the dev server's, wherever DEV_SERVER_PORT put it.
run('api', process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
  PORT: apiPort,
  LOCAL_SIGNIN_ORIGINS: process.env.LOCAL_SIGNIN_ORIGINS || `https://localhost:${panePort}`,
});
const pane = run(
  'pane',
  process.execPath,
  [path.join(root, 'node_modules', 'webpack-cli', 'bin', 'cli.js'), 'serve', '--mode', 'development'],
  {
    BACKEND_PORT: apiPort,
    DEV_SERVER_PORT: panePort,
  },
);

let announced = false;
pane.stdout?.on('data', (chunk: Buffer) => {
  if (announced || !/compiled/i.test(chunk.toString())) return;
  announced = true;
  process.stdout.write(
    [
      '',
      `Casepane is running.`,
      `  Task pane:  https://localhost:${panePort}/taskpane.html   (API proxied to http://localhost:${apiPort})`,
      `  API:        http://localhost:${apiPort}   (OpenAPI at /openapi.json)`,
      '',
      'Sideload the add-in (manifest.xml in this folder):',
      '  Outlook on the web / new Outlook: Get Add-ins → My add-ins → Add a custom add-in → Add from file → manifest.xml',
      '  Outlook desktop (Windows/Mac):    npx office-addin-debugging start manifest.xml desktop --app outlook',
      '  The dev certificate comes from office-addin-dev-certs; trust it once with: npx office-addin-dev-certs install',
      '',
      'Ctrl-C stops both.',
      '',
    ].join('\n'),
  );
});
