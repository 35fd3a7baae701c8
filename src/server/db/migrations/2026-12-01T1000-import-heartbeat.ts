import { Kysely, sql } from 'kysely';
import type { Engine } from '../engine';
import { columnTypes } from './column-types';

/**
 * A running import refreshes heartbeat_time while it works, so an import whose process died (a crash, kill -9,
 * a restart) is told from one still running on another process or node, and marked failed.
 */
export function importHeartbeat(engine: Engine) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const { ts } = columnTypes(engine);
      await sql.raw(`alter table imports add column heartbeat_time ${ts}`).execute(db);
      await sql.raw(`update imports set heartbeat_time = created_time`).execute(db);
    },
  };
}
