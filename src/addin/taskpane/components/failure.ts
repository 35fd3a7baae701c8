import { ApiFailure } from '../../api/errors';
import { SignInError } from '../../auth/session';
import type { Translate } from '../../i18n';

/** One sentence for the user about a failed call, in their language. */
export function failureText(t: Translate, error: unknown): string {
  if (error instanceof ApiFailure) {
    switch (error.kind) {
      case 'network':
        return t('errorNetwork');
      case 'server':
        return t('errorServer', { status: error.status ?? '5xx' });
      case 'unauthorized':
        return t('errorUnauthorized');
      case 'forbidden':
        return t('errorForbidden');
      case 'rate-limited':
        return t('errorRateLimited');
      case 'not-found':
        return t('errorNotFound');
      case 'validation':
        return error.fieldErrors.length ? t('errorValidation') : t('errorOther', { message: error.message });
      case 'aborted':
        return t('errorNetwork');
    }
  }
  if (error instanceof SignInError) return error.message;
  return t('errorOther', { message: error instanceof Error ? error.message : String(error) });
}
