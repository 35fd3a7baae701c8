/**
 * The Office adapter: the only code that touches the Office.js global. It reads the selected message into a
 * plain OpenMessage, follows the selection, and turns every Office failure into an OfficeError.
 * Uses only the Office.js subset the e2e host emulator implements (see README-testids.md).
 */
import { HostTheme, MailHost, OfficeError, OpenMessage, Person, Unsubscribe } from './types';

/** The parts of the Office namespace we use; the real global and office-addin-mock objects both fit. */
type OfficeApi = typeof Office;

const BODY_TIMEOUT_MS = 15_000;

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
  if (typeof error === 'object' && error !== null && 'message' in error) return String((error as { message: unknown }).message);
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
  const date = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : null;
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
              new OfficeError('body-unavailable', `Outlook could not read the message body: ${result.error?.message ?? 'unknown error'}`, result.error?.code),
            );
        });
      } catch (error) {
        clearTimeout(timer);
        reject(new OfficeError('body-unavailable', `Outlook could not read the message body: ${describe(error)}`));
      }
    });
  }

  async function readCurrentMessage(): Promise<OpenMessage | null> {
    const box = mailbox();
    if (!box) throw new OfficeError('not-ready', 'Office mailbox is not available');
    const item = box.item as Office.MessageRead | null | undefined;
    if (!item) return null;
    if (item.itemType !== undefined && String(item.itemType) !== 'message') return null;
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
    const bodyText = await readBody(item);
    return { ...snapshot, bodyText };
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
          box.addHandlerAsync(type, () => listeners.forEach((l) => l(payload())), () => resolve());
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
  const themeChannel = eventChannel<HostTheme | null>(
    () => office.EventType?.OfficeThemeChanged,
    () => theme(),
  );

  function theme(): HostTheme | null {
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
    onSelectionChanged: (callback) => selection(() => callback()),
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
  };
}
