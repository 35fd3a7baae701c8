import type { Insertable, Selectable } from 'kysely';
import type { Dialect } from '../db/dialect';
import type { Executor } from '../db/executor';
import type { WebFormsTable } from '../db/schema';

/** The only place with SQL for web forms. */

export type WebFormRow = Selectable<WebFormsTable>;

export async function insertWebForm(trx: Executor, row: Insertable<WebFormsTable>): Promise<string> {
  const { id } = await trx.insertInto('web_forms').values(row).returning('id').executeTakeFirstOrThrow();
  return String(id);
}

export async function findWebFormByKey(db: Executor, formKey: string): Promise<WebFormRow | undefined> {
  return db.selectFrom('web_forms').selectAll().where('form_key', '=', formKey).executeTakeFirst();
}

export async function allWebForms(db: Executor): Promise<WebFormRow[]> {
  return db.selectFrom('web_forms').selectAll().orderBy('id').execute();
}

/** False when there is no such form. */
export async function deactivateWebForm(trx: Executor, dialect: Dialect, id: string): Promise<boolean> {
  const r = await trx
    .updateTable('web_forms')
    .set({ active: dialect.bool(false) })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
