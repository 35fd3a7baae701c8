import type { JWK } from 'jose';
import type { Executor } from '../db/executor';

/** The local issuer's keys as stored in signing_keys (see the table's comments in db/schema.ts). */
export interface StoredSigningKey {
  kid: string;
  keyNumber: number | null;
  privateJwk: JWK | null;
  publicJwk: JWK;
  createdTime: string;
  signsUntil: string;
  notAfter: string;
}

/** Every key that still verifies at `now` (ISO time), newest generation first, imported keys last. */
export async function liveSigningKeys(db: Executor, now: string): Promise<StoredSigningKey[]> {
  const rows = await db.selectFrom('signing_keys').selectAll().where('not_after', '>', now).execute();
  return rows
    .map((row) => ({
      kid: row.kid,
      keyNumber: row.key_number === null ? null : Number(row.key_number),
      privateJwk: row.private_jwk === null ? null : (JSON.parse(row.private_jwk) as JWK),
      publicJwk: JSON.parse(row.public_jwk) as JWK,
      createdTime: row.created_time,
      signsUntil: row.signs_until,
      notAfter: row.not_after,
    }))
    .sort((a, b) => (b.keyNumber ?? -1) - (a.keyNumber ?? -1) || a.kid.localeCompare(b.kid));
}

/**
 * Store a key unless its generation (or kid) is taken. Several processes rotating at once all insert the number
 * after the newest they read; one row wins and the others change nothing, then everyone reads the winner back.
 */
export async function insertSigningKey(db: Executor, key: StoredSigningKey): Promise<void> {
  await db
    .insertInto('signing_keys')
    .values({
      kid: key.kid,
      key_number: key.keyNumber,
      private_jwk: key.privateJwk === null ? null : JSON.stringify(key.privateJwk),
      public_jwk: JSON.stringify(key.publicJwk),
      created_time: key.createdTime,
      signs_until: key.signsUntil,
      not_after: key.notAfter,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/**
 * Erase the private half of every key that no longer signs, and drop keys that no longer verify: the database
 * then holds one usable private key (two while a rotation is under way), not every key ever made.
 */
export async function retireSigningKeys(db: Executor, now: string): Promise<void> {
  await db
    .updateTable('signing_keys')
    .set({ private_jwk: null })
    .where('signs_until', '<=', now)
    .where('private_jwk', 'is not', null)
    .execute();
  await db.deleteFrom('signing_keys').where('not_after', '<=', now).execute();
}
