import { useCallback, useEffect, useState } from 'react';
import type { UserRecord } from '../../shared/api-types';
import { FieldDefinition, STANDARD_FIELDS } from '../../shared/case-fields';
import type { CasesApi } from '../api/client';
import { ApiFailure } from '../api/errors';
import { fieldsFromMetadata } from '../api/fields';

export type SessionState =
  | { status: 'loading' }
  | { status: 'ready'; me: UserRecord | null; users: UserRecord[]; fields: FieldDefinition[] }
  | { status: 'error'; error: unknown }
  /** The Cases service did not answer (down, 5xx, rate-limited): not a sign-in problem; the pane works on. */
  | { status: 'unreachable'; error: unknown; me: null; users: UserRecord[]; fields: FieldDefinition[] };

/** Failures of the service itself, as opposed to a sign-in that was refused or could not be done. */
function serviceDown(error: unknown): boolean {
  return (
    error instanceof ApiFailure &&
    (error.kind === 'network' || error.kind === 'server' || error.kind === 'rate-limited')
  );
}

/**
 * Signs in (through the API client's token source) and loads what every message needs: the current user,
 * the active users for the Owner list, and the field layout with custom fields. Only sign-in is fatal;
 * without users or custom fields the pane still works with the shared model's standard fields, and with the
 * service down (`unreachable`) the message and a draft-keeping form stay on screen (issue 16, item 4).
 */
export function useSession(api: Pick<CasesApi, 'currentUser' | 'activeUsers' | 'caseFields'>) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let active = true;
    (async () => {
      const me = await api.currentUser();
      const [users, fields] = await Promise.all([
        api.activeUsers().catch(() => (me ? [me] : [])),
        api.caseFields().then(
          (meta) => fieldsFromMetadata(meta),
          () => [...STANDARD_FIELDS],
        ),
      ]);
      return { me, users, fields };
    })().then(
      (loaded) => {
        if (active) setState({ status: 'ready', ...loaded });
      },
      (error: unknown) => {
        if (!active) return;
        if (serviceDown(error))
          setState({ status: 'unreachable', error, me: null, users: [], fields: [...STANDARD_FIELDS] });
        else setState({ status: 'error', error });
      },
    );
    return () => {
      active = false;
    };
  }, [api, attempt]);

  const retry = useCallback(() => {
    // While unreachable the form stays mounted (no spinner in its place), so nothing typed is lost.
    setState((s) => (s.status === 'unreachable' ? s : { status: 'loading' }));
    setAttempt((n) => n + 1);
  }, []);
  return { state, retry };
}
