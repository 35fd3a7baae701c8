import {
  sql,
  type ExpressionBuilder,
  type Expression,
  type Insertable,
  type Selectable,
  type SqlBool,
  type Updateable,
} from 'kysely';
import { likeLiteral, type Dialect } from '../db/dialect';
import type { Executor } from '../db/executor';
import { insertRows } from '../db/insert-rows';
import type { CasesTable, Database, DeletedCasesTable, RowId } from '../db/schema';
import { noteCaseChanged, noteCasesCreated } from '../reports/case-metrics.repository';
import type { CaseCondition } from './case-condition';

/** The only place with SQL for cases. Everything here speaks rows; the service speaks API types. */

export type CaseRow = Selectable<CasesTable>;
export type CaseColumn = keyof CasesTable & string;
type CaseWhere = (eb: ExpressionBuilder<Database, 'cases'>) => Expression<SqlBool>;

/** A condition (CaseCondition, data built by the services) in the SQL of the engine in use. */
export function caseWhere(dialect: Dialect, condition: CaseCondition): CaseWhere {
  return (eb) => conditionSql(eb, dialect, condition);
}

function conditionSql(
  eb: ExpressionBuilder<Database, 'cases'>,
  dialect: Dialect,
  c: CaseCondition,
): Expression<SqlBool> {
  switch (c.kind) {
    case 'and':
      return eb.and(c.items.map((item) => conditionSql(eb, dialect, item)));
    case 'or':
      return eb.or(c.items.map((item) => conditionSql(eb, dialect, item)));
    case 'compare':
      if (c.value !== null) return eb(c.column, c.op, c.value);
      if (c.op !== '=' && c.op !== '!=') throw new Error(`${c.op} null compares with nothing`);
      return eb(c.column, c.op === '=' ? 'is' : 'is not', null);
    case 'in':
      // `in ()` is no SQL: nothing is among no values.
      if (c.values.length === 0) return c.negated ? sql<SqlBool>`1 = 1` : sql<SqlBool>`1 = 0`;
      return eb(c.column, c.negated ? 'not in' : 'in', [...c.values]);
    case 'starts_with':
      return like(dialect, c.column, `${likeLiteral(c.prefix)}%`);
    case 'words':
      return wordsSql(eb, dialect, c.words, c.caseNumber, c.email);
    case 'open':
      // A literal, not a bound parameter: the queue indexes (migration 2026-12-02T1120-custom-views) are partial on
      // exactly this condition, and neither engine can prove that a parameter is 'Closed' when it plans the query.
      return sql<SqlBool>`cases.status <> 'Closed'`;
  }
}

