import { Kysely, sql } from 'kysely';
import type { Engine } from '../engine';
import { columnTypes } from './column-types';

/**
 * The local issuer's signing keys move from each node's DATA_DIR/auth/signing-key.json into the database, so every
 * API process on one database signs and verifies with the same keys (issue 15, item 1). key_number is unique: when
 * several processes rotate at once, each inserts the next number with "on conflict do nothing" and all read back
 * the one row that won. SQLite and PostgreSQL both allow many NULLs in a unique column (imported keys).
 */
export function signingKeys(engine: Engine) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const { ts } = columnTypes(engine);
      await sql
        .raw(
          `create table signing_keys (
            kid text primary key, key_number integer unique, private_jwk text, public_jwk text not null,
            created_time ${ts} not null, signs_until ${ts} not null, not_after ${ts} not null)`,
        )
        .execute(db);
    },
  };
}
