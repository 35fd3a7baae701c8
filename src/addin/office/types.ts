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
}

export type OfficeErrorKind = 'not-ready' | 'not-a-message' | 'body-unavailable' | 'event-unavailable' | 'unknown';

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
