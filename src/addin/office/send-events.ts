/**
 * Event-based activation (https://learn.microsoft.com/office/dev/add-ins/outlook/autolaunch): what the launch-event
 * handlers in src/addin/commands/ need of Outlook, and nothing else touches Office for them. The item is the message
 * being written; the members used here are Mailbox 1.1 (subject, recipients, body in compose), 1.8
 * (item.internetHeaders in compose) and the events themselves (OnNewMessageCompose 1.10, OnMessageSend 1.12).
 */
import { createMailHost, whenOfficeReady } from './mail-host';
import { isSetSupported } from './requirements';
import { OfficeError, type Person } from './types';

type OfficeApi = typeof Office;
type AsyncCallback<T> = (result: Office.AsyncResult<T>) => void;

/** The header the handlers put on a reply of a case's thread: "<case number>; id=<record id>". */
export const CASE_HEADER = 'X-Casepane-Case';

/** What Outlook hands a launch-event handler: `completed` ends the event (SmartAlertsEventCompletedOptions on send). */
export interface LaunchEvent {
  completed(options?: { allowEvent?: boolean; errorMessage?: string }): void;
}

/** The message being written, read once when an event fires. */
export interface OutgoingMessage {
  conversationId: string | null;
  subject: string;
  to: Person[];
  cc: Person[];
  bodyText: string;
}

export interface SendEventHost {
  readOutgoing(): Promise<OutgoingMessage>;
  setSubject(subject: string): Promise<void>;
  /** The value of an internet header set on this item (Mailbox 1.8); null when absent or unsupported. */
  readHeader(name: string): Promise<string | null>;
  /** Sets an internet header on the outgoing message (Mailbox 1.8); false when the host lacks it. */
  setHeader(name: string, value: string): Promise<boolean>;
  userProfile(): Person | null;
  supportsNestedAppAuth(): boolean;
}

/** Header values are one line of printable ASCII (RFC 5322 2.2); anything else is dropped, not sent folded. */
const headerSafe = (value: string) => value.replace(/[^\x20-\x7e]/g, '').slice(0, 200);

interface ComposeItemApi {
  conversationId?: unknown;
  body?: { getAsync?(coercion: unknown, cb: AsyncCallback<string>): void };
  internetHeaders?: {
    getAsync(names: string[], cb: AsyncCallback<Record<string, string>>): void;
    setAsync(headers: Record<string, string>, cb: AsyncCallback<void>): void;
  };
}

function promised<T>(start: (cb: AsyncCallback<T>) => void, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      start((result) =>
        String(result.status) === 'succeeded'
          ? resolve(result.value)
          : reject(new OfficeError('compose-failed', `Outlook could not ${what}: ${result.error?.message}`)),
      );
    } catch (error) {
      reject(new OfficeError('compose-failed', `Outlook could not ${what}: ${String(error)}`));
    }
  });
}

export function createSendEventHost(office: OfficeApi): SendEventHost {
  const mail = createMailHost(office);
  const item = () => (office.context?.mailbox?.item ?? null) as ComposeItemApi | null;
  const headers = () => (isSetSupported(office, 'Mailbox', '1.8') ? item()?.internetHeaders : undefined);
  return {
    async readOutgoing() {
      const compose = await mail.readCompose();
      const current = item();
      const body = current?.body;
      const bodyText =
        typeof body?.getAsync === 'function'
          ? await promised<string>(
              (cb) => body.getAsync!(office.CoercionType?.Text ?? 'text', cb),
              'read the body',
            ).catch(() => '')
          : '';
      const conversationId =
        typeof current?.conversationId === 'string' && current.conversationId ? current.conversationId : null;
      return { ...compose, conversationId, bodyText: String(bodyText ?? '') };
    },
    setSubject: (subject) => mail.setComposeSubject(subject),
    async readHeader(name) {
      const api = headers();
      if (!api) return null;
      const values = await promised<Record<string, string>>(
        (cb) => api.getAsync([name], cb),
        'read a header',
      ).catch(() => ({}) as Record<string, string>);
      const key = Object.keys(values ?? {}).find((k) => k.toLowerCase() === name.toLowerCase());
      return key ? String(values[key]) : null;
    },
    async setHeader(name, value) {
      const api = headers();
      if (!api) return false;
      await promised<void>((cb) => api.setAsync({ [name]: headerSafe(value) }, cb), 'set a header');
      return true;
    },
    userProfile: () => mail.userProfile(),
    supportsNestedAppAuth: () => mail.supportsNestedAppAuth(),
  };
}

/**
 * Registers the launch-event handlers under the manifest's FunctionName values (Office.actions.associate) once
 * Office.js is ready, and hands them the adapter. Resolves false where the host has no Office.actions.
 */
export async function associateLaunchEvents(
  handlers: Record<string, (event: LaunchEvent, host: SendEventHost) => void>,
): Promise<boolean> {
  const office = (globalThis as { Office?: OfficeApi }).Office;
  if (!office) return false;
  await whenOfficeReady(office);
  const registry = (
    office as { actions?: { associate(name: string, action: (event: LaunchEvent) => void): void } }
  ).actions;
  if (!registry) return false;
  const host = createSendEventHost(office);
  for (const [name, handler] of Object.entries(handlers))
    registry.associate(name, (event) => handler(event, host));
  return true;
}
