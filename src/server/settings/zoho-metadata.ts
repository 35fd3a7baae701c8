import type { FieldMetadata } from '../../shared/api-types';
import { isQuickField, type FieldDefinition } from '../../shared/case-fields';
import { NOTE_LIMITS } from '../../shared/followup-types';
import { LAYOUT_EPOCH as SCHEMA_TIME } from './field-registry';

/**
 * Module, field and related-list metadata as Zoho's v6 settings APIs describe them. Zoho's SDKs read these before
 * they send or parse a record (a field's data_type decides how a value is written: `ownerlookup` as a user,
 * `lookup` as a record, `picklist` as a choice), so the names are Zoho's, and every module we serve is described.
 */

const DATA_TYPES: Record<FieldDefinition['type'], string> = {
  autonumber: 'autonumber',
  text: 'text',
  textarea: 'textarea',
  email: 'email',
  phone: 'phone',
  picklist: 'picklist',
  lookup: 'lookup',
  number: 'double',
  date: 'date',
  url: 'website',
  boolean: 'boolean',
};

/** Zoho names a lookup to Users `ownerlookup` (Owner) — the SDK then writes and reads it as a MinifiedUser. */
function dataTypeOf(field: FieldDefinition): string {
  if (field.type === 'lookup' && field.lookupModule === 'Users') return 'ownerlookup';
  return DATA_TYPES[field.type];
}

export function fieldMetadata(field: FieldDefinition): FieldMetadata {
  return {
    api_name: field.apiName,
    field_label: field.label.en,
    display_label: field.label.en,
    data_type: dataTypeOf(field),
    length: field.maxLength ?? field.maxDigits ?? null,
    system_mandatory: field.mandatory === true,
    read_only: field.readOnly === true,
    visible: field.hidden !== true,
    quick_create: isQuickField(field),
    custom_field: field.custom === true,
    pick_list_values: (field.picklist ?? []).map((o) => ({
      display_value: o.label.en,
      actual_value: o.value,
    })),
    lookup: field.lookupModule ? { module: { api_name: field.lookupModule } } : null,
    translations: { ...field.label },
  };
}

type Simple = {
  api_name: string;
  label: string;
  data_type: string;
  length?: number;
  mandatory?: boolean;
  readOnly?: boolean;
  lookup?: string;
};

function simple(f: Simple): FieldMetadata {
  return {
    api_name: f.api_name,
    field_label: f.label,
    display_label: f.label,
    data_type: f.data_type,
    length: f.length ?? null,
    system_mandatory: f.mandatory === true,
    read_only: f.readOnly === true,
    visible: true,
    custom_field: false,
    pick_list_values: [],
    lookup: f.lookup ? { module: { api_name: f.lookup } } : null,
    translations: { en: f.label },
  };
}

/** What the lookup modules really hold (see lookups/lookup.service.ts), and Notes and Users as we serve them. */
const OTHER_MODULE_FIELDS: Record<string, Simple[]> = {
  Contacts: [
    { api_name: 'First_Name', label: 'First Name', data_type: 'text', length: 40 },
    { api_name: 'Last_Name', label: 'Last Name', data_type: 'text', length: 80, mandatory: true },
    { api_name: 'Full_Name', label: 'Full Name', data_type: 'text', readOnly: true },
    { api_name: 'Email', label: 'Email', data_type: 'email' },
    { api_name: 'Phone', label: 'Phone', data_type: 'phone', length: 50 },
    { api_name: 'Account_Name', label: 'Account Name', data_type: 'lookup', lookup: 'Accounts' },
  ],
  Accounts: [
    { api_name: 'Account_Name', label: 'Account Name', data_type: 'text', length: 200, mandatory: true },
  ],
  Products: [
    { api_name: 'Product_Name', label: 'Product Name', data_type: 'text', length: 200, mandatory: true },
  ],
  Deals: [
    { api_name: 'Deal_Name', label: 'Deal Name', data_type: 'text', length: 120, mandatory: true },
    { api_name: 'Account_Name', label: 'Account Name', data_type: 'lookup', lookup: 'Accounts' },
  ],
  Notes: [
    { api_name: 'Note_Title', label: 'Note Title', data_type: 'text', length: NOTE_LIMITS.Note_Title },
    {
      api_name: 'Note_Content',
      label: 'Note Content',
      data_type: 'textarea',
      length: NOTE_LIMITS.Note_Content,
      mandatory: true,
    },
    // Zoho's Parent_Id points into whichever module the note belongs to (its "se_module"); here always Cases.
    { api_name: 'Parent_Id', label: 'Parent ID', data_type: 'lookup', lookup: 'se_module', mandatory: true },
    { api_name: 'Owner', label: 'Note Owner', data_type: 'ownerlookup', readOnly: true },
  ],
  Users: [
    { api_name: 'full_name', label: 'Full Name', data_type: 'text', readOnly: true },
    { api_name: 'email', label: 'Email', data_type: 'email', readOnly: true },
  ],
};

