import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbort } from '../../api/errors';

export type LoadState<T> =
  { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; error: unknown };

/**
 * Loads something for a key (a case id, a query); a new key or reload() aborts the previous request and ignores
 * its answer, so a slow answer for one case never shows under another.
 */
export function useLoad<T>(key: string, load: (signal: AbortSignal) => Promise<T>) {
  const loader = useRef(load);
  useEffect(() => {
    loader.current = load;
  });
  const [attempt, setAttempt] = useState(0);
  const [stored, setStored] = useState<{ key: string; attempt: number; state: LoadState<T> } | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    loader.current(controller.signal).then(
      (value) => {
        if (!controller.signal.aborted) setStored({ key, attempt, state: { status: 'ready', value } });
      },
      (error: unknown) => {
        if (!controller.signal.aborted && !isAbort(error))
          setStored({ key, attempt, state: { status: 'error', error } });
      },
    );
    return () => controller.abort();
  }, [key, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  // While reloading, the previous answer for the same key stays on screen (no flicker); another key shows loading.
  const state: LoadState<T> = stored && stored.key === key ? stored.state : { status: 'loading' };
  const fresh = stored !== null && stored.key === key && stored.attempt === attempt;
  return { state, reload, refreshing: !fresh && state.status !== 'loading' };
}
