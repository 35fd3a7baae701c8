/**
 * The case model: every standard field of the Cases module (spec: shared/spec/cases-module.md)
 * with its API name, type, limit and picklist values. One source for the add-in and the server.
 */

export type Language = 'en' | 'pl' | 'zh-CN';
export type LocalizedText = Record<Language, string>;

export type FieldType =
  | 'autonumber'
  | 'text'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'picklist'
  | 'lookup'
  | 'number'
  | 'date'
  | 'url'
  | 'boolean';

export type LookupModule = 'Users' | 'Contacts' | 'Accounts' | 'Products' | 'Deals';

export interface PicklistOption {
  /** The value stored and sent over the API. */
  value: string;
  label: LocalizedText;
}

export interface FieldDefinition {
  apiName: string;
  label: LocalizedText;
  type: FieldType;
  /** Maximum length in characters (Unicode code points) for text-like fields. */
  maxLength?: number;
  /** Maximum number of digits (auto numbers). */
  maxDigits?: number;
  picklist?: readonly PicklistOption[];
  lookupModule?: LookupModule;
  /** Always required. Conditional rules (Email when origin is Email) live in validateCase(). */
  mandatory?: boolean;
  /** Set by the system; the API refuses writes to it. */
  readOnly?: boolean;
  defaultValue?: string;
  custom?: boolean;
  /** Hidden by the organisation's layout: not shown, and not writable through the API. */
  hidden?: boolean;
  /** On the pane's quick-create form (set in the layout); unset means QUICK_DEFAULTS decides. */
  quick?: boolean;
}

const text = (en: string, pl: string, zh: string): LocalizedText => ({ en, pl, 'zh-CN': zh });
const option = (value: string, pl: string, zh: string): PicklistOption => ({
  value,
  label: text(value, pl, zh),
});

export const LIMITS = {
  Subject: 255,
  Phone: 50,
  Description: 32_000,
  Internal_Comments: 3_000,
  Solution: 32_000,
  Add_Comment: 32_000,
  /** The spec gives no limit for Reported By (a display name); 255 matches other name fields. */
  Reported_By: 255,
  /** RFC 5321: a forward path holds at most 254 characters. */
  Email: 254,
  Case_Number_Digits: 16,
} as const;

export const STATUS_VALUES = ['New', 'On Hold', 'Escalated', 'Closed'] as const;
export const PRIORITY_VALUES = ['High', 'Medium', 'Low'] as const;
export const CASE_ORIGIN_VALUES = ['Email', 'Phone', 'Web'] as const;
export const TYPE_VALUES = ['Question', 'Problem', 'Feature Request'] as const;
export const CASE_REASON_VALUES = [
  'User did not attend any training',
  'Complex functionality',
  'Existing problem',
  'Instructions not clear',
  'New problem',
] as const;

export type CaseStatus = (typeof STATUS_VALUES)[number];
export type CasePriority = (typeof PRIORITY_VALUES)[number];
export type CaseOrigin = (typeof CASE_ORIGIN_VALUES)[number];

/**
 * The standard Cases fields, in layout order. Declared `as const` so their API names are a type
 * (StandardFieldName): the server's column map must name a column for each, or it does not compile.
 */
