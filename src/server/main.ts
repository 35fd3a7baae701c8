import { configFromEnv } from './config';
import { startServer } from './server';

async function main(): Promise<void> {
  const config = configFromEnv();
  const server = await startServer(config);
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `SQLite at ${server.storage.file}`;
  process.stdout.write(
    [
      `Casepane Cases API listening on ${server.url}`,
      `  storage: ${where}`,
      `  auth: ${config.auth.mode === 'local' ? `local issuer (signing keys in the database, shared by every API process on it); mint a token with: npm run token -- --email you@example.com --role agent` : `Microsoft Entra ID tenant ${config.auth.tenantId}`}`,
      `  API description: ${server.url}/openapi.json`,
      config.addinDir ? `  task pane: ${server.url}/taskpane.html` : '',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: Error) => {
  process.stderr.write(`Casepane could not start: ${error.message}\n`);
  process.exit(1);
});
