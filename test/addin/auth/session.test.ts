import type { IPublicClientApplication } from '@azure/msal-browser';
import type { AuthConfig, AuthEndpoints } from '../../../src/addin/api/client';
import { MsalFactory, SignInError, createAuthSession } from '../../../src/addin/auth/session';

function endpoints(config: AuthConfig) {
  let n = 0;
  const api = {
    getAuthConfig: jest.fn(async () => config),
    getLocalToken: jest.fn(async () => ({ access_token: `local-${++n}`, token_type: 'Bearer' as const, expires_in: 3600 })),
  } satisfies AuthEndpoints;
  return api;
}

const host = (overrides: Partial<{ naa: boolean; email: string | null }> = {}) => ({
  supportsNestedAppAuth: () => overrides.naa ?? false,
  userProfile: () => (overrides.email === null ? null : { name: 'Agent Smith', email: overrides.email ?? 'agent@casepane.test' }),
});

describe('auth session, local mode', () => {
  it('exchanges the Outlook profile for a token and caches it until shortly before expiry', async () => {
    const api = endpoints({ mode: 'local' });
    let now = 1_000_000;
    const session = createAuthSession({ endpoints: api, host: host(), now: () => now });
    await expect(session.getToken()).resolves.toBe('local-1');
    expect(api.getLocalToken).toHaveBeenCalledWith({ email: 'agent@casepane.test', name: 'Agent Smith' });
    await expect(session.getToken()).resolves.toBe('local-1');
    now += 3600_000 - 30_000; // within the refresh margin
    await expect(session.getToken()).resolves.toBe('local-2');
    expect(session.mode()).toBe('local');
    expect(api.getAuthConfig).toHaveBeenCalledTimes(1);
  });

  it('gets a new token on forceRefresh (after a 401)', async () => {
    const session = createAuthSession({ endpoints: endpoints({ mode: 'local' }), host: host() });
    await session.getToken();
    await expect(session.getToken({ forceRefresh: true })).resolves.toBe('local-2');
  });

  it('shares one sign-in between concurrent callers', async () => {
    const api = endpoints({ mode: 'local' });
    const session = createAuthSession({ endpoints: api, host: host() });
    const tokens = await Promise.all([session.getToken(), session.getToken(), session.getToken()]);
    expect(tokens).toEqual(['local-1', 'local-1', 'local-1']);
    expect(api.getLocalToken).toHaveBeenCalledTimes(1);
  });

  it('fails with a SignInError when Outlook gives no profile', async () => {
    const session = createAuthSession({ endpoints: endpoints({ mode: 'local' }), host: host({ email: null }) });
    await expect(session.getToken()).rejects.toMatchObject({ name: 'SignInError', kind: 'no-profile' });
  });

  it('asks for the config again after it failed to load', async () => {
    const api = endpoints({ mode: 'local' });
    api.getAuthConfig.mockRejectedValueOnce(new Error('offline'));
    const session = createAuthSession({ endpoints: api, host: host() });
    await expect(session.getToken()).rejects.toThrow('offline');
    await expect(session.getToken()).resolves.toBe('local-1');
  });
});

