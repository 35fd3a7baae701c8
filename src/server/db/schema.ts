/** Table types: the shape of rows as stored. Only repositories see these; services return API types. */
import type { ColumnType, Generated, GeneratedAlways } from 'kysely';

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
  /** received: linked from a mailbox; sent: sent from the case through SMTP. */
  direction: ColumnType<string, string | undefined, string>;
  /** Thread headers (normalised Message-IDs; references as a JSON array), when the message had them. */
  in_reply_to: ColumnType<string | null, string | null | undefined, string | null>;
  references_json: ColumnType<string | null, string | null | undefined, string | null>;
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

export interface CaseHistoryTable {
  id: Generated<RowId> & Id;
  case_id: RowId;
  action: string;
  /** JSON list of {api_name, old, new}. */
  changes: string;
  actor_id: RowId | null;
  time: string;
}

export interface NotesTable {
  id: Generated<RowId> & Id;
  case_id: RowId;
  title: string | null;
  content: string;
  created_by_id: RowId;
  created_time: string;
  modified_time: string;
}

export interface ActivitiesTable {
  id: Generated<RowId> & Id;
  case_id: RowId;
  kind: string;
  subject: string;
  due_time: string | null;
  end_time: string | null;
  status: string;
  description: string | null;
  owner_id: RowId;
  created_by_id: RowId;
  created_time: string;
  closed_time: string | null;
}

export interface AttachmentsTable {
  id: Generated<RowId> & Id;
  case_id: RowId;
  file_name: string;
  size: RowId;
  content_type: string;
  blob_key: string;
  sha256: string;
  source_message_id: string | null;
  created_by_id: RowId;
  created_time: string;
}

export interface SolutionsTable {
  id: Generated<RowId> & Id;
  solution_number: ColumnType<RowId, RowId, never>;
  title: string;
  question: string | null;
  answer: string;
  status: string;
  owner_id: RowId;
  created_by_id: RowId;
  modified_by_id: RowId;
  created_time: string;
  modified_time: string;
}

export interface SolutionCasesTable {
  solution_id: RowId;
  case_id: RowId;
}

/** SQLite stores booleans as 0/1, PostgreSQL as booleans. */
export type DbBool = boolean | number;

export interface AssignmentRulesTable {
  id: Generated<RowId> & Id;
  name: string;
  position: number;
  criteria: string | null;
  owner_id: RowId | null;
  round_robin_user_ids: string;
  next_index: number;
  active: DbBool;
  created_time: string;
}

export interface EscalationRulesTable {
  id: Generated<RowId> & Id;
  name: string;
  criteria: string | null;
  hours: number;
  escalate_to_id: RowId | null;
  to_owners_manager: DbBool;
  active: DbBool;
  created_time: string;
}

export interface EmailTemplatesTable {
  id: Generated<RowId> & Id;
  name: string;
  subject: string;
  body: string;
  created_time: string;
}

export interface WebFormsTable {
  id: Generated<RowId> & Id;
  form_key: string;
  name: string;
  language: string;
  /** JSON list of {api_name, label, required}. */
  fields: string;
  return_url: string | null;
  active: DbBool;
  created_time: string;
}

/** An outgoing effect waiting for (or done with) delivery after the commit that wrote it. */
export interface OutboxTable {
  id: Generated<RowId> & Id;
  /** Which handler delivers it, e.g. case_mail. */
  kind: string;
  /** The handler's input, JSON. */
  payload: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_time: string;
  /** While a process delivers it, no other may (until then). */
  lease_until: string | null;
  last_error: string | null;
  created_time: string;
  done_time: string | null;
}

/** A Notification API channel (POST /crm/v6/actions/watch), owned by the user who enabled it. */
export interface NotificationChannelsTable {
  id: Generated<RowId> & Id;
  /** The client's own number for the channel (Zoho: a long), echoed in every callback. */
  channel_id: string;
  owner_id: RowId;
  /** JSON list of the operations watched: create, edit, delete. */
  events: string;
  notify_url: string;
  /** The client's verification value, echoed in every callback body. */
  token: string | null;
  /** The HMAC-SHA256 key of the X-Casepane-Signature header; chosen by the server. */
  secret: string;
  channel_expiry: string;
  notify_on_related_action: number;
  return_affected_field_values: number;
  created_time: string;
  modified_time: string;
}

