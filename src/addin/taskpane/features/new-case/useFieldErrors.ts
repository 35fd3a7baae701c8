import { useCallback, useState } from 'react';
import type { FieldError } from '../../../../shared/validation';
import { useI18n } from '../../../i18n';
import { usePaneSession } from '../../services';
import { fieldErrorText } from './form-model';

/**
 * The field errors a form shows, by API name, in the agent's language (the new-case form and the case edits):
 * `show` replaces them (none: clears them), `clear` drops one field's error as the agent edits that field.
 */
export function useFieldErrors() {
  const { fields } = usePaneSession();
  const { t, language } = useI18n();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const show = (list: readonly FieldError[]) =>
    setErrors(Object.fromEntries(list.map((e) => [e.api_name, fieldErrorText(t, e, fields, language)])));
  const clear = useCallback(
    (apiName: string) =>
      setErrors((e) => {
        if (!(apiName in e)) return e;
        const next = { ...e };
        delete next[apiName];
        return next;
      }),
    [],
  );
  return { errors, show, clear };
}
