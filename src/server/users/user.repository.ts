import type { Selectable } from 'kysely';
import type { Executor } from '../db/executor';
import type { UsersTable } from '../db/schema';

export type UserRow = Selectable<UsersTable>;

/** Create the user on first sight of their token; keep name, email and role in step with the latest token. */
export async function upsertUser(
  db: Executor,
  user: { externalId: string; email: string; fullName: string; role: string },
  now: string,
): Promise<UserRow> {
  return db
    .insertInto('users')
    .values({
      external_id: user.externalId,
      email: user.email,
      full_name: user.fullName,
      role: user.role,
      status: 'active',
      created_time: now,
      manager_id: null,
    })
    .onConflict((oc) =>
      oc.column('external_id').doUpdateSet({ email: user.email, full_name: user.fullName, role: user.role }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listUsers(db: Executor, activeOnly: boolean): Promise<UserRow[]> {
  let q = db.selectFrom('users').selectAll().orderBy('full_name').limit(2000);
  if (activeOnly) q = q.where('status', '=', 'active');
  return q.execute();
}

export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}
