import { ApiFailure } from '../../api/errors';
import { SignInError } from '../../auth/session';
import type { Translate } from '../../i18n';

/** Sign-in failures the user can act on (the Office dialog's errors), else null. */
function signInText(t: Translate, error: ApiFailure): string | null {
  switch (error.details.code) {
    case 'SIGN_IN_CANCELLED':
      return t('signInCancelled');
    case 'SIGN_IN_BLOCKED':
      return t('signInBlocked');
    case 'SIGN_IN_BUSY':
      return t('signInBusy');
    case 'SIGN_IN_MISCONFIGURED':
    case 'SIGN_IN_FAILED':
    case 'SIGN_IN_INTERACTION_REQUIRED':
    case 'SIGN_IN_NO_PROFILE':
      return t('signInError', { message: error.message.replace(/^Sign-in failed: /, '') });
    default:
      return null;
  }
}

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
        return signInText(t, error) ?? t('errorUnauthorized');
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
