import type { Insertable, Selectable } from 'kysely';
import type { LookupModule } from '../../shared/case-fields';
import type { Executor } from '../db/executor';
import type { AccountsTable, ContactsTable, DealsTable, ProductsTable, RowId } from '../db/schema';

export type ContactRow = Selectable<ContactsTable>;
export type AccountRow = Selectable<AccountsTable>;
export type ProductRow = Selectable<ProductsTable>;
export type DealRow = Selectable<DealsTable>;

/** Display names of lookup targets, fetched in one query per module. */
export async function namesOf(
  db: Executor,
  module: LookupModule,
  ids: readonly RowId[],
): Promise<Map<string, { name: string; email?: string }>> {
  const result = new Map<string, { name: string; email?: string }>();
  const unique = [...new Set(ids.map(String))];
  if (unique.length === 0) return result;
  switch (module) {
    case 'Users':
      for (const r of await db
        .selectFrom('users')
        .select(['id', 'full_name', 'email'])
        .where('id', 'in', unique)
        .execute())
        result.set(String(r.id), { name: r.full_name, email: r.email });
      break;
    case 'Contacts':
      for (const r of await db
        .selectFrom('contacts')
        .select(['id', 'first_name', 'last_name', 'email'])
        .where('id', 'in', unique)
        .execute())
        result.set(String(r.id), { name: fullName(r.first_name, r.last_name), email: r.email ?? undefined });
      break;
    case 'Accounts':
      for (const r of await db
        .selectFrom('accounts')
        .select(['id', 'account_name'])
        .where('id', 'in', unique)
        .execute())
        result.set(String(r.id), { name: r.account_name });
      break;
    case 'Products':
      for (const r of await db
        .selectFrom('products')
        .select(['id', 'product_name'])
        .where('id', 'in', unique)
        .execute())
        result.set(String(r.id), { name: r.product_name });
      break;
    case 'Deals':
      for (const r of await db
        .selectFrom('deals')
        .select(['id', 'deal_name'])
        .where('id', 'in', unique)
        .execute())
        result.set(String(r.id), { name: r.deal_name });
      break;
  }
  return result;
}

export function fullName(first: string | null, last: string): string {
  return first ? `${first} ${last}` : last;
}

export async function findContactsByEmail(
  db: Executor,
  emailLower: string,
  limit: number,
): Promise<ContactRow[]> {
  return db
    .selectFrom('contacts')
    .selectAll()
    .where('email_lower', '=', emailLower)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function findContactById(db: Executor, id: string): Promise<ContactRow | undefined> {
  return db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertContact(db: Executor, row: Insertable<ContactsTable>): Promise<string> {
  const { id } = await db.insertInto('contacts').values(row).returning('id').executeTakeFirstOrThrow();
  return String(id);
}

export async function insertAccount(db: Executor, row: Insertable<AccountsTable>): Promise<string> {
  const { id } = await db.insertInto('accounts').values(row).returning('id').executeTakeFirstOrThrow();
  return String(id);
}

export async function insertProduct(db: Executor, row: Insertable<ProductsTable>): Promise<string> {
  const { id } = await db.insertInto('products').values(row).returning('id').executeTakeFirstOrThrow();
  return String(id);
}

export async function insertDeal(db: Executor, row: Insertable<DealsTable>): Promise<string> {
  const { id } = await db.insertInto('deals').values(row).returning('id').executeTakeFirstOrThrow();
  return String(id);
}

export async function listByName(
  db: Executor,
  module: 'Accounts' | 'Products' | 'Deals',
  limit: number,
  offset: number,
) {
  switch (module) {
    case 'Accounts':
      return db
        .selectFrom('accounts')
        .selectAll()
        .orderBy('account_name')
        .orderBy('id')
        .limit(limit)
        .offset(offset)
        .execute();
    case 'Products':
      return db
        .selectFrom('products')
        .selectAll()
        .orderBy('product_name')
        .orderBy('id')
        .limit(limit)
        .offset(offset)
        .execute();
    case 'Deals':
      return db
        .selectFrom('deals')
        .selectAll()
        .orderBy('deal_name')
        .orderBy('id')
        .limit(limit)
        .offset(offset)
        .execute();
  }
}

export async function contactsPage(db: Executor, limit: number, offset: number): Promise<ContactRow[]> {
  return db
    .selectFrom('contacts')
    .selectAll()
    .orderBy('last_name')
    .orderBy('id')
    .limit(limit)
    .offset(offset)
    .execute();
}
