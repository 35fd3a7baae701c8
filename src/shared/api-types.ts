/**
 * Request and response shapes of the Cases API (Zoho CRM v6 conventions), shared by the server and the add-in.
 */
import type { CaseStatus } from './case-fields';
import type { FieldError, FieldValue } from './validation';

export const API_BASE = '/crm/v6';
export const MAX_RECORDS_PER_CALL = 100;
export const MAX_BODY_BYTES = 1024 * 1024;

export interface Envelope<T> {
  data: T[];
  info?: ListInfo;
}

export interface ListInfo {
  page: number;
  per_page: number;
  count: number;
  more_records: boolean;
  sort_by?: string;
  sort_order?: 'asc' | 'desc';
  /** Zoho's cursor past the first 2,000 records: send it as page_token for the next page. */
  next_page_token?: string | null;
  previous_page_token?: string | null;
  page_token_expiry?: string | null;
}

export interface LookupRef {
  id: string;
  name: string;
  email?: string;
}

/** A case as the API returns it: standard and custom fields by API name, lookups as {id, name}. */
export interface CaseRecord {
  id: string;
  Case_Number: string;
  Subject: string;
  Status: CaseStatus;
  Priority: string | null;
  Case_Origin: string;
  Type: string | null;
  Case_Reason: string | null;
  Email: string | null;
  Phone: string | null;
  Reported_By: string | null;
  Description: string | null;
  Internal_Comments: string | null;
  Solution: string | null;
  Add_Comment: string | null;
  Owner: LookupRef | null;
  Related_To: LookupRef | null;
  Account_Name: LookupRef | null;
  Product_Name: LookupRef | null;
  Deal_Name: LookupRef | null;
  Created_Time: string;
  Modified_Time: string;
  Created_By: LookupRef;
  Modified_By: LookupRef;
  /** Optimistic concurrency: send it back with an update; a stale one gets 409 CONFLICT. */
  $version: number;
  [customField: string]: FieldValue | LookupRef | undefined;
}

export type CaseInput = Record<string, FieldValue | { id: string | number }>;

/** Per-record outcome of a write, as Zoho reports it. */
export interface RecordSuccess {
  code: 'SUCCESS';
  details: {
    id: string;
    Case_Number?: string;
    Created_Time?: string;
    Modified_Time?: string;
    /** from_email only: true when the message had already been converted and the first case is returned. */
    duplicate?: boolean;
    /** from_email only: true when the message threads to an existing case (its headers) and was linked to it. */
    threaded?: boolean;
    /** Updates: the case's new version, to send back as `$version` with the next update. */
    $version?: number;
    /** Other per-action details (e.g. message_id of a sent email). */
    [key: string]: unknown;
  };
  message: string;
  status: 'success';
  /** Upsert only: whether the record was inserted or updated, and which duplicate check field matched. */
  action?: 'insert' | 'update';
  duplicate_field?: string | null;
}

export interface RecordError {
  code: string;
  details: {
    api_name?: string;
    json_path?: string;
    maximum_length?: number;
    expected_data_type?: string;
    id?: string;
    /** Every field error of the record (Zoho reports only the first in code/details). */
    errors?: FieldError[];
    [key: string]: unknown;
  };
  message: string;
  status: 'error';
}

export type RecordResult = RecordSuccess | RecordError;

/** A request-level failure (auth, rate limit, malformed body): no `data` wrapper. */
export interface ApiError {
  code: string;
  details: Record<string, unknown>;
  message: string;
  status: 'error';
}

/** A received message, as the add-in reads it from Outlook and links it to a case. */
export interface EmailMessageInput {
  /** RFC 5322 Message-ID (Outlook's internetMessageId), angle brackets optional. */
  internet_message_id: string;
  conversation_id?: string | null;
  /** The mailbox item id (Exchange), so the pane can open it again. */
  item_id?: string | null;
  /** The mailbox the message was read from (shared mailboxes). */
  mailbox?: string | null;
  from: { name?: string | null; email: string };
  to?: { name?: string | null; email: string }[];
  cc?: { name?: string | null; email: string }[];
  subject?: string | null;
  sent_time?: string | null;
  body_text?: string | null;
  /** The thread's headers (Message-IDs, brackets optional): a message replying to a case's mail threads to it. */
  in_reply_to?: string | null;
  references?: string[];
}

export interface EmailLinkRecord {
  id: string;
  case_id: string;
  internet_message_id: string;
  conversation_id: string | null;
  item_id: string | null;
  mailbox: string | null;
  from: { name: string | null; email: string };
  to: { name: string | null; email: string }[];
  cc: { name: string | null; email: string }[];
  subject: string | null;
  sent_time: string | null;
  body_text: string | null;
  linked_time: string;
  linked_by: LookupRef;
}

/** POST /crm/v6/Cases/actions/from_email */
export interface FromEmailRequest {
  data: { case: CaseInput; message: EmailMessageInput }[];
}

/** GET /crm/v6/Emails/cases: what the pane shows for the open message. */
export interface LinkedCaseSummary {
  id: string;
  Case_Number: string;
  Subject: string;
  Status: CaseStatus;
  Priority: string | null;
  Owner: LookupRef | null;
  Modified_Time: string;
  /** This message is linked; or another message of its thread; or its subject carries the case reference. */
  match: 'message' | 'thread' | 'reference';
}

export interface ContactRecord {
  id: string;
  First_Name: string | null;
  Last_Name: string;
  Full_Name: string;
  Email: string | null;
  Phone: string | null;
  Account_Name: LookupRef | null;
}

export interface AccountRecord {
  id: string;
  Account_Name: string;
}

export interface ProductRecord {
  id: string;
  Product_Name: string;
}

export interface DealRecord {
  id: string;
  Deal_Name: string;
  Account_Name: LookupRef | null;
}

export type Role = 'viewer' | 'agent' | 'manager' | 'admin';

export interface UserRecord {
  id: string;
  full_name: string;
  email: string;
  role: { name: Role };
  status: 'active' | 'disabled';
  /** Whom escalations "to the owner's manager" go to (Zoho's Reporting_To); set by admins. */
  manager?: { id: string; name: string } | null;
}

/** GET /crm/v6/settings/fields?module=Cases (Zoho's shape, the parts clients use). */
export interface FieldMetadata {
  api_name: string;
  field_label: string;
  display_label: string;
  data_type: string;
  length: number | null;
  system_mandatory: boolean;
  read_only: boolean;
  /** False when the organisation's layout hides the field. */
  visible: boolean;
  /** Casepane's: on the pane's quick-create form (the rest is under "More fields"). */
  quick_create?: boolean;
  custom_field: boolean;
  pick_list_values: { display_value: string; actual_value: string }[];
  lookup: { module: { api_name: string } } | null;
  translations: Record<string, string>;
}