/** A support mailbox read over IMAP; password and access_token are write-only through the API. */
export interface MailboxesTable {
  id: Generated<RowId> & Id;
  name: string;
  host: string;
  port: number;
  /** 1: TLS from the first byte (IMAPS); 0: plain, upgraded with STARTTLS when starttls is 1. */
  secure: number;
  starttls: number;
  username: string;
  password: string | null;
  /** OAuth2 access token for XOAUTH2 (Exchange Online, Gmail). */
  access_token: string | null;
  folder: string;
  enabled: number;
  /** JSON list of lower-cased addresses and domains whose mail is never captured. */
  never_capture: string;
  created_time: string;
  modified_time: string;
  last_poll_time: string | null;
  messages_captured: number;
  last_error: string | null;
  last_error_time: string | null;
  /** 1: each new case captured from this mailbox gets an acknowledgement from the template ack_template_id. */
  ack_enabled: ColumnType<number, number | undefined, number>;
  ack_template_id: ColumnType<RowId | null, RowId | null | undefined, RowId | null>;
  /** OAuth2 client credentials (Exchange Online app-only IMAP): the server fetches and renews the access token. */
  oauth_token_url: ColumnType<string | null, string | null | undefined, string | null>;
  oauth_client_id: ColumnType<string | null, string | null | undefined, string | null>;
  oauth_client_secret: ColumnType<string | null, string | null | undefined, string | null>;
  oauth_scope: ColumnType<string | null, string | null | undefined, string | null>;
}

/** How far a mailbox folder has been read: written in the transaction of the last message's effects. */
export interface MailboxCheckpointsTable {
  mailbox_id: RowId;
  folder: string;
  uid_validity: string;
  last_uid: number;
  modified_time: string;
}

/** Which process reads a mailbox, until when (renewed while reading). */
export interface MailboxLeasesTable {
  mailbox_id: RowId;
  holder: string;
  lease_until: string;
}

/** One message seen in a mailbox: what became of it (a case, a link) or why it was skipped. */
export interface MailboxMessagesTable {
  id: Generated<RowId> & Id;
  mailbox_id: RowId;
  folder: string;
  uid_validity: string;
  uid: number;
  internet_message_id: string | null;
  outcome: string;
  case_id: RowId | null;
  detail: string | null;
  created_time: string;
}

export interface ImportsTable {
  id: Generated<RowId> & Id;
  import_key: string;
  file_name: string;
  status: string;
  total_rows: number;
  created_rows: number;
  skipped_rows: number;
  failed_rows: number;
  report: string;
  created_by_id: RowId;
  created_time: string;
  finished_time: string | null;
  /** Refreshed while the import runs; a running import with an old heartbeat has lost its process. */
  heartbeat_time: string | null;
}

export interface ImportRowsTable {
  import_key: string;
  row_number: number;
  case_id: RowId | null;
}

export interface FieldLayoutTable {
  api_name: string;
  position: number;
  hidden: DbBool;
  read_only: DbBool;
  /** On the quick-create form; null: the shared defaults decide. */
  quick: DbBool | null;
  /** JSON CustomFieldConfig of a custom field (added in the app or imported from fields.json); null for standard ones. */
  custom_definition: string | null;
  modified_time: string;
}

/** A version per group of cached settings (`fields`: layout and custom fields), raised by every change to it. */
export interface SettingsVersionsTable {
  name: string;
  version: number;
}

/**
 * The local issuer's ES256 keys, shared by every API process on the database (auth/local-issuer.ts). One key signs
 * at a time; older ones only verify until the last token they could have signed has expired.
 */
/** Attachment bytes when BLOB_STORE=postgres (the migration says why the table exists on SQLite too). */
export interface AttachmentBlobsTable {
  /** sha256 of the content, hex: the attachments' blob_key. */
  blob_key: string;
  /** bigint: pg hands it back as a string. */
  size: ColumnType<string | number, number, never>;
  content: Buffer;
  created_time: string;
}

