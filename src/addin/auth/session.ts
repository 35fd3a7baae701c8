/**
 * Sign-in and tokens for the Cases API: the one owner of MSAL and of access tokens.
 * Local mode (the embedded default): the Outlook user's profile is exchanged for a token at /auth/local/token.
 * Entra mode: MSAL with nested app authentication when Outlook supports it; else MSAL's cache (localStorage of the
 * pane's origin: refresh tokens over fetch, no hidden iframe, no third-party cookie) and, when that has nothing, the
 * Office dialog sign-in (dialog-sign-in.ts) — never a popup from the task-pane webview.
 * Tokens are kept in memory only; MSAL keeps its own cache.
 */
import type { Configuration, IPublicClientApplication } from '@azure/msal-browser';
import type { AuthConfig, AuthEndpoints, TokenSource } from '../api/client';
import type { DialogOpener } from '../office/dialog';
import type { Person } from '../office/types';
import { signInThroughDialog } from './dialog-sign-in';
import { SignInError } from './session-errors';

export { SignInError, type SignInErrorKind } from './session-errors';

export interface AuthHost {
  supportsNestedAppAuth(): boolean;
  userProfile(): Person | null;
}

export type MsalFactory = (
  kind: 'nested' | 'standard',
  configuration: Configuration,
) => Promise<IPublicClientApplication>;

export const defaultMsalFactory: MsalFactory = async (kind, configuration) => {
  const msal = await import('@azure/msal-browser');
  return kind === 'nested'
    ? msal.createNestablePublicClientApplication(configuration)
    : msal.createStandardPublicClientApplication(configuration);
};

export interface AuthSession extends TokenSource {
  /** The sign-in mode, once known. */
  mode(): AuthConfig['mode'] | null;
  /** Forgets the tokens and MSAL's cached account; onSignedOut runs (drafts are cleared there). */
  signOut(): Promise<void>;
}

/** Refresh a cached token this long before it expires. */
const EXPIRY_MARGIN_MS = 60_000;

