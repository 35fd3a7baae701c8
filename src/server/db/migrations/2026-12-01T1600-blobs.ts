import { Kysely, sql } from 'kysely';
import type { Engine } from '../engine';
import { columnTypes } from './column-types';

/**
 * Attachment bytes in the database (BLOB_STORE=postgres), for teams with several API nodes and no object storage.
 * Keyed by the content's sha256 like the other stores, so the same bytes are stored once. Created on SQLite too,
 * as a blob column, so both engines keep one schema; the API only uses it on PostgreSQL (on SQLite the database
 * file is one node's anyway, and DATA_DIR/blobs beside it does the same job without growing the file).
 */
export function attachmentBlobs(engine: Engine) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const { ts } = columnTypes(engine);
      const bytes = engine === 'postgres' ? 'bytea' : 'blob';
      await sql
        .raw(
          `create table attachment_blobs (
            blob_key text primary key, size bigint not null, content ${bytes} not null, created_time ${ts} not null)`,
        )
        .execute(db);
      if (engine === 'postgres')
        // The bytes are already compressed more often than not (images, PDFs, Office files): storing them as they
        // are spares the CPU of compressing each write and decompressing each read.
        await sql.raw(`alter table attachment_blobs alter column content set storage external`).execute(db);
    },
  };
}
