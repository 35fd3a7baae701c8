/**
 * What the sign-in dialog page (auth-dialog.html) and the pane say to each other. The pane opens the page with the
 * Entra settings in its query; the page answers once through Office.context.ui.messageParent with one of these.
 */

export const DIALOG_PAGE = 'auth-dialog.html';
export const MESSAGE_TYPE = 'casepane-sign-in';

export interface DialogRequest {
  clientId: string;
  authority: string;
  scope: string;
}

export type DialogAnswer =
  | {
      type: typeof MESSAGE_TYPE;
      status: 'success';
      accessToken: string;
      /** Epoch milliseconds. */
      expiresOn: number;
      account: { homeAccountId: string; username: string };
    }
  | { type: typeof MESSAGE_TYPE; status: 'error'; code: string; message: string };

export function dialogUrl(origin: string, request: DialogRequest): string {
  const query = new URLSearchParams({ ...request });
  return `${origin}/${DIALOG_PAGE}?${query.toString()}`;
}

export function readDialogRequest(search: string): DialogRequest | null {
  const q = new URLSearchParams(search);
  const clientId = q.get('clientId');
  const authority = q.get('authority');
  const scope = q.get('scope');
  // Only Microsoft's sign-in service: the page must not be a way to send users to another issuer.
  if (!clientId || !scope || !authority?.startsWith('https://login.microsoftonline.com/')) return null;
  return { clientId, authority, scope };
}

/** The dialog's message, checked: anything else (another page, a garbled string) is null. */
export function parseDialogAnswer(raw: string): DialogAnswer | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  const a = value as Partial<DialogAnswer> | null;
  if (!a || a.type !== MESSAGE_TYPE) return null;
  if (a.status === 'success') {
    const ok = a as Extract<DialogAnswer, { status: 'success' }>;
    return typeof ok.accessToken === 'string' &&
      ok.accessToken !== '' &&
      typeof ok.expiresOn === 'number' &&
      typeof ok.account?.username === 'string'
      ? ok
      : null;
  }
  if (a.status === 'error') {
    const err = a as Extract<DialogAnswer, { status: 'error' }>;
    return typeof err.code === 'string' && typeof err.message === 'string' ? err : null;
  }
  return null;
}
