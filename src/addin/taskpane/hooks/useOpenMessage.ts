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
 */
export function useOpenMessage(host: MailHost): { state: OpenMessageState; reload: () => void } {
  const [state, setState] = useState<OpenMessageState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let newest = 0;
    let active = true;
    const read = () => {
      const mine = ++newest;
      host.readCurrentMessage().then(
        (message) => {
          if (active && mine === newest)
            setState(message ? { status: 'ready', message } : { status: 'none' });
        },
        (error: unknown) => {
          if (active && mine === newest) setState({ status: 'error', error });
        },
      );
    };
    read();
    const unsubscribe = host.onSelectionChanged(() => {
      setState({ status: 'loading' });
      read();
    });
    return () => {
      active = false;
      unsubscribe();
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
