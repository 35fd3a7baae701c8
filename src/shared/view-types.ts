import type { CaseRecord } from './api-types';

/**
 * Custom views of Cases as Zoho's /settings/custom_views serves them (GET, and v6's create/update/delete), and the
 * rows of the My cases queue. One source for the pane and the server.
 */

/** Zoho's criteria object: one comparison, or a group joined by and/or. */
export type ViewCriteria =
  | { comparator: string; field: { api_name: string }; value: string | string[] }
  | { group_operator: 'and' | 'or'; group: ViewCriteria[] };

/** only_to_me: the owner's private view; public: shared with the team (set by an admin). */
export type ViewAccess = 'only_to_me' | 'public';

export interface CustomView {
  id: string;
  name: string;
  display_value: string;
  system_name: string | null;
  system_defined: boolean;
  default: boolean;
  /** Zoho's grouping in the picker: public_views (built-in and shared), created_by_me, shared_with_me. */
  category: 'public_views' | 'created_by_me' | 'shared_with_me';
  access_type: ViewAccess;
  sort_by: { api_name: string } | null;
  sort_order: 'asc' | 'desc' | null;
  /** Zoho's criteria object (null: every case the view's other rules allow). */
  criteria: ViewCriteria | null;
  /** The same criteria in the search grammar (`(Status:equals:New)`), as a client sends it back on save. */
  search_criteria: string | null;
  /** The columns, in order. */
  fields: { api_name: string }[];
  created_by: { id: string; name: string } | null;
  created_time: string | null;
  modified_time: string | null;
  /** Whether the caller may change or delete it. */
  editable: boolean;
}

/** What an agent sends to create or change a view; criteria in the search grammar, as GET /Cases/search takes it. */
export interface CustomViewInput {
  name: string;
  criteria?: string | null;
  sort_by?: { api_name: string } | null;
  sort_order?: 'asc' | 'desc' | null;
  fields?: { api_name: string }[];
  access_type?: ViewAccess;
}

/** Stable ids of the built-in views (numeric like Zoho's; far above any id a table hands out). */
export const BUILT_IN_VIEW_IDS = {
  my_open: '9100000000000000001',
  unassigned: '9100000000000000002',
  escalated: '9100000000000000003',
  waiting: '9100000000000000004',
  recently_closed: '9100000000000000005',
  all_open: '9100000000000000006',
} as const;

/** "Recently closed": closed, and last changed within this many days. */
export const RECENTLY_CLOSED_DAYS = 7;

/** The latest inbound email on a case. */
export interface LastCustomerMessage {
  email_id: string;
  time: string;
  subject: string | null;
  snippet: string | null;
  /** The Outlook item id the pane stored when it linked the message, with the mailbox it came from. */
  item_id: string | null;
  mailbox: string | null;
}

/** When the active escalation rule fires for a case (null: no active rule applies to it). */
export interface EscalationDue {
  rule: { id: string; name: string; hours: number };
  due_time: string;
  overdue: boolean;
}

/** One row of GET /crm/v6/Cases/actions/queue. */
export interface QueueRow {
  case: CaseRecord;
  last_customer_message: LastCustomerMessage | null;
  escalation: EscalationDue | null;
}

export interface QueuePage {
  data: QueueRow[];
  info: { page: number; per_page: number; count: number; more_records: boolean; cvid: string };
}
