/**
 * A Storage over Office.context.roamingSettings (Mailbox 1.1): the one store the task pane and the launch-event
 * runtime share on every client — the JavaScript-only runtime of classic Outlook on Windows has no localStorage, and
 * a pane framed by another site may be denied it. Settings are per add-in and per user, saved in the mailbox, read
 * when the add-in loads (https://learn.microsoft.com/javascript/api/outlook/office.roamingsettings); Microsoft caps
 * them at 32 KB, so a value that would not fit is refused (the caller keeps it in memory instead).
 * Not secure storage: nothing secret goes here.
 */
type OfficeApi = typeof Office;

const LIMIT_CHARS = 30_000;

export interface RoamingStorage extends Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  /** Resolves when every change so far has been saved to the mailbox (or failed to be). */
  saved(): Promise<void>;
}

export function roamingStorage(
  office: OfficeApi | undefined = (globalThis as { Office?: OfficeApi }).Office,
): RoamingStorage | null {
  const settings = office?.context?.roamingSettings;
  if (!settings || typeof settings.saveAsync !== 'function') return null;
  let last: Promise<void> = Promise.resolve();
  const save = () => {
    last = last.then(() => new Promise<void>((resolve) => settings.saveAsync(() => resolve())));
  };
  return {
    getItem(key) {
      const value: unknown = settings.get(key);
      return typeof value === 'string' ? value : null;
    },
    setItem(key, value) {
      if (value.length > LIMIT_CHARS) throw new Error('too large for roaming settings');
      settings.set(key, value);
      save();
    },
    removeItem(key) {
      settings.remove(key);
      save();
    },
    saved: () => last,
  };
}
