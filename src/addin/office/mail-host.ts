/**
 * The Office adapter: the only code that touches the Office.js global. It reads the selected message into a
 * plain OpenMessage, follows the selection, and turns every Office failure into an OfficeError.
 * Written against Microsoft's Outlook API reference: every member newer than Mailbox 1.1 is used only after
 * Office.context.requirements.isSetSupported says the host has its set, and every action is bound to the message
 * it was started for (MessageRef), never to whatever Office.context.mailbox.item is by the time it runs.
 */
import { STATUS_CATEGORIES, staleStatusCategories } from './case-categories';
import { createItemAccess } from './bound-items';
import {
  BoundOutcome,
  ComposeItem,
  HostTheme,
  ItemMode,
  ItemLimit,
  MailHost,
  MessageRef,
  OfficeError,
  OfficeErrorKind,
  OpenMessage,
  Person,
  SelectedMessage,
  Unsubscribe,
} from './types';
import { supportsOfficeTheme } from './requirements';
import { threadHeadersOf, type ThreadHeaders } from './internet-headers';
import { createReplyForm } from './reply-form';

/** The parts of the Office namespace we use; the real global and office-addin-mock objects both fit. */
type OfficeApi = typeof Office;

const BODY_TIMEOUT_MS = 15_000;
const CALL_TIMEOUT_MS = 15_000;
/** Shared-mailbox lookups are a nicety: the message is still read if Outlook takes long to answer. */
const SHARED_TIMEOUT_MS = 3_000;
/** Outlook's "The selected item has been changed" (APICallFailedDueToItemChange): a call raced the selection. */
const ITEM_CHANGED_CODE = 9030;
/** PermissionDenied: the item is in a folder the agent may not read. */
const PERMISSION_DENIED_CODE = 9016;
/** AccessRestricted: the item's content is restricted (an IRM-protected message). */
const ACCESS_RESTRICTED_CODE = 9017;

type AsyncCallback<T> = (result: Office.AsyncResult<T>) => void;

/** A compose-mode property: a string in read mode, an object with getAsync/setAsync in compose mode. */
interface AsyncProperty<T> {
  getAsync(callback: AsyncCallback<T>): void;
  setAsync?(value: T, callback: AsyncCallback<void>): void;
}

function isAsyncProperty<T>(value: unknown): value is AsyncProperty<T> {
  return (
    typeof value === 'object' && value !== null && typeof (value as AsyncProperty<T>).getAsync === 'function'
  );
}

function officeGlobal(): OfficeApi {
  const office = (globalThis as { Office?: OfficeApi }).Office;
  if (!office) throw new OfficeError('not-ready', 'Office.js is not loaded');
  return office;
}

/** Resolves once Office.js has initialised, with the adapter for its mailbox. */
export async function whenOfficeReady(office: OfficeApi = officeGlobal()): Promise<MailHost> {
  try {
    await office.onReady();
  } catch (error) {
    throw new OfficeError('not-ready', `Office did not initialise: ${describe(error)}`);
  }
  return createMailHost(office);
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error)
    return String((error as { message: unknown }).message);
  return String(error);
}

function toPerson(value: unknown): Person {
  const v = (value ?? {}) as { displayName?: unknown; emailAddress?: unknown };
  return {
    name: typeof v.displayName === 'string' ? v.displayName : '',
    email: typeof v.emailAddress === 'string' ? v.emailAddress.trim() : '',
  };
}

function toPeople(value: unknown): Person[] {
  return Array.isArray(value) ? value.map(toPerson).filter((p) => p.email !== '' || p.name !== '') : [];
}

function toIso(value: unknown): string | null {
  const date =
    value instanceof Date
      ? value
      : typeof value === 'string' || typeof value === 'number'
        ? new Date(value)
        : null;
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : null;
}