export const FIELD_MODULES = ['Cases', ...Object.keys(OTHER_MODULE_FIELDS)];

/**
 * settings/fields for a module we serve; undefined for any other. The fields the server sets on every record
 * (Created_Time, Created_By, …) are not listed: the pane's layout admin offers every listed field for ordering
 * and hiding, and Zoho's SDKs skip those four when they read field metadata anyway.
 */
export function moduleFields(
  module: string,
  caseFields: readonly FieldDefinition[],
): FieldMetadata[] | undefined {
  if (module === 'Cases') return caseFields.map(fieldMetadata);
  if (!Object.hasOwn(OTHER_MODULE_FIELDS, module)) return undefined;
  return OTHER_MODULE_FIELDS[module].map(simple);
}

interface ModuleSpec {
  api_name: string;
  singular: string;
  id: string;
  creatable: boolean;
  editable: boolean;
  deletable: boolean;
}

const MODULES: ModuleSpec[] = [
  { api_name: 'Cases', singular: 'Case', id: '1000', creatable: true, editable: true, deletable: true },
  {
    api_name: 'Contacts',
    singular: 'Contact',
    id: '1001',
    creatable: true,
    editable: false,
    deletable: false,
  },
  {
    api_name: 'Accounts',
    singular: 'Account',
    id: '1002',
    creatable: true,
    editable: false,
    deletable: false,
  },
  {
    api_name: 'Products',
    singular: 'Product',
    id: '1003',
    creatable: true,
    editable: false,
    deletable: false,
  },
  { api_name: 'Deals', singular: 'Deal', id: '1004', creatable: true, editable: false, deletable: false },
  { api_name: 'Notes', singular: 'Note', id: '1005', creatable: true, editable: true, deletable: true },
];

/**
 * settings/modules. Only Cases changes (an admin's custom field or layout change); `casesModified` is when it last
 * did, and `since` (If-Modified-Since) keeps the modules changed after it — none means 304 for the caller.
 */
export function moduleList(casesModified: string, since?: Date) {
  const modified = (m: ModuleSpec) => (m.api_name === 'Cases' ? casesModified : SCHEMA_TIME);
  return MODULES.filter((m) => !since || Date.parse(modified(m)) > since.getTime()).map((m, index) => ({
    id: m.id,
    api_name: m.api_name,
    module_name: m.api_name,
    singular_label: m.singular,
    plural_label: m.api_name,
    api_supported: true,
    generated_type: 'default',
    creatable: m.creatable,
    editable: m.editable,
    deletable: m.deletable,
    viewable: true,
    sequence_number: index + 1,
    modified_time: modified(m),
    status: 'visible',
  }));
}

/** settings/related_lists?module=Cases: each related list the record API serves, with its href. */
export function caseRelatedLists() {
  const list = (api_name: string, display_label: string, module: string | null, sequence: number) => ({
    id: String(2000 + sequence),
    sequence_number: String(sequence),
    display_label,
    api_name,
    name: api_name,
    module: module ? { api_name: module, id: null } : null,
    href: `Cases/{ENTITYID}/${api_name}`,
    type: 'default',
    action: null,
    connectedmodule: null,
    linkingmodule: null,
    visible: true,
  });
  return [
    list('Notes', 'Notes', 'Notes', 1),
    list('Emails', 'Emails', null, 2),
    list('Attachments', 'Attachments', null, 3),
    list('Open_Activities', 'Open Activities', null, 4),
    list('Closed_Activities', 'Closed Activities', null, 5),
  ];
}

/** settings/layouts?module=Cases: the one layout, its visible fields in one section. */
export function caseLayouts(caseFields: readonly FieldDefinition[], modified: string) {
  return [
    {
      id: '3000',
      name: 'Standard',
      display_label: 'Standard',
      status: 'active',
      visible: true,
      modified_time: modified,
      created_time: SCHEMA_TIME,
      sections: [
        {
          display_label: 'Case Information',
          api_name: 'Case_Information',
          sequence_number: 1,
          column_count: 1,
          fields: caseFields.filter((f) => !f.hidden).map(fieldMetadata),
        },
      ],
    },
  ];
}

/** GET /org: one organisation per installation. Zoho's SDKs read its zgid to name their token-store entries. */
export function organisation() {
  return {
    id: '1',
    zgid: '1',
    company_name: 'Casepane',
    time_zone: 'UTC',
    iso_code: 'USD',
    currency: 'US Dollar - USD',
    currency_symbol: '$',
    country_code: 'US',
    mc_status: false,
    type: 'production',
  };
}
