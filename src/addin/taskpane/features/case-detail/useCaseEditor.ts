import { useRef, useState } from 'react';
import type { CaseRecord, UserRecord } from '../../../../shared/api-types';
import { ApiFailure } from '../../../api/errors';
import { usePersistentDraft } from '../../hooks/usePersistentDraft';
import { usePaneSession, useServices } from '../../services';
import { useFieldErrors } from '../new-case/useFieldErrors';
import { useCaseChanged } from './case-context';
import {
  NO_EDITS,
  changesOf,
  draftToEdits,
  editsToDraft,
  overlappingChanges,
  shownOwner,
  shownValues,
  validateChanges,
} from './case-edit-model';

export type SaveState =
  | { status: 'idle' }
  | { status: 'saving' }
  | { status: 'saved' }
  | { status: 'failed'; error: unknown }
  | { status: 'conflict'; error: ApiFailure }
  | { status: 'reloading' };

/**
 * The edits of an opened case: what the agent typed (kept in the case draft store until saved or discarded), the
 * save with its optimistic-lock conflict and reload, and the field errors. `record` is the case as stored;
 * `replaceRecord` takes the case as it is after a save or reload.
 */
export function useCaseEditor(record: CaseRecord, replaceRecord: (fresh: CaseRecord) => void) {
  const { api, caseDrafts } = useServices();
  const { fields } = usePaneSession();
  const caseChanged = useCaseChanged();
  const [restored] = useState(() => draftToEdits(caseDrafts.load(record.id)));
  const draft = usePersistentDraft(
    caseDrafts,
    record.id,
    () => ({ value: restored ?? NO_EDITS, dirty: false }),
    editsToDraft,
  );
  const [showRestored, setShowRestored] = useState(restored !== null);
  const [save, setSave] = useState<SaveState>({ status: 'idle' });
  const [overlap, setOverlap] = useState<{ apiName: string; now: string }[]>([]);
  const fieldErrors = useFieldErrors();
  const saving = useRef(false);

  const edits = draft.value;
  const owner = shownOwner(record, edits);
  const changes = changesOf(record, edits);
  const dirty = Object.keys(changes).length > 0;

  const edit = (apiName: string, value: string) => {
    draft.edit((e) => ({ ...e, values: { ...e.values, [apiName]: value } }));
    if (save.status === 'saved' || save.status === 'failed') setSave({ status: 'idle' });
    fieldErrors.clear(apiName);
  };

  const chooseOwner = (user: UserRecord | undefined) =>
    draft.edit((e) => ({ ...e, owner: user ? { id: user.id, name: user.full_name } : null }));

  const submit = async () => {
    if (saving.current || !dirty) return;
    const problems = validateChanges(record, changes, fields);
    if (problems.length) return fieldErrors.show(problems);
    saving.current = true;
    fieldErrors.show([]);
    setSave({ status: 'saving' });
    try {
      const { version } = await api.updateCase(record.id, changes, record.$version);
      const fresh = await api.getCase(record.id).catch(() => null);
      replaceRecord(
        fresh ??
          ({
            ...record,
            ...changes,
            Owner: owner ? { id: owner.id, name: owner.name } : null,
            $version: version,
          } as CaseRecord),
      );
      draft.clear(NO_EDITS);
      setOverlap([]);
      setShowRestored(false);
      setSave({ status: 'saved' });
      caseChanged();
    } catch (error) {
      if (error instanceof ApiFailure && error.kind === 'conflict') setSave({ status: 'conflict', error });
      else {
        setSave({ status: 'failed', error });
        if (error instanceof ApiFailure && error.fieldErrors.length) fieldErrors.show(error.fieldErrors);
      }
    } finally {
      saving.current = false;
    }
  };

  /** After a conflict: take the stored case as it is now, keep the agent's edits on top, show what overlapped. */
  const reloadAfterConflict = async () => {
    setSave({ status: 'reloading' });
    try {
      const fresh = await api.getCase(record.id);
      if (!fresh) throw new ApiFailure('not-found', 'the case no longer exists');
      setOverlap(overlappingChanges(record, fresh, edits));
      replaceRecord(fresh);
      setSave({ status: 'idle' });
      caseChanged();
    } catch (error) {
      setSave({ status: 'failed', error });
    }
  };

  const discard = () => {
    draft.clear(NO_EDITS);
    setShowRestored(false);
    setOverlap([]);
    fieldErrors.show([]);
    setSave({ status: 'idle' });
  };

  return {
    values: shownValues(record, edits),
    owner,
    changes,
    dirty,
    busy: save.status === 'saving' || save.status === 'reloading',
    save,
    overlap,
    errors: fieldErrors.errors,
    showRestored,
    edit,
    chooseOwner,
    submit,
    reloadAfterConflict,
    discard,
  };
}

export type CaseEditor = ReturnType<typeof useCaseEditor>;
