import type { Transaction } from 'kysely';
import type { Dialect } from '../db/dialect';
import type { Executor } from '../db/executor';
import type { Database } from '../db/schema';

/** The field layout and custom field definitions (table field_layout), and the version every node's copy checks. */

export const layoutRows = (db: Executor) => db.selectFrom('field_layout').selectAll().execute();

export async function fieldsVersion(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('settings_versions')
    .select('version')
    .where('name', '=', 'fields')
    .executeTakeFirst();
  return row?.version ?? 0;
}

/** Called in every transaction that changes the layout or the custom fields. */
export async function raiseFieldsVersion(trx: Transaction<Database>): Promise<void> {
  await trx
    .updateTable('settings_versions')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('name', '=', 'fields')
    .execute();
}

export async function lastPosition(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('field_layout')
    .select((eb) => eb.fn.max('position').as('last'))
    .executeTakeFirst();
  return Number(row?.last ?? 0);
}

export interface LayoutPlacement {
  apiName: string;
  position: number;
  hidden: boolean;
  readOnly: boolean;
  /** Null: not chosen, the shared defaults decide. */
  quick: boolean | null;
}

/** Place a field (standard or custom) in the layout; its definition, if any, is kept. */
export async function saveLayoutRow(
  trx: Transaction<Database>,
  dialect: Dialect,
  row: LayoutPlacement,
  now: string,
): Promise<void> {
  const flags = {
    hidden: dialect.bool(row.hidden),
    read_only: dialect.bool(row.readOnly),
    quick: row.quick === null ? null : dialect.bool(row.quick),
  };
  await trx
    .insertInto('field_layout')
    .values({
      api_name: row.apiName,
      position: row.position,
      ...flags,
      custom_definition: null,
      modified_time: now,
    })
    .onConflict((oc) =>
      oc.column('api_name').doUpdateSet({ position: row.position, ...flags, modified_time: now }),
    )
    .execute();
}

/**
 * Store a custom field's definition. A new field goes at `position`, shown and writable; one already in the layout
 * keeps its place and marks and only takes the new definition (a re-imported fields.json that changed it).
 */
export async function saveCustomDefinition(
  trx: Transaction<Database>,
  dialect: Dialect,
  field: { apiName: string; definition: string; position: number },
  now: string,
): Promise<void> {
  await trx
    .insertInto('field_layout')
    .values({
      api_name: field.apiName,
      position: field.position,
      hidden: dialect.bool(false),
      read_only: dialect.bool(false),
      quick: null,
      custom_definition: field.definition,
      modified_time: now,
    })
    .onConflict((oc) =>
      oc.column('api_name').doUpdateSet({ custom_definition: field.definition, modified_time: now }),
    )
    .execute();
}
