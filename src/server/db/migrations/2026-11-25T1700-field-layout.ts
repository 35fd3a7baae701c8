import { Kysely, sql } from 'kysely';
import type { Engine } from '../engine';
import { columnTypes } from './column-types';

/** The organisation's field layout (seed step 1): order, hidden, read-only, and custom fields added in the app. */
export function fieldLayout(engine: Engine) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const { ts, bool } = columnTypes(engine);
      await sql
        .raw(
          `create table field_layout (
            api_name text primary key, position integer not null, hidden ${bool} not null, read_only ${bool} not null,
            custom_definition text, modified_time ${ts} not null)`,
        )
        .execute(db);
    },
  };
}
