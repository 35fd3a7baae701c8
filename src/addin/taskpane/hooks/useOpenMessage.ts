import { useCallback, useEffect, useState } from 'react';
import type { MailHost, OpenMessage } from '../../office/types';

export type OpenMessageState =
  | { status: 'loading' }
  | { status: 'none' }
  | { status: 'ready'; message: OpenMessage }
  | { status: 'error'; error: unknown };

/**
 * The selected message, following the selection while the pane is pinned. Reads may finish out of order
 * (body.getAsync is asynchronous); only the newest read is ever applied.
 *
 * ItemChanged does not always reach a pinned pane (office-js#6833, #5965) and multi-select fires only
 * SelectedItemsChanged, so the item is also re-read when the pane is focused or shown again; a re-read that finds
 * the item already shown changes nothing (no spinner, nothing remounted).
 */
export function useOpenMessage(host: MailHost): { state: OpenMessageState; reload: () => void } {
  const [state, setState] = useState<OpenMessageState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let newest = 0;
    let active = true;
    /** The item id being read or shown (null: no item); undefined after a failure, so anything re-reads. */
    let target: string | null | undefined;
    const read = () => {
      const mine = ++newest;
      target = host.currentItemId();
      host.readCurrentMessage().then(
        (message) => {
          if (active && mine === newest)
            setState(message ? { status: 'ready', message } : { status: 'none' });
        },
        (error: unknown) => {
          if (active && mine === newest) {
            target = undefined;
            setState({ status: 'error', error });
          }
        },
      );
    };
    const follow = () => {
      // Compare item ids before showing anything: the same item (or still none) stays as it is.
      if (target !== undefined && host.currentItemId() === target) return;
      setState({ status: 'loading' });
      read();
    };
    read();
    const unsubscribe = host.onSelectionChanged(follow);
    const onVisible = () => {
      if (document.visibilityState === 'visible') follow();
    };
    window.addEventListener('focus', follow);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      active = false;
      unsubscribe();
      window.removeEventListener('focus', follow);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [host, attempt]);

  const reload = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  return { state, reload };
}

/** The key a message's drafts and per-message state hang on. */
export function messageKey(message: OpenMessage): string {
  return message.internetMessageId || message.itemId;
}
