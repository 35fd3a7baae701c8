/**
 * Shapes of the case follow-up endpoints as the pane reads them (timeline, notes, activities, emails, attachments,
 * solutions, mail, layout). The server's own types live in src/server; these are the parts the pane uses.
 */
import type { EmailLinkRecord, LookupRef, RecordResult } from '../../shared/api-types';
import type { CustomFieldType, LocalizedText } from '../../shared/case-fields';
import type { FieldValue } from '../../shared/validation';

export type TimelineAction =
  | 'created'
  | 'updated'
  | 'cloned'
  | 'imported'
  | 'web_form'
  | 'email_linked'
  | 'email_unlinked'
  | 'email_sent'
  | 'note_added'
  | 'activity_added'
  | 'activity_completed'
  | 'attachment_added'
  | 'solution_published'
  | 'assigned'
  | 'escalated';

export interface TimelineEntry {
  id: string;
  action: TimelineAction | string;
  done_by: { id: string; name: string } | null;
  audited_time: string;
  field_history: { api_name: string; _value: { old: FieldValue; new: FieldValue } }[];
}

export const NOTE_LIMITS = { Note_Title: 120, Note_Content: 32_000 } as const;

export interface NoteRecord {
  id: string;
  Note_Title: string | null;
  Note_Content: string;
  Created_By: LookupRef;
  Created_Time: string;
}

export interface NewNote {
  Note_Title?: string;
  Note_Content: string;
}

export type ActivityType = 'Tasks' | 'Calls' | 'Events';

export interface ActivityRecord {
  id: string;
  Activity_Type: ActivityType;
  Subject: string;
  Due_Date: string | null;
  End_DateTime: string | null;
  Status: string;
  Description: string | null;
  Owner: LookupRef | null;
  Created_Time: string;
  Closed_Time: string | null;
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

export interface AttachmentRecord {
  id: string;
  File_Name: string;
  Size: number;
  Content_Type: string;
  Created_By: LookupRef | null;
  Created_Time: string;
}

export interface UploadFile {
  name: string;
  contentType: string;
  data: Blob;
}

export interface SolutionRecord {
  id: string;
  Solution_Number: string;
  Solution_Title: string;
  Question: string | null;
  Answer: string;
  Status: 'Draft' | 'Reviewed' | 'Published' | string;
  Cases?: { id: string; Case_Number: string; Subject: string }[];
}

export interface EmailTemplate {
  id: string;
  name: string;
  subject: string;
  body: string;
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
}

/** One recipient's outcome of a bulk send. */
export type BulkMailResult = RecordResult;

export interface LayoutEntry {
  api_name: string;
  hidden?: boolean;
  read_only?: boolean;
}

export interface NewCustomField {
  api_name: string;
  label: LocalizedText;
  type: CustomFieldType;
  length?: number;
  pick_list_values?: string[];
}
