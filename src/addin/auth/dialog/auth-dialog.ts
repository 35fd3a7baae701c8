/**
 * The sign-in dialog page (auth-dialog.html), opened by the pane with Office.context.ui.displayDialogAsync when
 * Outlook has no nested app authentication. As a top-level page it can run MSAL's redirect flow with Entra's
 * first-party cookies; it caches in this origin's localStorage and answers the pane once with messageParent
 * (Dialog API 1.1), as Microsoft's Outlook NAA sample's fallback dialog does.
 */
import type { AuthenticationResult } from '@azure/msal-browser';
import { messageParent, whenDialogReady } from '../../office/dialog';
import { MESSAGE_TYPE, readDialogRequest, type DialogAnswer, type DialogRequest } from '../dialog-protocol';

const REQUEST_KEY = 'casepane:auth-dialog:request';

function answer(message: DialogAnswer): void {
  messageParent(JSON.stringify(message));
}

function fail(code: string, message: string): void {
  answer({ type: MESSAGE_TYPE, status: 'error', code, message });
}

/** The request from the query on the first load; after Entra's redirect back, from sessionStorage. */
function request(): DialogRequest | null {
  const fromQuery = readDialogRequest(window.location.search);
  if (fromQuery) {
    sessionStorage.setItem(REQUEST_KEY, JSON.stringify(fromQuery));
    return fromQuery;
  }
  const saved = sessionStorage.getItem(REQUEST_KEY);
  return saved
    ? readDialogRequest(`?${new URLSearchParams(JSON.parse(saved) as Record<string, string>)}`)
    : null;
}

function succeed(result: AuthenticationResult): void {
  if (!result.account) return fail('no_account', 'Entra returned no account');
  sessionStorage.removeItem(REQUEST_KEY);
  answer({
    type: MESSAGE_TYPE,
    status: 'success',
    accessToken: result.accessToken,
    expiresOn: result.expiresOn ? result.expiresOn.getTime() : Date.now() + 5 * 60_000,
    account: { homeAccountId: result.account.homeAccountId, username: result.account.username },
  });
}

async function run(): Promise<void> {
  await whenDialogReady();
  const req = request();
  if (!req) return fail('bad_request', 'The sign-in window was opened without its settings');
  const msal = await import('@azure/msal-browser');
  const app = await msal.createStandardPublicClientApplication({
    auth: {
      clientId: req.clientId,
      authority: req.authority,
      redirectUri: `${window.location.origin}${window.location.pathname}`,
    },
    cache: { cacheLocation: 'localStorage' },
  });
  const returned = await app.handleRedirectPromise();
  if (returned) return succeed(returned);
  await app.loginRedirect({ scopes: [req.scope], prompt: 'select_account' });
}

run().catch((error: unknown) => {
  const code =
    typeof error === 'object' && error && 'errorCode' in error ? String(error.errorCode) : 'failed';
  try {
    fail(code, error instanceof Error ? error.message : String(error));
  } catch {
    document.body.textContent = 'Sign-in failed. Close this window and try again.';
  }
});
