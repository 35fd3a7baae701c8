import { Kysely, sql } from 'kysely';
import type { Engine } from '../engine';
import { columnTypes } from './column-types';

/**
 * Which fields the pane's quick-create form shows (issue 16, item 1). Null where the admin never chose: the shared
 * QUICK_DEFAULTS decide, so a new default reaches organisations that kept theirs.
 */
export function fieldLayoutQuick(engine: Engine) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const { bool } = columnTypes(engine);
      await sql.raw(`alter table field_layout add column quick ${bool}`).execute(db);
    },
  };
}
