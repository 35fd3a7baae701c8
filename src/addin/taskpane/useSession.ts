import { useCallback, useEffect, useState } from 'react';
import type { UserRecord } from '../../shared/api-types';
import { FieldDefinition, STANDARD_FIELDS } from '../../shared/case-fields';
import type { CasesApi } from '../api/client';
import { fieldsFromMetadata } from '../api/fields';

export type SessionState =
  | { status: 'loading' }
  | { status: 'ready'; me: UserRecord | null; users: UserRecord[]; fields: FieldDefinition[] }
  | { status: 'error'; error: unknown };

/**
 * Signs in (through the API client's token source) and loads what every message needs: the current user,
 * the active users for the Owner list, and the field layout with custom fields. Only sign-in is fatal;
 * without users or custom fields the pane still works with the shared model's standard fields.
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
        if (active) setState({ status: 'error', error });
      },
    );
    return () => {
      active = false;
    };
  }, [api, attempt]);

  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);
  return { state, retry };
}
