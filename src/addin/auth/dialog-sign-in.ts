/**
 * Entra sign-in without nested app authentication: an Office dialog (Dialog API 1.1) on the pane's origin runs MSAL's
 * redirect flow as a top-level page and hands the result back with messageParent — the fallback Microsoft's Outlook
 * NAA sample uses (OfficeDev/Office-Add-in-samples, Samples/auth/Outlook-Add-in-SSO-NAA, fallback/), because a popup
 * opened from the task-pane webview often cannot return its token. No hidden iframe, so no third-party cookie.
 */
import { DIALOG_ERRORS, OfficeDialogError, type DialogOpener } from '../office/dialog';
import { dialogUrl, parseDialogAnswer, type DialogRequest } from './dialog-protocol';
import { SignInError } from './session-errors';

/** Percent of the screen (Office sizes dialogs in percent); Entra's sign-in page fits. */
const DIALOG_SIZE = { height: 60, width: 30 };

export interface DialogToken {
  accessToken: string;
  expiresOn: number;
  account: { homeAccountId: string; username: string };
}

function fromOffice(error: OfficeDialogError): SignInError {
  switch (error.code) {
    case DIALOG_ERRORS.closedByUser:
      return new SignInError('cancelled', 'The sign-in window was closed before sign-in finished.');
    case DIALOG_ERRORS.alreadyOpen:
      return new SignInError(
        'busy',
        'Another Casepane window is already open: finish or close it, then retry.',
      );
    case DIALOG_ERRORS.ignoredByUser:
    case DIALOG_ERRORS.blockedByBrowser:
      return new SignInError(
        'blocked',
        'The sign-in window was blocked: allow it (or pop-ups) for Outlook, then retry.',
      );
    case DIALOG_ERRORS.pageNotLoaded:
      return new SignInError(
        'failed',
        'The sign-in window could not load its page. Check the connection, then retry.',
      );
    case DIALOG_ERRORS.insecureUrl:
    case DIALOG_ERRORS.untrustedDomain:
    case DIALOG_ERRORS.httpUrl:
      return new SignInError(
        'misconfigured',
        `Outlook refused the sign-in window (${error.code}): check the add-in's origin.`,
      );
    default:
      return new SignInError('failed', `The sign-in window failed (${error.code}): ${error.message}`);
  }
}

export async function signInThroughDialog(
  dialog: DialogOpener,
  origin: string,
  request: DialogRequest,
): Promise<DialogToken> {
  let raw: string;
  try {
    raw = await dialog.open(dialogUrl(origin, request), DIALOG_SIZE);
  } catch (error) {
    if (error instanceof OfficeDialogError) throw fromOffice(error);
    throw new SignInError(
      'failed',
      `The sign-in window failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const answer = parseDialogAnswer(raw);
  if (!answer)
    throw new SignInError('failed', 'The sign-in window sent an answer Casepane does not understand.');
  if (answer.status === 'error')
    throw new SignInError(
      answer.code === 'user_cancelled' ? 'cancelled' : 'interaction-required',
      `Sign-in was not completed: ${answer.message}`,
    );
  return { accessToken: answer.accessToken, expiresOn: answer.expiresOn, account: answer.account };
}
