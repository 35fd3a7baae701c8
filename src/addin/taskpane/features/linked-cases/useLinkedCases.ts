import { useCallback, useEffect, useState } from 'react';
import type { LinkedCaseSummary } from '../../../../shared/api-types';
import type { CasesApi } from '../../../api/client';
import { isAbort } from '../../../api/errors';

export interface LinkedCasesQuery {
  /** Identifies the message; results are only ever shown for the key they were asked for. */
  key: string;
  internetMessageId: string;
  conversationId: string;
  subject?: string;
}

export type LinkedCasesState =
  | { status: 'loading' }
  | { status: 'ready'; cases: LinkedCaseSummary[] }
  | { status: 'error'; error: unknown };

type Stored = { key: string; attempt: number; result: LinkedCasesState };

const LOADING: LinkedCasesState = { status: 'loading' };
const NONE: LinkedCasesState = { status: 'ready', cases: [] };

/**
 * The cases linked to a message or its thread. Switching messages aborts the previous request and ignores
 * its answer; and a stored answer is only shown for the message and attempt it was asked for, so a slow
 * answer for message A can never appear under message B.
 */
export function useLinkedCases(api: Pick<CasesApi, 'linkedCases'>, query: LinkedCasesQuery | null) {
  const [stored, setStored] = useState<Stored | null>(null);
  const [attempt, setAttempt] = useState(0);
  const { key = '', internetMessageId = '', conversationId = '', subject = '' } = query ?? {};

  useEffect(() => {
    if (!key || !internetMessageId) return;
    const controller = new AbortController();
    api
      .linkedCases({ internetMessageId, conversationId, ...(subject ? { subject } : {}) }, controller.signal)
      .then(
        (cases) => {
          if (!controller.signal.aborted) setStored({ key, attempt, result: { status: 'ready', cases } });
        },
        (error: unknown) => {
          if (!controller.signal.aborted && !isAbort(error))
            setStored({ key, attempt, result: { status: 'error', error } });
        },
      );
    return () => controller.abort();
  }, [api, key, internetMessageId, conversationId, subject, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  let state: LinkedCasesState = LOADING;
  if (!key || !internetMessageId) state = NONE;
  else if (stored && stored.key === key && stored.attempt === attempt) state = stored.result;
  return { state, reload };
}
