/** Issue 9, item 5: a dialog sign-in failure reaches the pane as a clear, translated state, not "sign-in expired". */
import { ApiFailure } from '../../../src/addin/api/errors';
import { CasepaneApi } from '../../../src/addin/api/client';
import { SignInError } from '../../../src/addin/auth/session';
import { loadCatalog, translator } from '../../../src/addin/i18n';
import { failureText } from '../../../src/addin/taskpane/components/failure';

describe('sign-in failure states', () => {
  it('keeps the SignInError kind through the API client', async () => {
    const api = new CasepaneApi({ origin: 'http://127.0.0.1:9' });
    api.useTokens({ getToken: async () => Promise.reject(new SignInError('cancelled', 'closed')) });
    const error = await api.currentUser().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiFailure);
    expect(error).toMatchObject({ kind: 'unauthorized', details: { code: 'SIGN_IN_CANCELLED' } });
  });

  it.each([
    ['cancelled', 'en', /closed before sign-in finished/],
    ['blocked', 'en', /blocked the sign-in window/],
    ['busy', 'en', /already open/],
    ['cancelled', 'pl', /Okno logowania zostało zamknięte/],
    ['blocked', 'zh-CN', /阻止了登录窗口/],
  ] as const)('%s in %s says what to do', async (kind, language, expected) => {
    await loadCatalog(language);
    const failure = new ApiFailure('unauthorized', 'Sign-in failed: x', {
      code: `SIGN_IN_${kind.toUpperCase()}`,
    });
    expect(failureText(translator(language), failure)).toMatch(expected);
  });

  it('a misconfiguration shows its own message, an expired token the generic one', () => {
    const t = translator('en');
    expect(
      failureText(
        t,
        new ApiFailure('unauthorized', 'Sign-in failed: Dialog API 1.1 is missing', {
          code: 'SIGN_IN_MISCONFIGURED',
        }),
      ),
    ).toBe('Sign-in failed: Dialog API 1.1 is missing');
    expect(failureText(t, new ApiFailure('unauthorized', 'x'))).toBe(
      'Your sign-in expired and could not be renewed.',
    );
  });
});
