/**
 * The Office dialog API (Dialog API 1.1: displayDialogAsync, messageParent, DialogMessageReceived /
 * DialogEventReceived; https://learn.microsoft.com/office/dev/add-ins/develop/dialog-api-in-office-add-ins),
 * as one promise: the first message the dialog page sends, or an OfficeDialogError with Office's code.
 */
import { isSetSupported } from './requirements';

/** Codes Office reports (https://learn.microsoft.com/office/dev/add-ins/develop/dialog-handle-errors-events). */
export const DIALOG_ERRORS = {
  /** The dialog page could not be found or loaded. */
  pageNotLoaded: 12002,
  /** The dialog was sent to an http (not https) URL. */
  insecureUrl: 12003,
  /** The dialog URL's domain is not the add-in's nor in AppDomains. */
  untrustedDomain: 12004,
  /** The URL passed to displayDialogAsync is http. */
  httpUrl: 12005,
  /** The user closed the dialog. */
  closedByUser: 12006,
  /** A dialog is already open from this add-in. */
  alreadyOpen: 12007,
  /** The user chose to ignore the dialog (Outlook on the web's "allow this window" prompt). */
  ignoredByUser: 12009,
  /** The browser's settings block pop-ups (Outlook on the web). */
  blockedByBrowser: 12011,
} as const;

export class OfficeDialogError extends Error {
  override readonly name = 'OfficeDialogError';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface DialogOpener {
  /** Opens `url` (same origin as the pane) in an Office dialog; resolves with its first message, then closes it. */
  open(url: string, size: { height: number; width: number }): Promise<string>;
}

/**
 * Outlook's own requirement set for the dialog: displayDialogAsync and messageParent are Mailbox 1.4 ("Outlook
 * support" on https://learn.microsoft.com/javascript/api/requirement-sets/common/dialog-api-requirement-sets).
 * Outlook has answered `isSetSupported('DialogApi', '1.1')` with false where the dialog works (office-js#1476 on
 * the web, #1649 in Outlook 2016), so that check alone would refuse a sign-in that can be done.
 */
export const DIALOG_MAILBOX_VERSION = '1.4';

/** The dialog of this Office host, or null where it has none (neither Mailbox 1.4 nor Dialog API 1.1). */
export function officeDialog(office: typeof Office | undefined = globalThis.Office): DialogOpener | null {
  if (
    !office ||
    !(
      isSetSupported(office, 'Mailbox', DIALOG_MAILBOX_VERSION) ||
      isSetSupported(office, 'DialogApi', '1.1')
    )
  )
    return null;
  const ui = office.context?.ui;
  if (typeof ui?.displayDialogAsync !== 'function') return null;
  return {
    open: (url, size) =>
      new Promise<string>((resolve, reject) => {
        ui.displayDialogAsync(url, { ...size, displayInIframe: false }, (result) => {
          if (result.status === office.AsyncResultStatus.Failed) {
            reject(new OfficeDialogError(result.error.code, result.error.message));
            return;
          }
          const dialog = result.value;
          let settled = false;
          dialog.addEventHandler(office.EventType.DialogMessageReceived, (arg) => {
            if (settled || !('message' in arg)) return;
            settled = true;
            dialog.close();
            resolve(arg.message);
          });
          dialog.addEventHandler(office.EventType.DialogEventReceived, (arg) => {
            if (settled || !('error' in arg)) return;
            settled = true;
            reject(new OfficeDialogError(arg.error, `the dialog reported ${arg.error}`));
          });
        });
      }),
  };
}

/** Dialog page side: resolves once Office.js is ready in the dialog. */
export async function whenDialogReady(office: typeof Office | undefined = globalThis.Office): Promise<void> {
  if (!office) throw new OfficeDialogError(0, 'Office.js is not loaded in the dialog');
  await office.onReady();
}

/** Dialog page side: the one message to the pane (Dialog API 1.1 messageParent, same origin as the pane). */
export function messageParent(message: string, office: typeof Office | undefined = globalThis.Office): void {
  if (!office?.context?.ui?.messageParent) throw new OfficeDialogError(0, 'messageParent is not available');
  office.context.ui.messageParent(message);
}
