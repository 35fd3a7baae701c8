import { Kysely, sql } from 'kysely';

/**
 * A support mailbox that signs in with the OAuth2 client-credentials grant (Exchange Online's app-only IMAP,
 * issue 11): the token endpoint, the app's client id and secret, and the scope. The server asks for an access
 * token itself and again when it expires, so nobody pastes an hour-long token into the settings.
 */
export function mailboxOAuth() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const column of ['oauth_token_url', 'oauth_client_id', 'oauth_client_secret', 'oauth_scope'])
        await sql.raw(`alter table mailboxes add column ${column} text`).execute(db);
    },
  };
}
