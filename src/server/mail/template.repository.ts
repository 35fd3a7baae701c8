import type { Executor } from '../db/executor';
import type { EmailTemplate as TemplateRecord } from '../../shared/followup-types';

/** The only place with SQL for email templates. */

type TemplateValues = { name: string; subject: string; body: string };

const record = (row: { id: unknown } & TemplateValues): TemplateRecord => ({
  id: String(row.id),
  name: row.name,
  subject: row.subject,
  body: row.body,
});

export async function findTemplateById(db: Executor, id: string): Promise<TemplateRecord | undefined> {
  const row = await db.selectFrom('email_templates').selectAll().where('id', '=', id).executeTakeFirst();
  return row && record(row);
}

/** By name, at most 500 (the admin screen's list). */
export async function allTemplates(db: Executor): Promise<TemplateRecord[]> {
  return (await db.selectFrom('email_templates').selectAll().orderBy('name').limit(500).execute()).map(
    record,
  );
}

export async function insertTemplate(trx: Executor, values: TemplateValues, now: string): Promise<string> {
  const { id } = await trx
    .insertInto('email_templates')
    .values({ ...values, created_time: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(id);
}

/** False when there is no such template. */
export async function updateTemplate(trx: Executor, id: string, values: TemplateValues): Promise<boolean> {
  const result = await trx.updateTable('email_templates').set(values).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** False when there is no such template. */
export async function deleteTemplate(trx: Executor, id: string): Promise<boolean> {
  const result = await trx.deleteFrom('email_templates').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
