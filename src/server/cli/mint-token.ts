import { parseArgs } from 'node:util';
import { isRole } from '../auth/roles';
import { openLocalIssuer } from '../auth/local-issuer';
import { configFromEnv } from '../config';
import { isValidEmail } from '../../shared/validation';

/** npm run token -- --email agent@example.com --role agent [--name "Anna Nowak"] [--hours 12] */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      role: { type: 'string', default: 'agent' },
      name: { type: 'string' },
      hours: { type: 'string', default: '12' },
    },
  });
  const config = configFromEnv();
  if (config.auth.mode !== 'local')
    throw new Error('tokens are minted only for the embedded default (AUTH_MODE=local)');
  if (!values.email || !isValidEmail(values.email)) throw new Error('--email must be an email address');
  if (!isRole(values.role)) throw new Error('--role must be viewer, agent, manager or admin');
  const hours = Number(values.hours);
  if (!(hours > 0 && hours <= 24 * 365)) throw new Error('--hours must be between 0 and 8760');
  const issuer = await openLocalIssuer(config.dataDir);
  process.stdout.write(
    `${await issuer.mint({ email: values.email, name: values.name, role: values.role, ttlSeconds: Math.round(hours * 3600) })}\n`,
  );
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
