import { useRef, useState } from 'react';
import type { FieldError } from '../../../../shared/validation';
import type { CreatedCase } from '../../../api/client';
import { ApiFailure } from '../../../api/errors';
import { useI18n } from '../../../i18n';
import type { OpenMessage } from '../../../office/types';
import { useAnnouncer } from '../../components/Announcer';
import { failureText } from '../../components/failure';
import { toEmailMessageInput } from '../../message-input';
import { usePaneSession, useServices } from '../../services';
import { type FormDraft, formFields, validateDraft } from './form-model';

export type SaveState =
  | { status: 'idle' }
  | { status: 'saving'; slow?: boolean }
  | { status: 'failed'; error: unknown; timedOut?: boolean }
  | { status: 'created'; created: CreatedCase; caseStatus: string };

/** After this long a save says it is still trying; after GIVE_UP_MS it stops and offers Retry. */
const STILL_TRYING_MS = 3_000;
const GIVE_UP_MS = 10_000;

/** The call's own answer, or a rejection as soon as `signal` aborts (even if the call ignores its signal). */
function withDeadline<T>(call: Promise<T>, signal: AbortSignal): Promise<T> {
  return Promise.race([
    call,
    new Promise<never>((_, reject) =>
      signal.addEventListener('abort', () => reject(new ApiFailure('network', 'no answer in time')), {
        once: true,
      }),
    ),
  ]);
}

export interface CreateCaseOptions {
  message: OpenMessage;
  mailbox: string | null;
  draft: FormDraft;
  editDraft(change: (draft: FormDraft) => FormDraft): void;
  clearDraft(): void;
  /** Field errors to show (none: clear them); from the form's own checks or the server's answer. */
  showFieldErrors(errors: readonly FieldError[]): void;
  onCreated?(created: CreatedCase): void;
}

/**
 * Saving the form as a case from the message: once per click, the draft kept (marked unsent) until the server
 * confirms, "still trying" after 3 s, given up after 10 s with Retry — and a retry after giving up is not reported
 * as someone else's duplicate, since the server makes one case per message whatever the number of tries.
 */
export function useCreateCase(options: CreateCaseOptions) {
  const { message, mailbox, draft, editDraft, clearDraft, showFieldErrors, onCreated } = options;
  const { api } = useServices();
  const { fields } = usePaneSession();
  const { t } = useI18n();
  const announce = useAnnouncer();
  const [save, setSave] = useState<SaveState>({ status: 'idle' });
  const saving = useRef(false);
  // Set when a save was given up on: the server may still have made the case, so its retry is no duplicate.
  const gaveUp = useRef(false);

  const created = (sent: CreatedCase) => {
    // A "duplicate" right after a save we gave up on is that save's own case (the server kept it), not someone else's.
    const result = sent.duplicate && gaveUp.current ? { ...sent, duplicate: false } : sent;
    gaveUp.current = false;
    clearDraft();
    setSave({ status: 'created', created: result, caseStatus: draft.values.Status || 'New' });
    announce(
      result.duplicate
        ? t('createdDuplicate', { number: result.caseNumber })
        : t('createdTitle', { number: result.caseNumber }),
    );
    onCreated?.(result);
    // The case may have existed already (duplicate) with another status: show the stored one.
    api.getCase(result.id).then(
      (record) => {
        if (record) setSave({ status: 'created', created: result, caseStatus: record.Status });
      },
      () => undefined,
    );
  };

  const failed = (error: unknown, timedOut: boolean) => {
    gaveUp.current ||= timedOut;
    setSave({ status: 'failed', error, timedOut });
    announce(`${t('saveErrorTitle')}. ${timedOut ? t('saveTimedOut') : failureText(t, error)}`);
    if (error instanceof ApiFailure && error.fieldErrors.length) {
      const shown = formFields(fields);
      showFieldErrors(error.fieldErrors.filter((e) => shown.some((f) => f.apiName === e.api_name)));
    }
  };

  const submit = async () => {
    if (saving.current) return; // a double click sends once
    const checked = validateDraft(draft, fields);
    if (!checked.ok) {
      showFieldErrors(checked.errors);
      setSave({ status: 'idle' });
      return;
    }
    saving.current = true;
    showFieldErrors([]);
    setSave({ status: 'saving' });
    // Kept until the server confirms, so closing the pane mid-save loses nothing.
    editDraft((d) => ({ ...d, unsent: true }));
    const deadline = new AbortController();
    const slow = setTimeout(
      () => setSave((s) => (s.status === 'saving' ? { ...s, slow: true } : s)),
      STILL_TRYING_MS,
    );
    const giveUp = setTimeout(() => deadline.abort(), GIVE_UP_MS);
    try {
      created(
        await withDeadline(
          api.createCaseFromEmail(checked.input, toEmailMessageInput(message, mailbox), deadline.signal),
          deadline.signal,
        ),
      );
    } catch (error) {
      failed(error, deadline.signal.aborted);
    } finally {
      clearTimeout(slow);
      clearTimeout(giveUp);
      saving.current = false;
    }
  };

  return { save, submit };
}
