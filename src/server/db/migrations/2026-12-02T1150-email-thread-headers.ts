import { Kysely, sql } from 'kysely';

/**
 * The thread headers of a linked message (issue 11, section 2): In-Reply-To and References as the pane reads them
 * with getAllInternetHeadersAsync and the mailbox capture parses them, so a link keeps what threaded it.
 * References is a JSON array of normalised Message-IDs; both null for links made before this or without headers.
 */
export function emailThreadHeaders() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql.raw(`alter table email_links add column in_reply_to text`).execute(db);
      await sql.raw(`alter table email_links add column references_json text`).execute(db);
    },
  };
}
