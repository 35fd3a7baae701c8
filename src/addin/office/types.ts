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
}

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
  /** Called when the selection changes while the pane is pinned. */
  onSelectionChanged(callback: () => void): Unsubscribe;
  /** Called when the Office theme changes (where the host supports it). */
  onThemeChanged(callback: (theme: HostTheme | null) => void): Unsubscribe;
  displayLanguage(): string;
  theme(): HostTheme | null;
  supportsNestedAppAuth(): boolean;
  userProfile(): Person | null;

  /** Whether the pane is attached to a read item, a compose item, or neither (checked from the item itself). */
  itemMode(): ItemMode;
  /** The content of one attachment of the open message, base64-encoded (file and item attachments; not cloud links). */
  getAttachmentContent(attachmentId: string): Promise<string>;
  /** Compose mode: the subject and recipients of the message being written. */
  readCompose(): Promise<ComposeItem>;
  /** Compose mode: replace the subject. */
  setComposeSubject(subject: string): Promise<void>;
  /** Compose mode: insert plain text at the cursor of the body. */
  insertComposeText(text: string): Promise<void>;
  /**
   * Tags the open message with the category "Case <number>" (created in the master list when missing). Best effort:
   * resolves false when the host cannot (older Outlook, no permission); never rejects.
   */
  addCaseCategory(caseNumber: string): Promise<boolean>;
  /**
   * Removes the category "Case <number>" from the open message (after it was unlinked from or moved off that case).
   * Best effort like addCaseCategory: resolves false when the host cannot; never rejects. The master list is untouched.
   */
  removeCaseCategory(caseNumber: string): Promise<boolean>;
  /** Several messages can be selected and read (Mailbox 1.13 getSelectedItemsAsync + 1.15 loadItemByIdAsync). */
  supportsMultiSelect(): boolean;
  /** The selected messages, each read like the open one; empty when multi-select is unsupported. */
  readSelectedMessages(): Promise<OpenMessage[]>;
}

export type OfficeErrorKind =
  | 'not-ready'
  | 'not-a-message'
  | 'body-unavailable'
  | 'event-unavailable'
  | 'attachment-unavailable'
  | 'compose-failed'
  | 'unsupported'
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
