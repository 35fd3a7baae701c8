import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { useLoad, type LoadState } from '../../hooks/useLoad';

/** The lists an opened case shows beside its fields; each is loaded once per version of the case. */
export type CaseList =
  'emails' | 'notes' | 'activities-open' | 'activities-closed' | 'attachments' | 'solutions' | 'timeline';

interface CaseScope {
  caseId: string;
  /** Counts the changes made from this pane; every list shows the case as of the latest one. */
  version: number;
  /** Answers already loaded at this version: a section collapsed and opened again shows them without asking twice. */
  cache: Map<string, unknown>;
  changed(): void;
}

const CaseContext = createContext<CaseScope | null>(null);

/**
 * One opened case (issue 13, step 5): its related lists read through useCaseData, and anything that changes the
 * case (a save, a note, a moved email) calls useCaseChanged() — every list then reloads, the case's own answers
 * from before are dropped. It replaces a `revision` counter handed to each section.
 */
export function CaseProvider({ caseId, children }: { caseId: string; children: ReactNode }) {
  const [version, setVersion] = useState(0);
  // Keyed by case, list and version, so another case never shows this one's answers; emptied by every change.
  const [cache] = useState(() => new Map<string, unknown>());
  const changed = useCallback(() => {
    cache.clear();
    setVersion((v) => v + 1);
  }, [cache]);
  const scope = useMemo(() => ({ caseId, version, cache, changed }), [caseId, version, cache, changed]);
  return <CaseContext.Provider value={scope}>{children}</CaseContext.Provider>;
}

function useCaseScope(): CaseScope {
  const scope = useContext(CaseContext);
  if (!scope) throw new Error('a case section needs a CaseProvider above it');
  return scope;
}

/** The id of the open case. */
export function useCaseId(): string {
  return useCaseScope().caseId;
}

/** Tell every list of the open case that the case changed. */
export function useCaseChanged(): () => void {
  return useCaseScope().changed;
}

/**
 * One related list of the open case, loaded for the case's current version (and aborted, as useLoad does, when the
 * case or version moves on). A list already loaded at this version is shown at once; reload() asks again.
 */
export function useCaseData<T>(list: CaseList, load: (caseId: string, signal: AbortSignal) => Promise<T>) {
  const { caseId, version, cache } = useCaseScope();
  // The version is part of the key: a list that was still loading when the case changed files its (older) answer
  // where the new version never looks.
  const cacheKey = `${caseId}:${list}#${version}`;
  const cached = cache.get(cacheKey) as T | undefined;
  const loaded = useLoad(cacheKey, (signal) => {
    const known = cache.get(cacheKey) as T | undefined;
    if (known !== undefined) return Promise.resolve(known);
    return load(caseId, signal).then((value) => {
      cache.set(cacheKey, value);
      return value;
    });
  });
  const { reload: reloadList } = loaded;
  const reload = useCallback(() => {
    cache.delete(cacheKey);
    reloadList();
  }, [cache, cacheKey, reloadList]);
  const state: LoadState<T> =
    loaded.state.status === 'loading' && cached !== undefined
      ? { status: 'ready', value: cached }
      : loaded.state;
  return { state, reload, refreshing: loaded.refreshing };
}
