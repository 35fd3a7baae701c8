import { type FieldDefinition, type LookupModule, fieldByApiName } from '../../shared/case-fields';
import { columnOf } from '../cases/case.mapper';
import type { CaseColumn } from '../cases/case.repository';
import type { FieldPath } from './coql.ast';
import { invalidQuery } from './coql.errors';

/** How COQL treats a field: which operators and aggregates it takes, and how its values are read and written. */
export type CoqlType =
  | 'id'
  | 'lookup'
  | 'text'
  | 'email'
  | 'picklist'
  | 'textarea'
  | 'number'
  | 'datetime'
  | 'date'
  | 'boolean'
  | 'autonumber';

/** A table a lookup joins to; the alias is unique per lookup field, so two lookups to Users never collide. */
export interface Join {
  alias: string;
  table: 'users' | 'contacts' | 'accounts' | 'products' | 'deals';
  on: CaseColumn;
}

/** Where a field's value lives: a cases column, a key of the custom_fields JSON, or a column of a joined table. */
export type ColumnRef =
  | { kind: 'column'; column: CaseColumn }
  | { kind: 'custom'; apiName: string }
  | { kind: 'joined'; join: Join; column: string };

export interface ResolvedField {
  /** The field as written, dotted: the response key unless aliased. */
  key: string;
  type: CoqlType;
  ref: ColumnRef;
  /** Set when the value is a lookup id the response shows as {id, name} (Owner, Related_To, Created_By, …). */
  lookupModule?: LookupModule;
  /** Set when criteria read another column (Email is compared lower-cased, through email_lower). */
  filterRef?: ColumnRef;
}

const SYSTEM = new Map<string, { column: CaseColumn; type: CoqlType; module?: LookupModule }>([
  ['id', { column: 'id', type: 'id' }],
  ['Created_Time', { column: 'created_time', type: 'datetime' }],
  ['Modified_Time', { column: 'modified_time', type: 'datetime' }],
  ['Created_By', { column: 'created_by_id', type: 'lookup', module: 'Users' }],
  ['Modified_By', { column: 'modified_by_id', type: 'lookup', module: 'Users' }],
]);

const TABLES: Record<LookupModule, Join['table']> = {
  Users: 'users',
  Contacts: 'contacts',
  Accounts: 'accounts',
  Products: 'products',
  Deals: 'deals',
};

/**
 * The fields of each lookup's module a dotted name may reach, as Zoho names them, with the column (Full_Name is
 * the repository's first + last name). Users answer to `name` too: GET /Cases shows an owner as {id, name, email}.
 */
const SUBFIELDS: Record<LookupModule, Record<string, { column: string; type: CoqlType }>> = {
  Users: {
    name: { column: 'full_name', type: 'text' },
    full_name: { column: 'full_name', type: 'text' },
    email: { column: 'email', type: 'text' },
  },
  Contacts: {
    Full_Name: { column: 'Full_Name', type: 'text' },
    First_Name: { column: 'first_name', type: 'text' },
    Last_Name: { column: 'last_name', type: 'text' },
    Email: { column: 'email', type: 'text' },
    Phone: { column: 'phone', type: 'text' },
  },
  Accounts: { Account_Name: { column: 'account_name', type: 'text' } },
  Products: { Product_Name: { column: 'product_name', type: 'text' } },
  Deals: { Deal_Name: { column: 'deal_name', type: 'text' } },
};

function typeOf(field: FieldDefinition): CoqlType {
  switch (field.type) {
    case 'phone':
    case 'url':
      return 'text';
    default:
      return field.type;
  }
}

/** A top-level field: a system field or one of the layout's fields (standard or custom). */
function baseField(name: string, fields: readonly FieldDefinition[]): ResolvedField | undefined {
  const system = SYSTEM.get(name);
  if (system)
    return {
      key: name,
      type: system.type,
      ref: { kind: 'column', column: system.column },
      lookupModule: system.module,
    };
  const field = fieldByApiName(fields, name);
  if (!field) return undefined;
  const column = columnOf(field);
  const type = typeOf(field);
  const ref: ColumnRef = column ? { kind: 'column', column } : { kind: 'custom', apiName: name };
  return {
    key: name,
    type,
    ref,
    lookupModule: type === 'lookup' ? field.lookupModule : undefined,
    filterRef: column === 'email' ? { kind: 'column', column: 'email_lower' } : undefined,
  };
}

/** Look a written field up; unknown names, and dots past a lookup's own fields, are INVALID_QUERY naming it. */
export function resolveField(path: FieldPath, fields: readonly FieldDefinition[]): ResolvedField {
  const key = path.join('.');
  const base = baseField(path[0], fields);
  if (!base) throw invalidQuery('column given seems to be invalid', key);
  if (path.length === 1) return base;
  const module = base.lookupModule;
  if (!module || base.ref.kind !== 'column' || path.length > 2)
    throw invalidQuery('column given seems to be invalid', key);
  if (path[1] === 'id') return { key, type: 'id', ref: base.ref };
  const sub = Object.hasOwn(SUBFIELDS[module], path[1]) ? SUBFIELDS[module][path[1]] : undefined;
  if (!sub) throw invalidQuery('column given seems to be invalid', key);
  const join: Join = { alias: `lk_${base.ref.column}`, table: TABLES[module], on: base.ref.column };
  return { key, type: sub.type, ref: { kind: 'joined', join, column: sub.column } };
}
