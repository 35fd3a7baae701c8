import { sql, type Selectable } from 'kysely';
import { PANE_EXTERNAL_ID_PREFIX } from '../auth/local-issuer';
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

/**
 * The user of a pane sign-in: created on first sight as an agent with the name it came with; afterwards its stored
 * name, email and role are kept (a later sign-in says only what the pane says, and an administrator's change of
 * role must stay).
 */
export async function firstSightUser(
  db: Executor,
  user: { externalId: string; email: string; fullName: string },
  now: string,
): Promise<UserRow> {
  return (
    db
      .insertInto('users')
      .values({
        external_id: user.externalId,
        email: user.email,
        full_name: user.fullName,
        role: 'agent',
        status: 'active',
        created_time: now,
        manager_id: null,
      })
      // A no-op update rather than "do nothing", so both engines return the stored row.
      .onConflict((oc) =>
        oc.column('external_id').doUpdateSet((eb) => ({ external_id: eb.ref('excluded.external_id') })),
      )
      .returningAll()
      .executeTakeFirstOrThrow()
  );
}

/**
 * The user an email address names (an import's Owner). Users.email is not unique: the same address can be a CLI or
 * Entra user and a pane sign-in, whose email is only the pane's word. Those vouched for by an issuer come first,
 * then the oldest; a pane sign-in is chosen only when no other user has the address.
 */
export async function findUserIdByEmail(db: Executor, email: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', email.toLowerCase())
    .orderBy(sql`case when external_id like ${`${PANE_EXTERNAL_ID_PREFIX}%`} then 1 else 0 end`)
    .orderBy('id')
    .executeTakeFirst();
  return row === undefined ? undefined : String(row.id);
}

export async function listUsers(db: Executor, activeOnly: boolean): Promise<UserRow[]> {
  let q = db.selectFrom('users').selectAll().orderBy('full_name').limit(2000);
  if (activeOnly) q = q.where('status', '=', 'active');
  return q.execute();
}

export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The manager a lead sees the team of (reports, escalation to the owner's manager); null for none. */
export async function setUserManager(trx: Executor, id: string, managerId: string | null): Promise<void> {
  await trx.updateTable('users').set({ manager_id: managerId }).where('id', '=', id).execute();
}