describe('auth session, entra mode', () => {
  const config: AuthConfig = { mode: 'entra', tenantId: 'tenant-1', clientId: 'client-1', apiScope: 'api://casepane/access' };

  function fakePca(behaviour: { silent?: () => Promise<unknown>; popup?: () => Promise<unknown>; accounts?: unknown[] }) {
    const pca = {
      getActiveAccount: jest.fn(() => null),
      getAllAccounts: jest.fn(() => behaviour.accounts ?? []),
      setActiveAccount: jest.fn(),
      acquireTokenSilent: jest.fn(behaviour.silent ?? (async () => ({ accessToken: 'silent', account: { username: 'a' } }))),
      ssoSilent: jest.fn(behaviour.silent ?? (async () => ({ accessToken: 'sso', account: { username: 'a' } }))),
      acquireTokenPopup: jest.fn(behaviour.popup ?? (async () => ({ accessToken: 'popup', account: { username: 'a' } }))),
    };
    return pca;
  }

  it('uses the nestable client when Outlook supports NestedAppAuth, with the API scope', async () => {
    const pca = fakePca({ accounts: [{ username: 'agent' }] });
    const factory = jest.fn<ReturnType<MsalFactory>, Parameters<MsalFactory>>(async () => pca as unknown as IPublicClientApplication);
    const session = createAuthSession({ endpoints: endpoints(config), host: host({ naa: true }), msalFactory: factory, redirectUri: 'https://pane.test/taskpane.html' });
    await expect(session.getToken()).resolves.toBe('silent');
    expect(factory).toHaveBeenCalledWith('nested', {
      auth: { clientId: 'client-1', authority: 'https://login.microsoftonline.com/tenant-1', redirectUri: 'https://pane.test/taskpane.html' },
      cache: { cacheLocation: 'localStorage' },
    });
    expect(pca.acquireTokenSilent).toHaveBeenCalledWith({ scopes: ['api://casepane/access'], account: { username: 'agent' }, forceRefresh: false });
  });

  it('without NAA uses the standard client, never a popup nor ssoSilent: with no cached account it signs in through the Office dialog', async () => {
    const pca = fakePca({ silent: async () => Promise.reject(new Error('interaction_required')) });
    const factory = jest.fn<ReturnType<MsalFactory>, Parameters<MsalFactory>>(async () => pca as unknown as IPublicClientApplication);
    const answer = { type: 'casepane-sign-in', status: 'success', accessToken: 'dialog-token', expiresOn: Date.now() + 3600_000, account: { homeAccountId: 'h1', username: 'agent@contoso.com' } };
    const dialog = { open: jest.fn(async () => JSON.stringify(answer)) };
    const signedIn = jest.fn();
    const session = createAuthSession({ endpoints: endpoints(config), host: host({ naa: false }), msalFactory: factory, dialog, origin: 'https://pane.test', onSignedIn: signedIn });
    await expect(session.getToken()).resolves.toBe('dialog-token');
    expect(factory.mock.calls[0][0]).toBe('standard');
    expect(pca.acquireTokenPopup).not.toHaveBeenCalled();
    expect(pca.ssoSilent).not.toHaveBeenCalled();
    expect(dialog.open).toHaveBeenCalledTimes(1);
    const url = new URL((dialog.open.mock.calls[0] as unknown as [string])[0]);
    expect(url.origin + url.pathname).toBe('https://pane.test/auth-dialog.html');
    expect(Object.fromEntries(url.searchParams)).toEqual({ clientId: 'client-1', authority: 'https://login.microsoftonline.com/tenant-1', scope: 'api://casepane/access' });
    expect(signedIn).toHaveBeenCalledWith('agent@contoso.com');
    // The dialog's token is reused until it nearly expires: no second window.
    await expect(session.getToken()).resolves.toBe('dialog-token');
    expect(dialog.open).toHaveBeenCalledTimes(1);
  });

  it('without NAA renews a cached account silently (refresh token, no window)', async () => {
    const pca = fakePca({ accounts: [{ username: 'agent@contoso.com', homeAccountId: 'h1' }] });
    const dialog = { open: jest.fn() };
    const session = createAuthSession({ endpoints: endpoints(config), host: host({ naa: false }), msalFactory: async () => pca as unknown as IPublicClientApplication, dialog });
    await expect(session.getToken()).resolves.toBe('silent');
    expect(dialog.open).not.toHaveBeenCalled();
    expect(pca.acquireTokenPopup).not.toHaveBeenCalled();
  });

  it('without NAA and without the Dialog API says so instead of opening a popup', async () => {
    const pca = fakePca({});
    const session = createAuthSession({ endpoints: endpoints(config), host: host({ naa: false }), msalFactory: async () => pca as unknown as IPublicClientApplication, dialog: null });
    await expect(session.getToken()).rejects.toMatchObject({ kind: 'misconfigured', message: expect.stringMatching(/Dialog API/) });
    expect(pca.acquireTokenPopup).not.toHaveBeenCalled();
  });

  it('never shows anything when not interactive (the launch-event runtime): no popup, no dialog', async () => {
    const pca = fakePca({ silent: async () => Promise.reject(new Error('interaction_required')) });
    const dialog = { open: jest.fn() };
    for (const naa of [true, false]) {
      const session = createAuthSession({ endpoints: endpoints(config), host: host({ naa }), msalFactory: async () => pca as unknown as IPublicClientApplication, dialog, interactive: false });
      await expect(session.getToken()).rejects.toMatchObject({ name: 'SignInError', kind: 'interaction-required' });
    }
    expect(pca.acquireTokenPopup).not.toHaveBeenCalled();
    expect(dialog.open).not.toHaveBeenCalled();
    // A cached account still renews silently.
    const cached = fakePca({ accounts: [{ username: 'agent@contoso.com', homeAccountId: 'h1' }] });
    const session = createAuthSession({ endpoints: endpoints(config), host: host({ naa: false }), msalFactory: async () => cached as unknown as IPublicClientApplication, dialog, interactive: false });
    await expect(session.getToken()).resolves.toBe('silent');
  });

  it('reports a cancelled popup as interaction-required', async () => {
    const pca = fakePca({ silent: async () => Promise.reject(new Error('x')), popup: async () => Promise.reject(new Error('user_cancelled')) });
    const session = createAuthSession({ endpoints: endpoints(config), host: host({ naa: true }), msalFactory: async () => pca as unknown as IPublicClientApplication });
    const error = await session.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignInError);
    expect(error).toMatchObject({ kind: 'interaction-required' });
  });

  it('refuses an incomplete Entra configuration', async () => {
    const session = createAuthSession({ endpoints: endpoints({ mode: 'entra' }), host: host(), msalFactory: jest.fn() });
    await expect(session.getToken()).rejects.toMatchObject({ kind: 'misconfigured' });
  });
});
