/**
 * Shapes of the follow-up endpoints of a case (timeline, notes, activities, attachments, solutions, templates),
 * shared by the server that builds them and the pane that reads them.
 */
import type { LookupRef } from './api-types';
import type { FieldValue } from './validation';

export const TIMELINE_ACTIONS = [
  'created',
  'updated',
  'cloned',
  'imported',
  'web_form',
  'email_linked',
  'email_unlinked',
  'email_sent',
  /** Sending was given up: the mail server refused the message for good, or every retry failed. */
  'email_failed',
  'note_added',
  'activity_added',
  'activity_completed',
  'attachment_added',
  'solution_published',
  'assigned',
  'escalated',
] as const;
export type TimelineAction = (typeof TIMELINE_ACTIONS)[number];

export interface FieldChange {
  api_name: string;
  old: FieldValue;
  new: FieldValue;
}

export interface TimelineEntry {
  id: string;
  action: TimelineAction;
  /** null for the system (escalation rules, assignment rules). */
  done_by: LookupRef | null;
  audited_time: string;
  field_history: { api_name: string; _value: { old: FieldValue; new: FieldValue } }[];
}

export const NOTE_LIMITS = { Note_Title: 120, Note_Content: 32_000 } as const;

export interface NoteRecord {
  id: string;
  Note_Title: string | null;
  Note_Content: string;
  /** The case the note belongs to, as Zoho's Notes API names a note's parent record. */
  Parent_Id?: { id: string; name: string; module: { api_name: 'Cases' } };
  $se_module?: 'Cases';
  Owner?: LookupRef;
  Modified_By?: LookupRef;
  Created_By: LookupRef;
  Created_Time: string;
  Modified_Time: string;
}

export const ACTIVITY_TYPES = ['Tasks', 'Calls', 'Events'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];
export const OPEN_ACTIVITY_STATUSES = [
  'Not Started',
  'In Progress',
  'Deferred',
  'Waiting for input',
  'Scheduled',
] as const;
export const CLOSED_ACTIVITY_STATUSES = ['Completed'] as const;

export interface ActivityRecord {
  id: string;
  Activity_Type: ActivityType;
  Subject: string;
  Due_Date: string | null;
  End_DateTime: string | null;
  Status: string;
  Description: string | null;
  Owner: LookupRef;
  Created_Time: string;
  Closed_Time: string | null;
}

export interface AttachmentRecord {
  id: string;
  File_Name: string;
  Size: number;
  Content_Type: string;
  Source_Message_Id: string | null;
  Created_By: LookupRef;
  Created_Time: string;
}

export const SOLUTION_STATUSES = ['Draft', 'Reviewed', 'Published'] as const;
export type SolutionStatus = (typeof SOLUTION_STATUSES)[number];
export const SOLUTION_LIMITS = { Solution_Title: 255, Question: 32_000, Answer: 32_000 } as const;

export interface SolutionRecord {
  id: string;
  Solution_Number: string;
  Solution_Title: string;
  Question: string | null;
  Answer: string;
  Status: SolutionStatus;
  Owner: LookupRef;
  Created_Time: string;
  Modified_Time: string;
  Cases: { id: string; Case_Number: string; Subject: string }[];
}

export interface EmailTemplate {
  id: string;
  name: string;
  subject: string;
  body: string;
}
