import type {
  AccountRecord,
  ContactRecord,
  DealRecord,
  ProductRecord,
  RecordResult,
} from '../../shared/api-types';
import { characterCount } from '../../shared/case-fields';
import { isRecordId, isValidEmail, type FieldError } from '../../shared/validation';
import { type Executor, nowIso } from '../db/executor';
import { failBatch } from '../http/errors';
import * as repo from './lookup.repository';

/** Contacts, Accounts, Products and Deals: as much of each module as the case lookups need. */

type Spec = { type: 'text'; max: number; required?: boolean } | { type: 'email' } | { type: 'lookup' };
const MODULE_FIELDS = {
  Contacts: {
    First_Name: { type: 'text', max: 40 },
    Last_Name: { type: 'text', max: 80, required: true },
    Email: { type: 'email' },
    Phone: { type: 'text', max: 50 },
    Account_Name: { type: 'lookup' },
  },
  Accounts: { Account_Name: { type: 'text', max: 200, required: true } },
  Products: { Product_Name: { type: 'text', max: 200, required: true } },
  Deals: { Deal_Name: { type: 'text', max: 120, required: true }, Account_Name: { type: 'lookup' } },
} satisfies Record<string, Record<string, Spec>>;
export type LookupModuleName = keyof typeof MODULE_FIELDS;