function like(dialect: Dialect, column: CaseColumn, pattern: string): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(`cases.${column}`)} ${dialect.like} ${pattern} escape '\\'`;
}

/** Reserve `count` case numbers, increasing, distinct across processes. */
export async function allocateCaseNumbers(trx: Executor, dialect: Dialect, count: number): Promise<number[]> {
  return dialect.nextNumbers(trx, 'case_number', count);
}

/** Multi-row insert in chunks; ids come back in input order (matched through the unique case number). */
export async function insertCases(trx: Executor, rows: Insertable<CasesTable>[]): Promise<string[]> {
  const idByNumber = new Map<string, string>();
  const CHUNK = 400; // well under SQLite's bound-parameter limit at ~30 columns a row
  for (let i = 0; i < rows.length; i += CHUNK) {
    const inserted = await insertRows<'cases', { id: RowId; case_number: number | string }>(
      trx,
      'cases',
      rows.slice(i, i + CHUNK),
      { returning: ['id', 'case_number'] },
    );
    for (const r of inserted) idByNumber.set(String(r.case_number), String(r.id));
  }
  const ids = rows.map((r) => idByNumber.get(String(r.case_number)) as string);
  // The reports' rollup row of each case, in this transaction.
  await noteCasesCreated(
    trx,
    rows.map((r, i) => ({
      case_id: ids[i],
      created_time: r.created_time,
      owner_id: r.owner_id ?? null,
      status: r.status,
      case_origin: r.case_origin,
      type: r.type ?? null,
    })),
  );
  return ids;
}

export async function findCaseById(db: Executor, id: string): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Whether a case exists, reading only its id (the related-list routes check this before every read or write). */
export async function caseExists(db: Executor, id: string): Promise<boolean> {
  return (await db.selectFrom('cases').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function findCasesByIds(db: Executor, ids: readonly RowId[]): Promise<CaseRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('cases').selectAll().where('id', 'in', ids).execute();
}

export async function findCasesByNumbers(db: Executor, numbers: readonly number[]): Promise<CaseRow[]> {
  if (numbers.length === 0) return [];
  return db.selectFrom('cases').selectAll().where('case_number', 'in', numbers).execute();
}

/** Update when the stored version matches (optimistic concurrency); returns whether a row changed. */
export async function updateCase(
  trx: Executor,
  id: string,
  patch: Updateable<CasesTable>,
  expectedVersion: number,
): Promise<boolean> {
  const result = await trx
    .updateTable('cases')
    .set({ ...patch, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  const updated = Number(result.numUpdatedRows) === 1;
  if (updated) await noteCaseChanged(trx, id, patch as Parameters<typeof noteCaseChanged>[2]);
  return updated;
}

/** Delete a case and note it among the deleted (GET /Cases/deleted); false when there was no such case. */
export async function deleteCase(
  trx: Executor,
  id: string,
  deletedById: string,
  now: string,
): Promise<boolean> {
  const row = await trx
    .deleteFrom('cases')
    .where('id', '=', id)
    .returning(['id', 'subject', 'created_by_id'])
    .executeTakeFirst();
  if (!row) return false;
  await trx
    .insertInto('deleted_cases')
    .values({
      id: row.id,
      display_name: row.subject ?? '',
      created_by_id: row.created_by_id,
      deleted_by_id: deletedById,
      deleted_time: now,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  return true;
}

export type DeletedCaseRow = Selectable<DeletedCasesTable>;

/** Deleted cases, most recent first, one page (limit one more than the page, to tell whether more follow). */
export async function listDeletedCases(
  db: Executor,
  limit: number,
  offset: number,
): Promise<DeletedCaseRow[]> {
  return db
    .selectFrom('deleted_cases')
    .selectAll()
    .orderBy('deleted_time', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

export interface CaseQuery {
  where?: CaseCondition;
  orderBy: CaseColumn;
  direction: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export async function listCases(db: Executor, dialect: Dialect, query: CaseQuery): Promise<CaseRow[]> {
  let q = db.selectFrom('cases').selectAll();
  if (query.where) q = q.where(caseWhere(dialect, query.where));
  return q
    .orderBy(query.orderBy, query.direction)
    .orderBy('id', query.direction)
    .limit(query.limit)
    .offset(query.offset)
    .execute();
}

/** The most recently modified case whose column holds the value (an upsert's duplicate check). */
export async function newestCaseWhere(
  db: Executor,
  column: CaseColumn,
  value: string | number,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('cases')
    .select('id')
    .where(column, '=', value)
    .orderBy('modified_time', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : String(row.id);
}

export async function countCases(db: Executor, dialect: Dialect, where?: CaseCondition): Promise<number> {
  let q = db.selectFrom('cases').select((eb) => eb.fn.countAll<number | string>().as('n'));
  if (where) q = q.where(caseWhere(dialect, where));
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/**
 * A common word can match a large share of a million cases; SQLite would read and sort them all. FTS5 hands back
 * the newest matches first and stops here, so word search looks at the 5,000 newest cases that match.
 */
const WORD_CANDIDATES = 5000;

/**
 * `word` search: every word in the subject (SQLite FTS5 trigram index / PostgreSQL pg_trgm GIN index),
 * or the case number, or the email address.
 */
function wordsSql(
  eb: ExpressionBuilder<Database, 'cases'>,
  dialect: Dialect,
  words: readonly string[],
  caseNumber?: number,
  email?: string,
): Expression<SqlBool> {
  const alternatives: Expression<SqlBool>[] = [];
  const shortWords = words.filter((w) => Array.from(w).length < 3);
  const longWords = words.filter((w) => Array.from(w).length >= 3);
  const subjectParts = shortWords.map((w) => like(dialect, 'subject', `%${likeLiteral(w)}%`));
  if (longWords.length) subjectParts.push(...dialect.subjectHasWords(longWords, WORD_CANDIDATES));
  if (subjectParts.length) alternatives.push(eb.and(subjectParts));
  if (caseNumber !== undefined) alternatives.push(eb('case_number', '=', caseNumber));
  if (email !== undefined) alternatives.push(eb('email_lower', '=', email.toLowerCase()));
  return eb.or(alternatives);
}

export async function casesOfSender(
  db: Executor,
  emailLower: string,
  statuses: string[],
  limit: number,
): Promise<CaseRow[]> {
  return db
    .selectFrom('cases')
    .selectAll()
    .where('email_lower', '=', emailLower)
    .where('status', 'in', statuses)
    .orderBy('modified_time', 'desc')
    .limit(limit)
    .execute();
}
