import { parseArgs } from 'node:util';
import { isRole } from '../auth/roles';
import { mintLocalToken } from '../auth/local-issuer';
import { configFromEnv } from '../config';
import { isValidEmail } from '../../shared/validation';

/**
 * npm run token -- --email agent@example.com --role agent [--name "Anna Nowak"] [--hours 12]
 * Signs with the keys in the database DATA_DIR / DATABASE_URL name, the same keys every API process on it uses.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      role: { type: 'string', default: 'agent' },
      name: { type: 'string' },
      hours: { type: 'string' },
    },
  });
  const config = configFromEnv();
  if (config.auth.mode !== 'local')
    throw new Error('tokens are minted only for the embedded default (AUTH_MODE=local)');
  if (!values.email || !isValidEmail(values.email)) throw new Error('--email must be an email address');
  if (!isRole(values.role)) throw new Error('--role must be viewer, agent, manager or admin');
  const maxHours = config.localKeys.maxTokenSeconds / 3600;
  const hours = values.hours === undefined ? Math.min(12, maxHours) : Number(values.hours);
  if (!(hours > 0 && hours <= maxHours))
    throw new Error(`--hours must be above 0 and at most ${maxHours} (LOCAL_TOKEN_MAX_HOURS)`);
  const token = await mintLocalToken(
    { dataDir: config.dataDir, databaseUrl: config.databaseUrl, settings: config.localKeys },
    { email: values.email, name: values.name, role: values.role, ttlSeconds: Math.round(hours * 3600) },
  );
  process.stdout.write(`${token}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
