/** Table types: the shape of rows as stored. Only repositories see these; services return API types. */
import type { ColumnType, Generated } from 'kysely';

/** SQLite hands back integers as numbers and PostgreSQL bigints as strings; mappers normalise to strings. */
export type RowId = string | number;
type Id = ColumnType<RowId, never, never>;

export interface UsersTable {
  id: Generated<RowId> & Id;
  external_id: string;
  email: string;
  full_name: string;
  role: string;
  manager_id: RowId | null;
  status: string;
  created_time: string;
}

export interface CasesTable {
  id: Generated<RowId> & Id;
  case_number: ColumnType<RowId, RowId, never>;
  subject: string;
  status: string;
  priority: string | null;
  case_origin: string;
  type: string | null;
  case_reason: string | null;
  email: string | null;
  /** Lower-cased Email, so lookups by address are exact index hits on both engines. */
  email_lower: string | null;
  phone: string | null;
  reported_by: string | null;
  description: string | null;
  internal_comments: string | null;
  solution: string | null;
  add_comment: string | null;
  owner_id: RowId | null;
  related_to_id: RowId | null;
  account_name_id: RowId | null;
  product_name_id: RowId | null;
  deal_name_id: RowId | null;
  /** JSON object of custom field values by API name. */
  custom_fields: string;
  created_time: string;
  modified_time: string;
  created_by_id: RowId;
  modified_by_id: RowId;
  /** Bumped on every update: optimistic concurrency. */
  version: number;
}

export interface EmailLinksTable {
  id: Generated<RowId> & Id;
  case_id: RowId;
  internet_message_id: string;
  conversation_id: string | null;
  item_id: string | null;
  mailbox: string | null;
  from_name: string | null;
  from_email: string;
  to_json: string;
  cc_json: string;
  subject: string | null;
  sent_time: string | null;
  body_text: string | null;
  linked_time: string;
  linked_by_id: RowId;
}

/** One row per converted message: the idempotency claim of from_email. */
export interface EmailConversionsTable {
  internet_message_id: string;
  case_id: RowId | null;
  created_time: string;
}

export interface ContactsTable {
  id: Generated<RowId> & Id;
  first_name: string | null;
  last_name: string;
  email: string | null;
  email_lower: string | null;
  phone: string | null;
  account_id: RowId | null;
  owner_id: RowId | null;
  created_time: string;
  modified_time: string;
}

export interface AccountsTable {
  id: Generated<RowId> & Id;
  account_name: string;
  created_time: string;
}

export interface ProductsTable {
  id: Generated<RowId> & Id;
  product_name: string;
  created_time: string;
}

export interface DealsTable {
  id: Generated<RowId> & Id;
  deal_name: string;
  account_id: RowId | null;
  created_time: string;
}

/** SQLite only: named counters (PostgreSQL uses sequences). */
export interface CountersTable {
  name: string;
  value: number;
}

export interface Database {
  users: UsersTable;
  cases: CasesTable;
  email_links: EmailLinksTable;
  email_conversions: EmailConversionsTable;
  contacts: ContactsTable;
  accounts: AccountsTable;
  products: ProductsTable;
  deals: DealsTable;
  counters: CountersTable;
}
