import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import { likeLiteral, type Dialect } from '../db/dialect';
import type { Executor } from '../db/executor';
import type { SolutionCasesTable, SolutionsTable } from '../db/schema';

/** The only place with SQL for solutions and their links to cases. */

export type SolutionRow = Selectable<SolutionsTable>;
export type SolutionCaseRow = Selectable<SolutionCasesTable>;

export async function nextSolutionNumber(trx: Executor, dialect: Dialect): Promise<number> {
  return (await dialect.nextNumbers(trx, 'solution_number', 1))[0];
}

export async function insertSolution(trx: Executor, row: Insertable<SolutionsTable>): Promise<string> {
  const { id } = await trx.insertInto('solutions').values(row).returning('id').executeTakeFirstOrThrow();
  return String(id);
}

export async function updateSolution(
  trx: Executor,
  id: string,
  patch: Updateable<SolutionsTable>,
): Promise<void> {
  await trx.updateTable('solutions').set(patch).where('id', '=', id).execute();
}

export async function findSolutionById(db: Executor, id: string): Promise<SolutionRow | undefined> {
  return db.selectFrom('solutions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Link once: linking a case that already is linked changes nothing. */
export async function linkSolutionCase(trx: Executor, solutionId: string, caseId: string): Promise<void> {
  await trx
    .insertInto('solution_cases')
    .values({ solution_id: solutionId, case_id: caseId })
    .onConflict((oc) => oc.columns(['solution_id', 'case_id']).doNothing())
    .execute();
}

export async function caseLinksOf(db: Executor, solutionIds: string[]): Promise<SolutionCaseRow[]> {
  if (!solutionIds.length) return [];
  return db.selectFrom('solution_cases').selectAll().where('solution_id', 'in', solutionIds).execute();
}

/** Newest first; every word in the title or the answer, case-insensitively. */
export async function findSolutions(
  db: Executor,
  dialect: Dialect,
  options: { words: string[]; status?: string; caseId?: string; limit: number; offset: number },
): Promise<SolutionRow[]> {
  let q = db.selectFrom('solutions').selectAll();
  if (options.status) q = q.where('status', '=', options.status);
  if (options.caseId)
    q = q.where(
      'id',
      'in',
      db.selectFrom('solution_cases').select('solution_id').where('case_id', '=', options.caseId),
    );
  const op = dialect.like;
  for (const w of options.words) {
    const pattern = `%${likeLiteral(w)}%`;
    q = q.where(
      sql<boolean>`(${sql.ref('title')} ${op} ${pattern} escape '\\' or ${sql.ref('answer')} ${op} ${pattern} escape '\\')`,
    );
  }
  return q
    .orderBy('modified_time', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit)
    .offset(options.offset)
    .execute();
}
