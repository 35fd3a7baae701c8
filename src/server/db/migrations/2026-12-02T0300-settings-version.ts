import { Kysely, sql } from 'kysely';

/**
 * One version number per group of settings that every node caches (issue 15, item 4). A change to the field layout
 * or the custom fields raises `fields` in its own transaction; a node compares its copy's number with this one
 * before it validates a write, so a change made on one node is enforced by every other from the next request.
 */
export function settingsVersions() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql
        .raw(`create table settings_versions (name text primary key, version integer not null)`)
        .execute(db);
      await sql.raw(`insert into settings_versions (name, version) values ('fields', 1)`).execute(db);
    },
  };
}