export function createAuthSession(options: {
  endpoints: AuthEndpoints;
  host: AuthHost;
  msalFactory?: MsalFactory;
  now?: () => number;
  redirectUri?: string;
  /** The Office dialog, for Entra sign-in without nested app authentication (null: Dialog API missing). */
  dialog?: DialogOpener | null;
  /** The origin of the dialog page (the pane's own). */
  origin?: string;
  /**
   * false: never show anything (the launch-event runtime, where a send must not wait for a person): only a silent or
   * cached token; otherwise SignInError 'interaction-required'. Default true.
   */
  interactive?: boolean;
  /** Who got the token: the profile address (local) or the Entra account's username. */
  onSignedIn?: (user: string) => void;
  onSignedOut?: () => void;
}): AuthSession {
  const { endpoints, host, msalFactory = defaultMsalFactory, now = Date.now } = options;
  const origin = options.origin ?? (typeof window !== 'undefined' ? window.location.origin : '');
  let config: Promise<AuthConfig> | null = null;
  let knownMode: AuthConfig['mode'] | null = null;
  let cached: { token: string; expiresAt: number } | null = null;
  let inFlight: Promise<string> | null = null;
  let pca: Promise<IPublicClientApplication> | null = null;

  const loadConfig = () => {
    config ??= endpoints.getAuthConfig().then(
      (c) => ((knownMode = c.mode), c),
      (error) => {
        config = null; // let the next attempt ask again (e.g. network back)
        throw error;
      },
    );
    return config;
  };

  async function localToken(): Promise<string> {
    const profile = host.userProfile();
    if (!profile?.email) throw new SignInError('no-profile', 'Outlook did not provide your email address');
    const result = await endpoints.getLocalToken({
      email: profile.email,
      ...(profile.name ? { name: profile.name } : {}),
    });
    cached = { token: result.access_token, expiresAt: now() + Math.max(0, result.expires_in) * 1000 };
    options.onSignedIn?.(profile.email);
    return result.access_token;
  }

  async function entraToken(c: AuthConfig, forceRefresh: boolean): Promise<string> {
    if (!c.clientId || !c.apiScope)
      throw new SignInError('misconfigured', 'Microsoft Entra sign-in is not configured (clientId/apiScope)');
    const scopes = [c.apiScope];
    if (!pca) {
      const kind = host.supportsNestedAppAuth() ? 'nested' : 'standard';
      const redirectUri =
        options.redirectUri ??
        (typeof window !== 'undefined' ? `${window.location.origin}${window.location.pathname}` : undefined);
      pca = msalFactory(kind, {
        auth: {
          clientId: c.clientId,
          authority: `https://login.microsoftonline.com/${c.tenantId || 'organizations'}`,
          ...(redirectUri ? { redirectUri } : {}),
        },
        cache: { cacheLocation: 'localStorage' },
      }).catch((error) => {
        pca = null;
        throw error;
      });
    }
    const app = await pca;
    const account = app.getActiveAccount() ?? app.getAllAccounts()[0];
    if (!host.supportsNestedAppAuth()) return standardToken(app, c, scopes, forceRefresh);
    try {
      const result = account
        ? await app.acquireTokenSilent({ scopes, account, forceRefresh })
        : await app.ssoSilent({ scopes });
      if (result.account) app.setActiveAccount(result.account);
      if (result.account?.username) options.onSignedIn?.(result.account.username);
      return result.accessToken;
    } catch {
      if (options.interactive === false)
        throw new SignInError('interaction-required', 'Signing in needs the Casepane pane');
      // No cached session or consent needed: ask the user (nested app authentication shows Outlook's own prompt).
      try {
        const result = await app.acquireTokenPopup({ scopes });
        if (result.account) app.setActiveAccount(result.account);
        if (result.account?.username) options.onSignedIn?.(result.account.username);
        return result.accessToken;
      } catch (error) {
        throw new SignInError(
          'interaction-required',
          `Sign-in was not completed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  /**
   * Without NAA: a cached account renews silently (refresh token over fetch); otherwise the Office dialog signs in.
   * ssoSilent is not used here: it needs Entra's cookies in a hidden iframe, i.e. third-party cookies.
   */
  async function standardToken(
    app: IPublicClientApplication,
    c: AuthConfig,
    scopes: string[],
    forceRefresh: boolean,
  ): Promise<string> {
    const account = app.getActiveAccount() ?? app.getAllAccounts()[0];
    if (account) {
      try {
        const result = await app.acquireTokenSilent({ scopes, account, forceRefresh });
        if (result.account?.username) options.onSignedIn?.(result.account.username);
        return result.accessToken;
      } catch {
        // Refresh token gone or consent needed: sign in again in the dialog.
      }
    }
    if (options.interactive === false)
      throw new SignInError('interaction-required', 'Signing in needs the Casepane pane');
    if (!options.dialog)
      throw new SignInError(
        'misconfigured',
        'This Outlook cannot open a sign-in window (Dialog API 1.1 is missing).',
      );
    const token = await signInThroughDialog(options.dialog, origin, {
      clientId: c.clientId ?? '',
      authority: `https://login.microsoftonline.com/${c.tenantId || 'organizations'}`,
      scope: scopes[0],
    });
    // The dialog shares the pane's storage in most hosts: then MSAL here knows the account and renews it silently.
    const known = app.getAllAccounts().find((a) => a.homeAccountId === token.account.homeAccountId);
    if (known) app.setActiveAccount(known);
    cached = { token: token.accessToken, expiresAt: token.expiresOn };
    options.onSignedIn?.(token.account.username);
    return token.accessToken;
  }

  async function fetchToken(forceRefresh: boolean): Promise<string> {
    const c = await loadConfig();
    return c.mode === 'local' ? localToken() : entraToken(c, forceRefresh);
  }

  return {
    mode: () => knownMode,
    async signOut() {
      cached = null;
      inFlight = null;
      const app = pca ? await pca.catch(() => null) : null;
      if (app) {
        // Only this add-in's cache: a logout redirect would sign the user out of every Microsoft site.
        const account = app.getActiveAccount() ?? app.getAllAccounts()[0];
        await app.clearCache(account ? { account } : undefined).catch(() => undefined);
        app.setActiveAccount(null);
      }
      options.onSignedOut?.();
    },
    getToken({ forceRefresh = false } = {}) {
      if (!forceRefresh && cached && cached.expiresAt - EXPIRY_MARGIN_MS > now())
        return Promise.resolve(cached.token);
      if (forceRefresh) cached = null;
      // Concurrent callers share one sign-in; a forced refresh after a 401 waits for any sign-in under way.
      if (!inFlight || forceRefresh) {
        const attempt = (inFlight && forceRefresh ? inFlight.catch(() => undefined) : Promise.resolve()).then(
          () => fetchToken(forceRefresh),
        );
        inFlight = attempt;
        attempt.then(
          () => {
            if (inFlight === attempt) inFlight = null;
          },
          () => {
            if (inFlight === attempt) inFlight = null;
          },
        );
      }
      return inFlight;
    },
  };
}
