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
        if (error.details.code === 'MAIL_NOT_SENT') return t('errorMailNotSent', { message: error.message });
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
        if (error.details.code === 'NOT_SUPPORTED') return t('errorNotSupported', { message: error.message });
        return error.fieldErrors.length ? t('errorValidation') : t('errorOther', { message: error.message });
      case 'conflict':
        return t('errorConflict');
      case 'aborted':
        return t('errorNetwork');
    }
  }
  if (error instanceof SignInError) return error.message;
  return t('errorOther', { message: error instanceof Error ? error.message : String(error) });
}
