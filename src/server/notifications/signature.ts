import crypto from 'node:crypto';

/**
 * Every callback is signed so its receiver can tell it came from this server and was not altered:
 * `X-Casepane-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes, keyed with the channel's signing_secret>`.
 * The secret is the server's choice (given once, when the channel is enabled, and to its owner in GET), not the
 * channel's `token`: the token travels in every body, so anyone who saw one body could sign with it.
 */
export const SIGNATURE_HEADER = 'x-casepane-signature';
/** The same on every retry of a callback: receivers drop the duplicates of at-least-once delivery by it. */
export const DELIVERY_ID_HEADER = 'x-casepane-delivery-id';

export function newSigningSecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function sign(body: string, secret: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** For receivers (and tests): compares in constant time. */
export function verifySignature(body: string, secret: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(sign(body, secret));
  const given = Buffer.from(header);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}