function textToBase64(text: string): string {
  // UTF-8 bytes as a binary string (encodeURIComponent percent-encodes exactly the UTF-8 bytes), then base64.
  const binary = encodeURIComponent(text).replace(/%([0-9A-F]{2})/g, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
  return btoa(binary);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function createMailHost(office: OfficeApi): MailHost {
  const succeeded = (status: unknown) => status === (office.AsyncResultStatus?.Succeeded ?? 'succeeded');
  const mailbox = () => office.context?.mailbox;

  function readBody(item: Office.MessageRead): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new OfficeError('body-unavailable', 'Outlook did not return the message body in time')),
        BODY_TIMEOUT_MS,
      );
      try {
        item.body.getAsync(office.CoercionType.Text, (result: Office.AsyncResult<string>) => {
          clearTimeout(timer);
          if (succeeded(result.status)) resolve(typeof result.value === 'string' ? result.value : '');
          else
            reject(
              new OfficeError(
                'body-unavailable',
                `Outlook could not read the message body: ${result.error?.message ?? 'unknown error'}`,
                result.error?.code,
              ),
            );
        });
      } catch (error) {
        clearTimeout(timer);
        reject(
          new OfficeError('body-unavailable', `Outlook could not read the message body: ${describe(error)}`),
        );
      }
    });
  }

  /** One Office async call as a promise: a failed result or a throw becomes an OfficeError of the given kind. */
  function call<T>(
    kind: OfficeErrorKind,
    what: string,
    start: (callback: AsyncCallback<T>) => void,
    timeoutMs = CALL_TIMEOUT_MS,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new OfficeError(kind, `Outlook did not ${what} in time`)),
        timeoutMs,
      );
      try {
        start((result) => {
          clearTimeout(timer);
          if (succeeded(result.status)) resolve(result.value);
          else
            reject(
              new OfficeError(
                kind,
                `Outlook could not ${what}: ${result.error?.message ?? 'unknown error'}`,
                result.error?.code,
              ),
            );
        });
      } catch (error) {
        clearTimeout(timer);
        reject(new OfficeError(kind, `Outlook could not ${what}: ${describe(error)}`));
      }
    });
  }

  const isSupported = (set: string, version: string) => {
    try {
      return office.context?.requirements?.isSetSupported(set, version) === true;
    } catch {
      return false;
    }
  };

  const items = createItemAccess({
    mailbox,
    isSupported,
    call: (kind, what, start) => call(kind, what, start),
    itemChangedCode: ITEM_CHANGED_CODE,
  });
  const replyForm = createReplyForm({
    item: () => mailbox()?.item,
    isSupported,
    call: (start) => call<void>('unknown', 'open the reply', start),
  });

  function itemMode(): ItemMode {
    const item = mailbox()?.item as { itemType?: unknown; subject?: unknown } | null | undefined;
    if (!item) return 'none';
    if (item.itemType !== undefined && String(item.itemType).toLowerCase() !== 'message') return 'none';
    return isAsyncProperty(item.subject) ? 'compose' : 'read';
  }

  /** The owner of a shared or delegated mailbox the item lives in; null for the user's own mailbox. */
  async function sharedMailboxOf(item: Office.MessageRead): Promise<string | null> {
    const getShared = (item as { getSharedPropertiesAsync?: unknown }).getSharedPropertiesAsync;
    if (typeof getShared !== 'function') return null;
    try {
      const props = await call<Office.SharedProperties>(
        'unknown',
        'read the shared mailbox',
        (cb) =>
          (
            item as unknown as { getSharedPropertiesAsync(cb: AsyncCallback<Office.SharedProperties>): void }
          ).getSharedPropertiesAsync(cb),
        SHARED_TIMEOUT_MS,
      );
      const owner = str(props?.owner).trim();
      const me = str(mailbox()?.userProfile?.emailAddress).trim();
      return owner && owner.toLowerCase() !== me.toLowerCase() ? owner : null;
    } catch {
      return null;
    }
  }

  /**
   * In-Reply-To and References, read with getAllInternetHeadersAsync where the host has it (Mailbox 1.8, read item:
   * https://learn.microsoft.com/javascript/api/outlook/office.messageread#outlook-office-messageread-getallinternetheadersasync-member(1)).
   * A nicety like the shared mailbox: without 1.8, or when Outlook fails or is slow, the message has none.
   */
  async function threadHeadersOfItem(item: Office.MessageRead): Promise<ThreadHeaders | null> {
    if (!isSupported('Mailbox', '1.8')) return null;
    const getAll = (item as { getAllInternetHeadersAsync?: unknown }).getAllInternetHeadersAsync;
    if (typeof getAll !== 'function') return null;
    try {
      const block = await call<string>(
        'unknown',
        'read the internet headers',
        (cb) =>
          (
            item as unknown as { getAllInternetHeadersAsync(cb: AsyncCallback<string>): void }
          ).getAllInternetHeadersAsync(cb),
        SHARED_TIMEOUT_MS,
      );
      return typeof block === 'string' ? threadHeadersOf(block) : null;
    } catch {
      return null;
    }
  }

  /** What the pane cannot read of this item, from what Outlook says about it (never a guess from its text). */
  function limitOf(item: Office.MessageRead, bodyError: OfficeError | null): ItemLimit | undefined {
    if (bodyError) return bodyError.officeCode === PERMISSION_DENIED_CODE ? 'no-access' : 'protected';
    // A meeting request is a message whose itemClass is IPM.Schedule.Meeting.Request (MessageRead.itemClass).
    if (/^IPM\.Schedule\.Meeting\./i.test(str((item as { itemClass?: unknown }).itemClass)))
      return 'meeting-request';
    // Only sent mail has an Internet message ID: an item without one is an unsent draft.
    if (!str(item.internetMessageId)) return 'draft';
    return undefined;
  }

  async function readMessageItem(item: Office.MessageRead): Promise<OpenMessage> {
    // Read every synchronous property before awaiting, so a selection change mid-read cannot mix two items.
    const snapshot = {
      itemId: str(item.itemId),
      internetMessageId: str(item.internetMessageId),
      conversationId: str(item.conversationId),
      subject: str(item.subject),
      from: toPerson(item.from),
      to: toPeople(item.to),
      cc: toPeople(item.cc),
      receivedTime: toIso(item.dateTimeCreated),
      attachments: (Array.isArray(item.attachments) ? item.attachments : []).map((a) => ({
        id: str(a.id),
        name: str(a.name),
        size: typeof a.size === 'number' ? a.size : 0,
        contentType: str(a.contentType),
        isInline: a.isInline === true,
      })),
    };
    const [body, sharedMailbox, thread] = await Promise.all([
      readBody(item).then(
        (text): { text: string; error: OfficeError | null } => ({ text, error: null }),
        (error: unknown) => {
          // Outlook answered that it will not hand the body out (IRM, no permission): say so, keep the rest.
          // Any other failure stays an error the agent can retry.
          const code = error instanceof OfficeError ? error.officeCode : undefined;
          if (
            error instanceof OfficeError &&
            (code === PERMISSION_DENIED_CODE || code === ACCESS_RESTRICTED_CODE)
          )
            return { text: '', error };
          throw error;
        },
      ),
      sharedMailboxOf(item),
      threadHeadersOfItem(item),
    ]);
    const limit = limitOf(item, body.error);
    return {
      ...snapshot,
      bodyText: body.text,
      ...(thread ? { inReplyTo: thread.inReplyTo, references: thread.references } : {}),
      ...(sharedMailbox ? { sharedMailbox } : {}),
      ...(limit ? { limit } : {}),
    };
  }

  async function readCurrentMessage(): Promise<OpenMessage | null> {
    const box = mailbox();
    if (!box) throw new OfficeError('not-ready', 'Office mailbox is not available');
    // Null while several messages are selected (office-js#3680) or nothing is.
    const item = box.item as Office.MessageRead | null | undefined;
    if (!item || itemMode() !== 'read') return null;
    return readMessageItem(item);
  }

  function currentItemId(): string | null {
    const item = mailbox()?.item as { itemId?: unknown } | null | undefined;
    return item ? str(item.itemId) : null;
  }

  function currentItem<T>(): T {
    const item = mailbox()?.item;
    if (!item) throw new OfficeError('not-a-message', 'No item is open');
    return item as unknown as T;
  }

  const canCopyAttachments = () => isSupported('Mailbox', '1.8');

  async function getAttachmentContent(ref: MessageRef, attachmentId: string): Promise<string> {
    if (!canCopyAttachments())
      throw new OfficeError(
        'unsupported',
        'This version of Outlook cannot give attachment contents (Mailbox 1.8)',
      );
    const content = await items.onItem(ref, (item) => {
      const read = item.getAttachmentContentAsync;
      if (typeof read !== 'function')
        throw new OfficeError('unsupported', 'This Outlook cannot give attachment contents');
      return call<Office.AttachmentContent>('attachment-unavailable', 'read the attachment', (cb) =>
        read.call(item, attachmentId, cb),
      );
    });
    const format = String(content?.format ?? '').toLowerCase();
    if (format === 'base64') return str(content.content);
    // Attached messages and meetings come as text (eml, iCalendar): encode them like files.
    if (format === 'eml' || format === 'icalendar') return textToBase64(str(content.content));
    throw new OfficeError('attachment-unavailable', 'Cloud attachments (links) cannot be copied to a case');
  }

  async function readCompose(): Promise<ComposeItem> {
    const item = currentItem<{ subject?: unknown; to?: unknown; cc?: unknown }>();
    const subject = isAsyncProperty<string>(item.subject)
      ? await call<string>('compose-failed', 'read the subject', (cb) =>
          (item.subject as AsyncProperty<string>).getAsync(cb),
        )
      : str(item.subject);
    const people = async (value: unknown) =>
      isAsyncProperty<Office.EmailAddressDetails[]>(value)
        ? toPeople(
            await call<Office.EmailAddressDetails[]>('compose-failed', 'read the recipients', (cb) =>
              value.getAsync(cb),
            ).catch(() => []),
          )
        : toPeople(value);
    const [to, cc] = await Promise.all([people(item.to), people(item.cc)]);
    return { subject: str(subject), to, cc };
  }

  async function setComposeSubject(subject: string): Promise<void> {
    const item = currentItem<{ subject?: unknown }>();
    const property = item.subject;
    if (!isAsyncProperty<string>(property) || typeof property.setAsync !== 'function')
      throw new OfficeError('compose-failed', 'The subject can only be changed while writing a message');
    await call<void>('compose-failed', 'change the subject', (cb) => property.setAsync!(subject, cb));
  }

  async function insertComposeText(text: string): Promise<void> {
    const item = currentItem<{
      body?: {
        setSelectedDataAsync?: (
          data: string,
          options: { coercionType: unknown },
          cb: AsyncCallback<void>,
        ) => void;
      };
    }>();
    const body = item.body;
    if (!body || typeof body.setSelectedDataAsync !== 'function')
      throw new OfficeError('compose-failed', 'Text can only be inserted while writing a message');
    await call<void>('compose-failed', 'insert the text', (cb) =>
      body.setSelectedDataAsync!(text, { coercionType: office.CoercionType?.Text ?? 'text' }, cb),
    );
  }

  /** Runs a category change on the message `ref`: 'later' when it cannot be reached now, 'failed' when refused. */
  async function onCategories(
    ref: MessageRef,
    change: (categories: Office.Categories) => Promise<void>,
  ): Promise<BoundOutcome> {
    // Categories are Mailbox 1.8 (https://learn.microsoft.com/javascript/api/outlook/office.categories).
    if (!isSupported('Mailbox', '1.8')) return 'failed';
    try {
      await items.onItem(ref, async (item) => {
        if (!item.categories) throw new OfficeError('unsupported', 'No categories on this item');
        await change(item.categories);
      });
      return 'done';
    } catch (error) {
      return error instanceof OfficeError && error.kind === 'item-changed' ? 'later' : 'failed';
    }
  }

  async function addCaseCategory(ref: MessageRef, caseNumber: string): Promise<BoundOutcome> {
    const name = `Case ${caseNumber}`;
    const box = mailbox() as (Office.Mailbox & { masterCategories?: Office.MasterCategories }) | undefined;
    // An item can only carry categories of its mailbox's master list (InvalidCategory otherwise); the list needs
    // read/write mailbox. It fails when the category exists already: tagging the item still works then.
    if (box?.masterCategories && isSupported('Mailbox', '1.8')) {
      const color =
        (office as { MailboxEnums?: { CategoryColor?: { Preset7?: unknown } } }).MailboxEnums?.CategoryColor
          ?.Preset7 ?? 'Preset7';
      await call<void>('unknown', 'add the category', (cb) =>
        box.masterCategories!.addAsync(
          [{ displayName: name, color: color as Office.MailboxEnums.CategoryColor }],
          cb,
        ),
      ).catch(() => undefined);
    }
    return onCategories(ref, (categories) =>
      call<void>('unknown', 'tag the message', (cb) => categories.addAsync([name], cb)),
    );
  }

  /** Adds a category to the master list (read/write mailbox, 1.8); one already there is fine. */
  async function ensureMasterCategory(name: string, preset: string): Promise<void> {
    const box = mailbox() as (Office.Mailbox & { masterCategories?: Office.MasterCategories }) | undefined;
    if (!box?.masterCategories || !isSupported('Mailbox', '1.8')) return;
    const presets = (office as { MailboxEnums?: { CategoryColor?: Record<string, unknown> } }).MailboxEnums
      ?.CategoryColor;
    const color = (presets?.[preset] ?? preset) as Office.MailboxEnums.CategoryColor;
    await call<void>('unknown', 'add the category', (cb) =>
      box.masterCategories!.addAsync([{ displayName: name, color }], cb),
    ).catch(() => undefined); // DuplicateCategory: it exists, tagging works
  }

  async function setCaseStatusCategory(ref: MessageRef, status: string): Promise<BoundOutcome> {
    const wanted = STATUS_CATEGORIES[status] ?? null;
    if (wanted) await ensureMasterCategory(wanted.name, wanted.color);
    return onCategories(ref, async (categories) => {
      const current = await call<Office.CategoryDetails[]>('unknown', 'read the categories', (cb) =>
        categories.getAsync(cb),
      );
      const names = (current ?? []).map((c) => c.displayName);
      const stale = staleStatusCategories(names, wanted?.name ?? null);
      if (stale.length)
        await call<void>('unknown', 'remove the old status', (cb) => categories.removeAsync(stale, cb));
      if (wanted && !names.includes(wanted.name))
        await call<void>('unknown', 'tag the status', (cb) => categories.addAsync([wanted.name], cb));
    });
  }

  function removeCaseCategory(ref: MessageRef, caseNumber: string): Promise<BoundOutcome> {
    return onCategories(ref, (categories) =>
      call<void>('unknown', 'remove the category', (cb) =>
        categories.removeAsync([`Case ${caseNumber}`], cb),
      ),
    );
  }

  // https://learn.microsoft.com/javascript/api/outlook/office.mailbox#outlook-office-mailbox-displaymessageform-member(1):
  // Mailbox 1.0, read item; "if the specified item identifier does not identify an existing message, no message will
  // be displayed on the client computer, and no error message will be returned" — so there is nothing to await.
  function displayMessageForm(itemId: string): boolean {
    const box = mailbox() as { displayMessageForm?: (id: string) => void } | undefined;
    if (typeof box?.displayMessageForm !== 'function' || !itemId) return false;
    try {
      box.displayMessageForm(itemId);
      return true;
    } catch {
      return false;
    }
  }

  const supportsMultiSelect = () => {
    const box = mailbox() as { getSelectedItemsAsync?: unknown } | undefined;
    return (
      isSupported('Mailbox', '1.13') && typeof box?.getSelectedItemsAsync === 'function' && items.canLoad()
    );
  };

  interface SelectedEntry {
    itemId: string;
    itemType?: unknown;
    itemMode?: unknown;
    subject?: unknown;
  }

  async function readSelectedMessages(): Promise<SelectedMessage[]> {
    if (!supportsMultiSelect()) return [];
    const box = mailbox() as unknown as {
      getSelectedItemsAsync(cb: AsyncCallback<SelectedEntry[]>): void;
    };
    const selected = await call<SelectedEntry[]>('unknown', 'list the selected messages', (cb) =>
      box.getSelectedItemsAsync(cb),
    );
    const results: SelectedMessage[] = [];
    // SelectedItemDetails.itemType is documented as 'Message' and itemMode as 'Read' / 'Compose' (capitalised,
    // unlike MailboxEnums.ItemType.Message): compare without case. One at a time: one loaded item at once.
    for (const entry of Array.isArray(selected) ? selected : []) {
      const subject = str(entry.subject);
      if (entry.itemType !== undefined && String(entry.itemType).toLowerCase() !== 'message') continue;
      if (entry.itemMode !== undefined && String(entry.itemMode).toLowerCase() !== 'read') {
        results.push({
          subject,
          message: null,
          error: new OfficeError('not-a-message', 'A message being written'),
        });
        continue;
      }
      try {
        const message = await items.withLoaded(entry.itemId, (loaded) =>
          readMessageItem(loaded as unknown as Office.MessageRead),
        );
        results.push({ subject: message.subject || subject, message });
      } catch (error) {
        results.push({ subject, message: null, error });
      }
    }
    return results;
  }

  // One Office handler per event, fanned out to subscribers: the emulator has no removeHandlerAsync.
  function eventChannel<T>(eventType: () => Office.EventType | undefined, payload: () => T) {
    const listeners = new Set<(value: T) => void>();
    let registered: Promise<void> | null = null;
    const register = () => {
      if (registered) return;
      registered = new Promise<void>((resolve) => {
        const box = mailbox();
        const type = eventType();
        if (!box || type === undefined) return resolve();
        try {
          box.addHandlerAsync(
            type,
            () => listeners.forEach((l) => l(payload())),
            () => resolve(),
          );
        } catch {
          // The host does not support this event: the pane still works, it just does not follow.
          resolve();
        }
      });
    };
    return (listener: (value: T) => void): Unsubscribe => {
      listeners.add(listener);
      register();
      return () => {
        listeners.delete(listener);
      };
    };
  }

  const selection = eventChannel<void>(
    () => office.EventType?.ItemChanged,
    () => undefined,
  );
  // Item multi-select (Mailbox 1.13): selecting several messages leaves item null and fires only this event.
  const selectedItems = eventChannel<void>(
    () => (isSupported('Mailbox', '1.13') ? office.EventType?.SelectedItemsChanged : undefined),
    () => undefined,
  );
  const themeChannel = eventChannel<HostTheme | null>(
    () => (supportsOfficeTheme(office) ? office.EventType?.OfficeThemeChanged : undefined),
    () => theme(),
  );

  function theme(): HostTheme | null {
    if (!supportsOfficeTheme(office)) return null;
    const t = office.context?.officeTheme;
    if (!t) return null;
    return {
      bodyBackgroundColor: t.bodyBackgroundColor || undefined,
      bodyForegroundColor: t.bodyForegroundColor || undefined,
      controlBackgroundColor: t.controlBackgroundColor || undefined,
      controlForegroundColor: t.controlForegroundColor || undefined,
    };
  }

  return {
    readCurrentMessage,
    onSelectionChanged: (callback) => {
      const offItem = selection(() => callback());
      const offSelected = selectedItems(() => callback());
      return () => {
        offItem();
        offSelected();
      };
    },
    currentItemId,
    canCopyAttachments,
    onThemeChanged: (callback) => themeChannel(callback),
    displayLanguage: () => str(office.context?.displayLanguage) || 'en-US',
    theme,
    supportsNestedAppAuth: () => {
      try {
        return office.context?.requirements?.isSetSupported('NestedAppAuth', '1.1') === true;
      } catch {
        return false;
      }
    },
    userProfile: () => {
      const profile = mailbox()?.userProfile;
      if (!profile) return null;
      const person = toPerson(profile);
      return person.email ? person : null;
    },
    itemMode,
    getAttachmentContent,
    readCompose,
    setComposeSubject,
    insertComposeText,
    addCaseCategory,
    removeCaseCategory,
    setCaseStatusCategory,
    supportsMultiSelect,
    canLoadOtherItems: items.canLoad,
    readSelectedMessages,
    displayMessageForm,
    canReply: replyForm.canReply,
    displayReply: replyForm.displayReply,
  };
}
