import { FormEvent, useEffect, useRef, useState } from 'react';
import { isValidEmail } from '../../../shared/validation';
import type { CaseRecord } from '../../../shared/api-types';
import type { CaseSearch, CasesApi } from '../../api/client';
import { isAbort } from '../../api/errors';

/** Digits (optionally "#1234") search the case number, an address searches by email, anything else subject words. */
export function searchFor(text: string): CaseSearch | null {
  const q = text.trim();
  if (!q) return null;
  const number = /^#?(\d{1,16})$/.exec(q);
  if (number) return { criteria: `(Case_Number:equals:${number[1]})` };
  if (isValidEmail(q)) return { email: q };
  return { word: q };
}

export type CaseSearchResults =
  | { status: 'idle' }
  | { status: 'searching' }
  | { status: 'ready'; cases: CaseRecord[] }
  | { status: 'failed'; error: unknown };

/** A case search box's state: a new search aborts the previous one, whose late answer is ignored. */
export function useCaseSearch(api: Pick<CasesApi, 'searchCases'>) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<CaseSearchResults>({ status: 'idle' });
  const current = useRef<AbortController | null>(null);
  useEffect(() => () => current.current?.abort(), []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const search = searchFor(query);
    current.current?.abort();
    if (!search) return setResults({ status: 'idle' });
    const controller = new AbortController();
    current.current = controller;
    setResults({ status: 'searching' });
    api.searchCases(search, controller.signal).then(
      (cases) => {
        if (!controller.signal.aborted) setResults({ status: 'ready', cases });
      },
      (error: unknown) => {
        if (!controller.signal.aborted && !isAbort(error)) setResults({ status: 'failed', error });
      },
    );
  };
  return { query, setQuery, results, submit };
}
