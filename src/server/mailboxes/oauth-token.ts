import type { MailboxRow } from './mailbox.repository';
import { DEFAULT_SCOPE } from './mailbox-settings.service';

/**
 * Access tokens for mailboxes that sign in with the OAuth2 client-credentials grant (RFC 6749 §4.4), as Exchange
 * Online's app-only IMAP does (Microsoft: "Authenticate an IMAP, POP or SMTP connection using OAuth"): the
 * server asks the token endpoint itself, keeps the token until shortly before it expires, and asks again. A
 * token the IMAP server refused is forgotten, so the next attempt gets a new one.
 */

/** Renewed this long before expires_in runs out, so a connection never starts with a token about to lapse. */
const EARLY_MS = 60_000;
const TIMEOUT_MS = 10_000;
/** What a token answer may weigh: a few kB in practice. */
const MAX_ANSWER_BYTES = 64 * 1024;

interface Cached {
  token: string;
  expires: number;
  /** The settings it was issued for: changed settings (another secret) never reuse it. */
  settings: string;
}
const cache = new Map<string, Cached>();

/** The token endpoint answered with an error (invalid_client, …) or something that is not a token. */
export class TokenEndpointError extends Error {}

const settingsOf = (m: MailboxRow) =>
  JSON.stringify([m.oauth_token_url, m.oauth_client_id, m.oauth_client_secret, m.oauth_scope]);

/** The access token to sign in with: client credentials first, then a stored token; undefined for a password. */
export async function accessTokenFor(mailbox: MailboxRow, now = Date.now()): Promise<string | undefined> {
  if (!mailbox.oauth_token_url || !mailbox.oauth_client_id || !mailbox.oauth_client_secret)
    return mailbox.access_token ?? undefined;
  const key = String(mailbox.id);
  const settings = settingsOf(mailbox);
  const cached = cache.get(key);
  if (cached && cached.settings === settings && cached.expires - EARLY_MS > now) return cached.token;
  const { token, expiresIn } = await requestToken(mailbox);
  cache.set(key, { token, expires: now + expiresIn * 1000, settings });
  return token;
}

/** After the IMAP server refused the token: the next accessTokenFor asks the endpoint again. */
export function forgetToken(mailboxId: string): void {
  cache.delete(mailboxId);
}

async function requestToken(mailbox: MailboxRow): Promise<{ token: string; expiresIn: number }> {
  const url = mailbox.oauth_token_url as string;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: mailbox.oauth_client_id as string,
      client_secret: mailbox.oauth_client_secret as string,
      scope: mailbox.oauth_scope ?? DEFAULT_SCOPE,
    }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
    redirect: 'error',
  });
  const text = await boundedText(response);
  let answer: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      answer = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: reported below by status.
  }
  const token = answer.access_token;
  if (response.ok && typeof token === 'string' && token && token.length <= 16_384) {
    const expiresIn = Number(answer.expires_in);
    // RFC 6749 §5.1: expires_in is RECOMMENDED; without it, an hour (what Entra issues).
    return { token, expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600 };
  }
  // The endpoint's own words (RFC 6749 §5.2 error and error_description), never the secret sent to it.
  const said = [answer.error, answer.error_description].filter((v) => typeof v === 'string').join(': ');
  throw new TokenEndpointError(
    `the OAuth2 token endpoint refused the client credentials (HTTP ${response.status}${said ? `: ${said.slice(0, 300)}` : ''})`,
  );
}

async function boundedText(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw new TokenEndpointError('the OAuth2 token endpoint answered with more than 64 KiB');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