const STANDARD_FIELD_LIST = [
  {
    apiName: 'Case_Number',
    label: text('Case Number', 'Numer sprawy', '服务支持编号'),
    type: 'autonumber',
    maxDigits: LIMITS.Case_Number_Digits,
    readOnly: true,
  },
  {
    apiName: 'Product_Name',
    label: text('Product Name', 'Nazwa produktu', '产品名称'),
    type: 'lookup',
    lookupModule: 'Products',
  },
  {
    apiName: 'Owner',
    label: text('Case Owner', 'Właściciel sprawy', '服务支持所有者'),
    type: 'lookup',
    lookupModule: 'Users',
  },
  {
    apiName: 'Subject',
    label: text('Subject', 'Temat', '主题'),
    type: 'text',
    maxLength: LIMITS.Subject,
    mandatory: true,
  },
  {
    apiName: 'Priority',
    label: text('Priority', 'Priorytet', '优先级'),
    type: 'picklist',
    picklist: [
      option('High', 'Wysoki', '高'),
      option('Medium', 'Średni', '中'),
      option('Low', 'Niski', '低'),
    ],
  },
  {
    apiName: 'Status',
    label: text('Status', 'Status', '状态'),
    type: 'picklist',
    mandatory: true,
    defaultValue: 'New',
    picklist: [
      option('New', 'Nowa', '新建'),
      option('On Hold', 'Wstrzymana', '暂停'),
      option('Escalated', 'Eskalowana', '已升级'),
      option('Closed', 'Zamknięta', '已关闭'),
    ],
  },
  {
    apiName: 'Reported_By',
    label: text('Reported By', 'Zgłoszony przez', '报告人'),
    type: 'text',
    maxLength: LIMITS.Reported_By,
  },
  {
    apiName: 'Related_To',
    label: text('Related To', 'Związany z', '关联对象'),
    type: 'lookup',
    lookupModule: 'Contacts',
  },
  {
    apiName: 'Type',
    label: text('Type', 'Rodzaj', '类型'),
    type: 'picklist',
    picklist: [
      option('Question', 'Pytanie', '问题'),
      option('Problem', 'Problem', '故障'),
      option('Feature Request', 'Prośba o funkcję', '功能请求'),
    ],
  },
  {
    apiName: 'Case_Origin',
    label: text('Case Origin', 'Pochodzenie sprawy', '服务支持来源'),
    type: 'picklist',
    mandatory: true,
    picklist: [
      option('Email', 'E-mail', '电子邮件'),
      option('Phone', 'Telefon', '电话'),
      option('Web', 'Witryna', '网站'),
    ],
  },
  { apiName: 'Email', label: text('Email', 'E-mail', '电子邮件'), type: 'email', maxLength: LIMITS.Email },
  {
    apiName: 'Account_Name',
    label: text('Account Name', 'Nazwa konta', '客户名称'),
    type: 'lookup',
    lookupModule: 'Accounts',
  },
  {
    apiName: 'Deal_Name',
    label: text('Deal Name', 'Nazwa szansy', '商机名称'),
    type: 'lookup',
    lookupModule: 'Deals',
  },
  { apiName: 'Phone', label: text('Phone', 'Telefon', '电话'), type: 'phone', maxLength: LIMITS.Phone },
  {
    apiName: 'Case_Reason',
    label: text('Case Reason', 'Przyczyna sprawy', '服务支持原因'),
    type: 'picklist',
    picklist: [
      option(
        'User did not attend any training',
        'Użytkownik nie uczestniczył w szkoleniu',
        '用户未参加任何培训',
      ),
      option('Complex functionality', 'Złożona funkcjonalność', '功能复杂'),
      option('Existing problem', 'Istniejący problem', '已有问题'),
      option('Instructions not clear', 'Niejasne instrukcje', '说明不清楚'),
      option('New problem', 'Nowy problem', '新问题'),
    ],
  },
  {
    apiName: 'Description',
    label: text('Description', 'Opis', '描述'),
    type: 'textarea',
    maxLength: LIMITS.Description,
  },
  {
    apiName: 'Internal_Comments',
    label: text('Internal Comments', 'Komentarze wewnętrzne', '内部评论'),
    type: 'textarea',
    maxLength: LIMITS.Internal_Comments,
  },
  {
    apiName: 'Solution',
    label: text('Solution', 'Rozwiązanie', '解决方案'),
    type: 'textarea',
    maxLength: LIMITS.Solution,
  },
  {
    apiName: 'Add_Comment',
    label: text('Add Comment', 'Dodaj komentarz', '添加评论'),
    type: 'textarea',
    maxLength: LIMITS.Add_Comment,
  },
] as const satisfies readonly FieldDefinition[];

export type StandardFieldName = (typeof STANDARD_FIELD_LIST)[number]['apiName'];
export const STANDARD_FIELDS: readonly FieldDefinition[] = STANDARD_FIELD_LIST;

/** Fields the layout may never hide or make read-only: the mandatory ones, and Email (required for email cases). */
export const LAYOUT_LOCKED_FIELDS = ['Subject', 'Status', 'Case_Origin', 'Email'];

/**
 * The quick-create form's fields when the layout does not say (issue 16, item 1): what an agent sets on nearly every
 * case. The rest of the form is under "More fields".
 */
export const QUICK_DEFAULTS: readonly string[] = [
  'Subject',
  'Email',
  'Reported_By',
  'Status',
  'Priority',
  'Owner',
  'Description',
];

export const isQuickField = (field: FieldDefinition): boolean =>
  field.quick ?? QUICK_DEFAULTS.includes(field.apiName);

/** Fields the system keeps on every case; never writable through the API. */
export const SYSTEM_FIELDS = ['id', 'Created_Time', 'Modified_Time', 'Created_By', 'Modified_By'] as const;

/** Custom field types an administrator may add (the spec: "administrators can add custom fields"). */
export const CUSTOM_FIELD_TYPES = [
  'text',
  'textarea',
  'number',
  'date',
  'picklist',
  'email',
  'url',
  'boolean',
] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** Default and ceiling for custom text fields, so no field is unbounded. */
export const CUSTOM_TEXT_DEFAULT_LIMIT = 255;
export const CUSTOM_TEXTAREA_MAX_LIMIT = 32_000;

/** The complete field list for an organisation: standard fields followed by its custom fields. */
export function caseFields(custom: readonly FieldDefinition[] = []): FieldDefinition[] {
  return [...STANDARD_FIELDS, ...custom];
}

export function fieldByApiName(
  fields: readonly FieldDefinition[],
  apiName: string,
): FieldDefinition | undefined {
  return fields.find((f) => f.apiName === apiName);
}

export function labelOf(field: FieldDefinition, language: Language): string {
  return field.label[language] ?? field.label.en;
}

/** Length in characters as a person counts them: Unicode code points, so 中文 and emoji count once. */
export function characterCount(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/** Cut text to at most `max` code points without splitting a surrogate pair. */
export function truncateToLimit(value: string, max: number): { text: string; truncated: boolean } {
  if (value.length <= max) return { text: value, truncated: false };
  const points = Array.from(value);
  if (points.length <= max) return { text: value, truncated: false };
  return { text: points.slice(0, max).join(''), truncated: true };
}
