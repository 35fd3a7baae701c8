import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaseDraft, DraftStore } from '../../storage/drafts';

type Persistence = 'clean' | 'dirty' | 'cleared';
type StoredDraft = Omit<CaseDraft, 'savedAt'>;

/** For a form whose state is the stored draft itself. */
export const asStored = (value: StoredDraft): StoredDraft => value;

export interface PersistentDraft<T> {
  value: T;
  /** The agent changed the form: from now on it is kept in the draft store until cleared. */
  edit(change: (value: T) => T): void;
  /** A change the agent did not make (a contact found for the sender): stored only if the draft already is. */
  adjust(change: (value: T) => T): void;
  /** Saved or discarded: the store forgets the draft; the form shows `next`, or keeps what it shows. */
  clear(next?: T): void;
}

/**
 * What an agent typed into a form (a new case, an opened case's edits), kept in a draft store under `key` so that
 * closing the pane loses nothing. Used by both forms, so the rule below is written once: storage is written only
 * from committed state, in an effect, so a render still pending when the agent discards (or the save succeeds)
 * can never write the old draft back.
 */
export function usePersistentDraft<T>(
  store: DraftStore,
  key: string,
  /** The form's first value; `dirty` when it should be written at once (a restored draft merged with new data). */
  start: () => { value: T; dirty: boolean },
  toStored: (value: T) => StoredDraft,
): PersistentDraft<T> {
  const [state, setState] = useState<{ value: T; persistence: Persistence }>(() => {
    const { value, dirty } = start();
    return { value, persistence: dirty ? 'dirty' : 'clean' };
  });
  const serialise = useRef(toStored);
  useEffect(() => {
    serialise.current = toStored;
  });

  useEffect(() => {
    if (state.persistence === 'dirty') store.save(key, serialise.current(state.value));
    else if (state.persistence === 'cleared') store.remove(key);
  }, [store, key, state]);

  const edit = useCallback((change: (value: T) => T) => {
    setState((s) => ({ value: change(s.value), persistence: 'dirty' }));
  }, []);
  const adjust = useCallback((change: (value: T) => T) => {
    setState((s) => ({ ...s, value: change(s.value) }));
  }, []);
  const clear = useCallback((next?: T) => {
    setState((s) => ({ value: next === undefined ? s.value : next, persistence: 'cleared' }));
  }, []);
  return { value: state.value, edit, adjust, clear };
}
