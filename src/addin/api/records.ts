/**
 * Request shapes of the case follow-up endpoints that only the pane sends (new notes and activities, uploads, mail,
 * layout). The records the API returns (timeline, notes, activities, attachments, solutions, templates) are shared
 * with the server: import them from src/shared/followup-types and src/shared/api-types.
 */
import type { EmailLinkRecord, RecordResult } from '../../shared/api-types';
import type { CustomFieldType, LocalizedText } from '../../shared/case-fields';
import type { ActivityType } from '../../shared/followup-types';

export interface NewNote {
  Note_Title?: string;
  Note_Content: string;
}

export interface NewActivity {
  Activity_Type: ActivityType;
  Subject: string;
  Due_Date?: string;
  Description?: string;
  Owner?: { id: string };
}

/** A message in the case's Emails list: linked from Outlook ("received") or sent from the case ("sent"). */
export type CaseEmailRecord = EmailLinkRecord & { direction?: 'received' | 'sent' | string };

export interface UploadFile {
  name: string;
  contentType: string;
  data: Blob;
}

export interface MailAddress {
  email: string;
  name?: string | null;
}

export interface CaseMail {
  to?: MailAddress[];
  cc?: MailAddress[];
  subject?: string;
  content?: string;
  template_id?: string;
}

export interface SentMail {
  id: string;
  subject: string;
  /** The mail server had not answered yet: the server keeps trying (it is in the Emails list once sent). */
  queued: boolean;
}

/** One recipient's outcome of a bulk send. */
export type BulkMailResult = RecordResult;

export interface LayoutEntry {
  api_name: string;
  hidden?: boolean;
  read_only?: boolean;
  /** On the pane's quick-create form; left out, the shared defaults decide. */
  quick?: boolean;
}

export interface NewCustomField {
  api_name: string;
  label: LocalizedText;
  type: CustomFieldType;
  length?: number;
  pick_list_values?: string[];
}