export interface SigningKeysTable {
  kid: string;
  /** Signing generation: the next key takes the next number, so nodes racing to rotate agree on one winner. Null
   * for a key imported from a node's old key file, which only verifies. */
  key_number: number | null;
  /** JSON private JWK; erased once the key no longer signs (and never stored for an imported key). */
  private_jwk: string | null;
  /** JSON public JWK with kid, alg and use, as published at /.well-known/jwks.json. */
  public_jwk: string;
  created_time: string;
  /** After this no token is signed with the key. */
  signs_until: string;
  /** signs_until plus the longest token lifetime: after this no token it signed is valid, so it leaves the JWKS. */
  not_after: string;
}

/** SQLite only: named counters (PostgreSQL uses sequences). */
/** A deleted case, as GET /Cases/deleted lists it (the case row itself is gone). */
export interface DeletedCasesTable {
  id: RowId;
  display_name: string;
  created_by_id: RowId | null;
  deleted_by_id: RowId;
  deleted_time: string;
}

/** The reports' rollup per case (src/server/reports/case-metrics.repository.ts); ISO-8601 UTC times. */
export interface CaseMetricsTable {
  case_id: RowId;
  /** Copied from the case (created_time never changes; the others follow every update). */
  created_time: string;
  owner_id: RowId | null;
  status: string;
  case_origin: string;
  type: string | null;
  first_inbound_time: ColumnType<string | null, string | null | undefined, string | null>;
  first_response_time: ColumnType<string | null, string | null | undefined, string | null>;
  last_closed_time: ColumnType<string | null, string | null | undefined, string | null>;
  /** Generated (migration 2026-12-04T0300-duration-ranks): the week reported in and the duration, in ms. */
  response_week: GeneratedAlways<string | null>;
  response_ms: GeneratedAlways<number | string | null>;
  resolution_week: GeneratedAlways<string | null>;
  resolution_ms: GeneratedAlways<number | string | null>;
}

/** One row per change of a case's Status to Closed (the timeline entry's time). */
export interface CaseClosesTable {
  id: Generated<RowId> & Id;
  case_id: RowId;
  time: string;
}

/**
 * Signed counts of open cases per combination of the open-case reports' columns, appended by triggers on cases
 * and folded together now and then (src/server/reports/open-case-counts.repository.ts).
 */
export interface OpenCaseCountsTable {
  id: Generated<RowId> & Id;
  status: string;
  owner_id: RowId | null;
  priority: string | null;
  case_origin: string;
  type: string | null;
  case_reason: string | null;
  n: number;
}

export interface CountersTable {
  name: string;
  value: number;
}

/** A saved custom view of Cases (criteria in the search grammar; fields_json a JSON list of API names). */
export interface CustomViewsTable {
  id: Generated<RowId> & Id;
  name: string;
  criteria: string | null;
  sort_by: string | null;
  sort_order: string | null;
  fields_json: string;
  owner_id: RowId;
  /** 1: shared with the team (only an admin sets it); 0: the owner's alone. */
  shared: number;
  created_time: string;
  modified_time: string;
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
  deleted_cases: DeletedCasesTable;
  case_history: CaseHistoryTable;
  case_metrics: CaseMetricsTable;
  case_closes: CaseClosesTable;
  open_case_counts: OpenCaseCountsTable;
  notes: NotesTable;
  activities: ActivitiesTable;
  attachments: AttachmentsTable;
  solutions: SolutionsTable;
  solution_cases: SolutionCasesTable;
  assignment_rules: AssignmentRulesTable;
  escalation_rules: EscalationRulesTable;
  email_templates: EmailTemplatesTable;
  web_forms: WebFormsTable;
  imports: ImportsTable;
  import_rows: ImportRowsTable;
  field_layout: FieldLayoutTable;
  settings_versions: SettingsVersionsTable;
  outbox: OutboxTable;
  signing_keys: SigningKeysTable;
  attachment_blobs: AttachmentBlobsTable;
  notification_channels: NotificationChannelsTable;
  mailboxes: MailboxesTable;
  mailbox_checkpoints: MailboxCheckpointsTable;
  mailbox_leases: MailboxLeasesTable;
  mailbox_messages: MailboxMessagesTable;
  custom_views: CustomViewsTable;
}
