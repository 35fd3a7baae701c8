/**
 * Sign-in and tokens for the Cases API: the one owner of MSAL and of access tokens.
 * Local mode (the embedded default): the Outlook user's profile is exchanged for a token at /auth/local/token.
 * Entra mode: MSAL, nested app authentication when Outlook supports it, else a standard popup flow.
 * Tokens are kept in memory only; MSAL keeps its own cache.
 */
import type { Configuration, IPublicClientApplication } from '@azure/msal-browser';
import type { AuthConfig, AuthEndpoints, TokenSource } from '../api/client';
import type { Person } from '../office/types';

export type SignInErrorKind = 'no-profile' | 'misconfigured' | 'interaction-required' | 'failed';

export class SignInError extends Error {
  override readonly name = 'SignInError';
  constructor(
    readonly kind: SignInErrorKind,
    message: string,
  ) {
    super(message);
  }
}

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
}

/** Refresh a cached token this long before it expires. */
const EXPIRY_MARGIN_MS = 60_000;

export function createAuthSession(options: {
  endpoints: AuthEndpoints;
  host: AuthHost;
  msalFactory?: MsalFactory;
  now?: () => number;
  redirectUri?: string;
}): AuthSession {
  const { endpoints, host, msalFactory = defaultMsalFactory, now = Date.now } = options;
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
    try {
      const result = account
        ? await app.acquireTokenSilent({ scopes, account, forceRefresh })
        : await app.ssoSilent({ scopes });
      if (result.account) app.setActiveAccount(result.account);
      return result.accessToken;
    } catch {
      // No cached session or consent needed: ask the user (NAA shows Outlook's own prompt; standard opens a popup).
      try {
        const result = await app.acquireTokenPopup({ scopes });
        if (result.account) app.setActiveAccount(result.account);
        return result.accessToken;
      } catch (error) {
        throw new SignInError(
          'interaction-required',
          `Sign-in was not completed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  async function fetchToken(forceRefresh: boolean): Promise<string> {
    const c = await loadConfig();
    return c.mode === 'local' ? localToken() : entraToken(c, forceRefresh);
  }

  return {
    mode: () => knownMode,
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
