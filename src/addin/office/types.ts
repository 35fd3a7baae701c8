/** The add-in's view of its Outlook host. Everything outside src/addin/office/ uses only these types. */

export interface Person {
  name: string;
  email: string;
}

export interface MessageAttachment {
  id: string;
  name: string;
  size: number;
  contentType: string;
  isInline: boolean;
}

/**
 * What the pane cannot fully read of an item, said instead of a blank pane: an IRM-protected body, a folder the
 * agent has no read permission on, a meeting request (read as a message, accepted in Outlook), an unsent draft
 * (no Internet message ID yet).
 */
export type ItemLimit = 'protected' | 'no-access' | 'meeting-request' | 'draft';

/** Which message an action was started for: taken before its first await, so it cannot drift to another one. */
export interface MessageRef {
  itemId: string;
  internetMessageId: string;
}

/** The message open in the reading pane, read once and detached from Office. */
export interface OpenMessage {
  /** Mailbox item id (Exchange); stable for the item. */
  itemId: string;
  /** RFC 5322 Message-ID; the key for drafts and links. Empty only for items that have none. */
  internetMessageId: string;
  conversationId: string;
  subject: string;
  from: Person;
  to: Person[];
  cc: Person[];
  /** ISO 8601 date-time (Office's dateTimeCreated). */
  receivedTime: string | null;
  bodyText: string;
  attachments: MessageAttachment[];
  /** The owner's address when the message is in a shared or delegated mailbox (Office's shared properties). */
  sharedMailbox?: string | null;
  /** What of it the pane could not read (absent: everything was read). */
  limit?: ItemLimit;
  /** Thread headers (Mailbox 1.8 getAllInternetHeadersAsync); absent where the host cannot read them. */
  inReplyTo?: string | null;
  references?: string[];
}

/** One entry of a multi-selection: read, or the reason it could not be (one never stops the others). */
export interface SelectedMessage {
  subject: string;
  message: OpenMessage | null;
  error?: unknown;
}

/**
 * How an action bound to a message ended: done on it; `later` when the selection has moved and this host cannot
 * reach another item (no loadItemByIdAsync) — finish it when that message is open again; `failed` otherwise.
 */
export type BoundOutcome = 'done' | 'later' | 'failed';

/** What the pane is attached to: a message being read, a message being written, or nothing usable. */
export type ItemMode = 'read' | 'compose' | 'none';

/** The message being composed, as far as the pane needs it. */
export interface ComposeItem {
  subject: string;
  to: Person[];
  cc: Person[];
}

export interface HostTheme {
  bodyBackgroundColor?: string;
  bodyForegroundColor?: string;
  controlBackgroundColor?: string;
  controlForegroundColor?: string;
}

export type Unsubscribe = () => void;

export interface MailHost {
  /** The selected message, or null when nothing or several items are selected or the item is not a message. */
  readCurrentMessage(): Promise<OpenMessage | null>;
  /**
   * Called when the selection changes while the pane is pinned: ItemChanged, and SelectedItemsChanged (1.13) where the
   * host has it. Neither is reliable (office-js#6833, #5965): the pane also re-reads when it is focused again.
   */
  onSelectionChanged(callback: () => void): Unsubscribe;
  /** Called when the Office theme changes (where the host supports it). */
  onThemeChanged(callback: (theme: HostTheme | null) => void): Unsubscribe;
  displayLanguage(): string;
  theme(): HostTheme | null;
  supportsNestedAppAuth(): boolean;
  userProfile(): Person | null;

  /** Whether the pane is attached to a read item, a compose item, or neither (checked from the item itself). */
  itemMode(): ItemMode;
  /** Attachment contents can be read (Mailbox 1.8 getAttachmentContentAsync). */
  canCopyAttachments(): boolean;
  /**
   * The content of one attachment of the message `ref`, base64-encoded (file and item attachments; not cloud links).
   * Rejects with kind 'item-changed' when that message is no longer open and cannot be reached.
   */
  getAttachmentContent(ref: MessageRef, attachmentId: string): Promise<string>;
  /** Compose mode: the subject and recipients of the message being written. */
  readCompose(): Promise<ComposeItem>;
  /** Compose mode: replace the subject. */
  setComposeSubject(subject: string): Promise<void>;
  /** Compose mode: insert plain text at the cursor of the body. */
  insertComposeText(text: string): Promise<void>;
  /**
   * Tags the message `ref` with the category "Case <number>" (created in the master list when missing). Never
   * rejects; never tags another message.
   */
  addCaseCategory(ref: MessageRef, caseNumber: string): Promise<BoundOutcome>;
  /** Removes the category "Case <number>" from the message `ref`; like addCaseCategory. The master list is untouched. */
  removeCaseCategory(ref: MessageRef, caseNumber: string): Promise<BoundOutcome>;
  /**
   * Sets the message's status category ("Case: New", "Case: On Hold", "Case: Escalated", "Case: Closed"), removing
   * any other status category it has; a status without a bucket only removes them. Mailbox 1.8; never rejects.
   */
  setCaseStatusCategory(ref: MessageRef, status: string): Promise<BoundOutcome>;
  /** Another message than the open one can be reached by its item id (Mailbox 1.15 loadItemByIdAsync). */
  canLoadOtherItems(): boolean;
  /** Several messages can be selected and read (Mailbox 1.13 getSelectedItemsAsync + 1.15 loadItemByIdAsync). */
  supportsMultiSelect(): boolean;
  /** The selected messages, each read like the open one or with its error; empty when multi-select is unsupported. */
  readSelectedMessages(): Promise<SelectedMessage[]>;
  /** The item id of the open item right now (null: none, or several selected), to compare before re-reading. */
  currentItemId(): string | null;
  /**
   * Opens a message of this mailbox in its own Outlook window (Mailbox 1.0 displayMessageForm). False when the host
   * lacks it; an id Outlook does not know opens nothing and reports nothing (Outlook's documented behaviour).
   */
  displayMessageForm(itemId: string): boolean;
  /** The open message can be answered with Outlook's reply form (read mode; MessageRead.displayReplyForm). */
  canReply(): boolean;
  /**
   * Opens Outlook's reply to the message `ref` with `htmlBody` (HTML, at most 32 KB) above the quoted original.
   * False when `ref` is no longer the open message, the host has no reply form, or Outlook refuses.
   */
  displayReply(ref: MessageRef, htmlBody: string): Promise<boolean>;
}

export type OfficeErrorKind =
  | 'not-ready'
  | 'not-a-message'
  | 'body-unavailable'
  | 'event-unavailable'
  | 'attachment-unavailable'
  | 'compose-failed'
  | 'unsupported'
  | 'item-changed'
  | 'unknown';

/** A failure reported by Office, turned into something the pane can explain. */
export class OfficeError extends Error {
  override readonly name = 'OfficeError';
  constructor(
    readonly kind: OfficeErrorKind,
    message: string,
    readonly officeCode?: number,
  ) {
    super(message);
  }
}