function validateRecord(
  module: LookupModuleName,
  input: unknown,
): { ok: true; values: Record<string, string | null> } | { ok: false; errors: FieldError[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return {
      ok: false,
      errors: [{ code: 'INVALID_DATA', api_name: 'data', message: 'each record must be a JSON object' }],
    };
  // A Map, so a property named `constructor` or `toString` is "no such field", not one of Object's members.
  const specs = new Map<string, Spec>(Object.entries(MODULE_FIELDS[module]));
  const errors: FieldError[] = [];
  const values: Record<string, string | null> = Object.create(null);
  for (const [name, raw] of Object.entries(input)) {
    const spec = specs.get(name);
    if (!spec) {
      errors.push({
        code: 'INVALID_DATA',
        api_name: name.slice(0, 60),
        message: `${name.slice(0, 60)}: no such field in ${module}`,
      });
      continue;
    }
    if (raw === null || raw === '' || raw === undefined) {
      values[name] = null;
      continue;
    }
    if (spec.type === 'lookup') {
      const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : raw;
      if (isRecordId(id)) values[name] = id;
      else
        errors.push({
          code: 'INVALID_DATA',
          api_name: name,
          message: `${name}: expected a record id`,
          expected_data_type: 'lookup',
        });
    } else if (typeof raw !== 'string' || raw.includes('\u0000')) {
      errors.push({
        code: 'INVALID_DATA',
        api_name: name,
        message: `${name}: expected text`,
        expected_data_type: 'string',
      });
    } else if (spec.type === 'email' && !isValidEmail(raw)) {
      errors.push({
        code: 'INVALID_DATA',
        api_name: name,
        message: `${name}: not a valid email address`,
        expected_data_type: 'email',
      });
    } else if (spec.type === 'text' && characterCount(raw) > spec.max) {
      errors.push({
        code: 'INVALID_DATA',
        api_name: name,
        message: `${name}: at most ${spec.max} characters allowed`,
        maximum_length: spec.max,
      });
    } else values[name] = raw;
  }
  for (const [name, spec] of specs)
    if ('required' in spec && spec.required && !values[name]?.trim())
      errors.push({ code: 'MANDATORY_NOT_FOUND', api_name: name, message: `${name} is required` });
  return errors.length ? { ok: false, errors } : { ok: true, values };
}

export async function contactRecords(db: Executor, rows: repo.ContactRow[]): Promise<ContactRecord[]> {
  const accounts = await repo.namesOf(
    db,
    'Accounts',
    rows.map((r) => r.account_id).filter((id) => id !== null),
  );
  return rows.map((r) => ({
    id: String(r.id),
    First_Name: r.first_name,
    Last_Name: r.last_name,
    Full_Name: repo.fullName(r.first_name, r.last_name),
    Email: r.email,
    Phone: r.phone,
    Account_Name:
      r.account_id === null
        ? null
        : { id: String(r.account_id), name: accounts.get(String(r.account_id))?.name ?? '' },
  }));
}

export async function findContactsByEmail(db: Executor, email: string): Promise<ContactRecord[]> {
  return contactRecords(db, await repo.findContactsByEmail(db, email.toLowerCase(), 20));
}

export async function createRecords(
  trx: Executor,
  module: LookupModuleName,
  userId: string,
  inputs: unknown[],
): Promise<RecordResult[]> {
  const validated = inputs.map((input) => validateRecord(module, input));
  const perRecord: (FieldError[] | null)[] = [];
  for (const v of validated) {
    if (!v.ok) {
      perRecord.push(v.errors);
      continue;
    }
    const account = v.values.Account_Name;
    const missing =
      account && module !== 'Accounts' && !(await repo.namesOf(trx, 'Accounts', [account])).has(account);
    perRecord.push(
      missing
        ? [
            {
              code: 'INVALID_DATA',
              api_name: 'Account_Name',
              message: `Account_Name: no Accounts record with id ${account}`,
            },
          ]
        : null,
    );
  }
  if (perRecord.some((e) => e)) throw failBatch(perRecord);
  const now = nowIso();
  const results: RecordResult[] = [];
  for (const v of validated) {
    if (!v.ok) continue;
    const f = v.values;
    let id: string;
    switch (module) {
      case 'Contacts':
        id = await repo.insertContact(trx, {
          first_name: f.First_Name ?? null,
          last_name: f.Last_Name as string,
          email: f.Email ?? null,
          email_lower: f.Email?.toLowerCase() ?? null,
          phone: f.Phone ?? null,
          account_id: f.Account_Name ?? null,
          owner_id: userId,
          created_time: now,
          modified_time: now,
        });
        break;
      case 'Accounts':
        id = await repo.insertAccount(trx, { account_name: f.Account_Name as string, created_time: now });
        break;
      case 'Products':
        id = await repo.insertProduct(trx, { product_name: f.Product_Name as string, created_time: now });
        break;
      case 'Deals':
        id = await repo.insertDeal(trx, {
          deal_name: f.Deal_Name as string,
          account_id: f.Account_Name ?? null,
          created_time: now,
        });
        break;
    }
    results.push({
      code: 'SUCCESS',
      details: { id, Created_Time: now },
      message: 'record added',
      status: 'success',
    });
  }
  return results;
}

export async function listModule(
  db: Executor,
  module: LookupModuleName,
  limit: number,
  offset: number,
): Promise<(ContactRecord | AccountRecord | ProductRecord | DealRecord)[]> {
  switch (module) {
    case 'Contacts':
      return contactRecords(db, await repo.contactsPage(db, limit, offset));
    case 'Accounts':
      return ((await repo.listByName(db, 'Accounts', limit, offset)) as repo.AccountRow[]).map((r) => ({
        id: String(r.id),
        Account_Name: r.account_name,
      }));
    case 'Products':
      return ((await repo.listByName(db, 'Products', limit, offset)) as repo.ProductRow[]).map((r) => ({
        id: String(r.id),
        Product_Name: r.product_name,
      }));
    case 'Deals': {
      const rows = (await repo.listByName(db, 'Deals', limit, offset)) as repo.DealRow[];
      const accounts = await repo.namesOf(
        db,
        'Accounts',
        rows.map((r) => r.account_id).filter((id) => id !== null),
      );
      return rows.map((r) => ({
        id: String(r.id),
        Deal_Name: r.deal_name,
        Account_Name:
          r.account_id === null
            ? null
            : { id: String(r.account_id), name: accounts.get(String(r.account_id))?.name ?? '' },
      }));
    }
  }
}
