/**
 * Reaching one particular message, whatever is selected now. Outlook's Office.context.mailbox.item is the item
 * selected *now*: an action that started on message A and continues after an await must not use it blindly, or
 * it tags or reads message B (issue 9, defect 1). The documented way to reach A again is
 * Office.context.mailbox.loadItemByIdAsync (Mailbox 1.15, read/write mailbox), one loaded item at a time and
 * unloaded after use (https://learn.microsoft.com/javascript/api/outlook/office.loadedmessageread). Hosts without
 * it get 'item-changed': the pane finishes the action when A is open again.
 */
import { OfficeError, type MessageRef } from './types';

type AsyncCallback<T> = (result: Office.AsyncResult<T>) => void;

/** What a bound action needs of an item (read mode, open or loaded). */
export interface ReachableItem {
  itemId?: string;
  categories?: Office.Categories;
  getAttachmentContentAsync?: (id: string, cb: AsyncCallback<Office.AttachmentContent>) => void;
}

interface LoadedItem extends ReachableItem {
  unloadAsync?(cb?: () => void): void;
}

interface Loader {
  loadItemByIdAsync(id: string, cb: AsyncCallback<LoadedItem>): void;
}

export interface ItemAccessDeps {
  mailbox(): Office.Mailbox | undefined;
  isSupported(set: string, version: string): boolean;
  call<T>(kind: 'not-a-message', what: string, start: (cb: AsyncCallback<T>) => void): Promise<T>;
  /** Outlook's code for a call that raced a selection change (APICallFailedDueToItemChange). */
  itemChangedCode: number;
}

export interface ItemAccess {
  /** loadItemByIdAsync is there (Mailbox 1.15 and the member itself). */
  canLoad(): boolean;
  /** Runs `work` on the item `ref`: the open one if it is still open, else loaded; 'item-changed' when unreachable. */
  onItem<T>(ref: MessageRef, work: (item: ReachableItem) => Promise<T>): Promise<T>;
  /** Loads the item, runs `work`, unloads it; one loaded item at a time across every caller. */
  withLoaded<T>(itemId: string, work: (item: LoadedItem) => Promise<T>): Promise<T>;
}

export function createItemAccess(deps: ItemAccessDeps): ItemAccess {
  // Outlook allows one loaded item at a time: every load waits for the one before it to be unloaded.
  let queue: Promise<unknown> = Promise.resolve();

  const canLoad = () => {
    const box = deps.mailbox() as unknown as Partial<Loader> | undefined;
    return deps.isSupported('Mailbox', '1.15') && typeof box?.loadItemByIdAsync === 'function';
  };

  const unload = (item: LoadedItem) =>
    new Promise<void>((resolve) => {
      try {
        if (typeof item.unloadAsync === 'function') item.unloadAsync(() => resolve());
        else resolve();
      } catch {
        resolve();
      }
    });

  function withLoaded<T>(itemId: string, work: (item: LoadedItem) => Promise<T>): Promise<T> {
    const run = async () => {
      const box = deps.mailbox() as unknown as Loader;
      const loaded = await deps.call<LoadedItem>('not-a-message', 'open the message', (cb) =>
        box.loadItemByIdAsync(itemId, cb),
      );
      try {
        return await work(loaded);
      } finally {
        await unload(loaded);
      }
    };
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
  }

  const raced = (error: unknown) => error instanceof OfficeError && error.officeCode === deps.itemChangedCode;

  async function onItem<T>(ref: MessageRef, work: (item: ReachableItem) => Promise<T>): Promise<T> {
    const open = deps.mailbox()?.item as ReachableItem | null | undefined;
    if (open && typeof open.itemId === 'string' && open.itemId === ref.itemId) {
      try {
        return await work(open);
      } catch (error) {
        // The selection moved while the call ran: reach the item the documented way below.
        if (!raced(error)) throw error;
      }
    }
    if (!ref.itemId || !canLoad())
      throw new OfficeError('item-changed', 'That message is no longer open: open it again to finish');
    return withLoaded(ref.itemId, work);
  }

  return { canLoad, onItem, withLoaded };
}
