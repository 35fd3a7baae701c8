/**
 * Issue 9, item 5: the Office dialog sign-in (no NAA): the dialog adapter over displayDialogAsync, the answer
 * protocol, every documented dialog error as a clear SignInError, and sign-out.
 */
import { officeDialog } from '../../../src/addin/office/dialog';
import { signInThroughDialog } from '../../../src/addin/auth/dialog-sign-in';
import { readDialogRequest } from '../../../src/addin/auth/dialog-protocol';
import { createAuthSession } from '../../../src/addin/auth/session';

type Handler = (arg: { message?: string; error?: number }) => void;

/** An Office with Dialog API 1.1 as documented: a callback with a Dialog, then its two events. */
function fakeOffice(behaviour: {
  failWith?: number;
  then?: (emit: (event: string, arg: object) => void) => void;
}) {
  const handlers: Record<string, Handler> = {};
  const dialog = { addEventHandler: (event: string, h: Handler) => (handlers[event] = h), close: jest.fn() };
  const displayDialogAsync = jest.fn((_url: string, _options: object, callback: (r: object) => void) => {
    if (behaviour.failWith)
      return callback({
        status: 'failed',
        error: { code: behaviour.failWith, message: `code ${behaviour.failWith}` },
      });
    callback({ status: 'succeeded', value: dialog });
    behaviour.then?.((event, arg) => handlers[event]?.(arg as never));
  });
  const office = {
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    EventType: { DialogMessageReceived: 'dialogMessageReceived', DialogEventReceived: 'dialogEventReceived' },
    context: {
      requirements: { isSetSupported: (name: string, v: string) => name === 'DialogApi' && v === '1.1' },
      ui: { displayDialogAsync },
    },
  } as unknown as typeof Office;
  return { office, displayDialogAsync, dialog };
}

const REQUEST = {
  clientId: 'c1',
  authority: 'https://login.microsoftonline.com/t1',
  scope: 'api://casepane/access',
};
const success = JSON.stringify({
  type: 'casepane-sign-in',
  status: 'success',
  accessToken: 'tok',
  expiresOn: 1_900_000_000_000,
  account: { homeAccountId: 'h', username: 'agent@contoso.com' },
});

describe('Office dialog sign-in', () => {
  it('opens the dialog page on the pane origin and returns the token it sends, closing the dialog', async () => {
    const { office, displayDialogAsync, dialog } = fakeOffice({
      then: (emit) => emit('dialogMessageReceived', { message: success }),
    });
    const token = await signInThroughDialog(officeDialog(office)!, 'https://pane.test', REQUEST);
    expect(token).toEqual({
      accessToken: 'tok',
      expiresOn: 1_900_000_000_000,
      account: { homeAccountId: 'h', username: 'agent@contoso.com' },
    });
    expect(displayDialogAsync.mock.calls[0][0]).toMatch(
      /^https:\/\/pane\.test\/auth-dialog\.html\?clientId=c1&/,
    );
    expect(displayDialogAsync.mock.calls[0][1]).toMatchObject({ displayInIframe: false });
    expect(dialog.close).toHaveBeenCalled();
  });

  it.each([
    [12006, 'cancelled', /closed before sign-in finished/],
    [12007, 'busy', /already open/],
    [12009, 'blocked', /blocked/],
    [12011, 'blocked', /blocked/],
    [12004, 'misconfigured', /refused the sign-in window \(12004\)/],
    [12005, 'misconfigured', /12005/],
  ])('displayDialogAsync failing with %i is a %s SignInError', async (code, kind, message) => {
    const { office } = fakeOffice({ failWith: code });
    await expect(
      signInThroughDialog(officeDialog(office)!, 'https://pane.test', REQUEST),
    ).rejects.toMatchObject({
      name: 'SignInError',
      kind,
      message: expect.stringMatching(message),
    });
  });

  it.each([
    [12006, 'cancelled'],
    [12002, 'failed'],
  ])(
    'a DialogEventReceived %i (user closed / page not loaded) ends the sign-in as %s',
    async (code, kind) => {
      const { office } = fakeOffice({ then: (emit) => emit('dialogEventReceived', { error: code }) });
      await expect(
        signInThroughDialog(officeDialog(office)!, 'https://pane.test', REQUEST),
      ).rejects.toMatchObject({ kind });
    },
  );

  it('an error answer or a garbled message from the dialog is a failed sign-in, not a token', async () => {
    const cancelled = JSON.stringify({
      type: 'casepane-sign-in',
      status: 'error',
      code: 'user_cancelled',
      message: 'User cancelled the flow.',
    });
    const a = fakeOffice({ then: (emit) => emit('dialogMessageReceived', { message: cancelled }) });
    await expect(signInThroughDialog(officeDialog(a.office)!, 'https://p', REQUEST)).rejects.toMatchObject({
      kind: 'cancelled',
    });
    const b = fakeOffice({
      then: (emit) => emit('dialogMessageReceived', { message: '{"accessToken":"x"}' }),
    });
    await expect(signInThroughDialog(officeDialog(b.office)!, 'https://p', REQUEST)).rejects.toMatchObject({
      kind: 'failed',
    });
  });

  it('has no dialog where neither Mailbox 1.4 nor Dialog API 1.1 is reported', () => {
    const { office } = fakeOffice({});
    (office.context.requirements as unknown as { isSetSupported: () => boolean }).isSetSupported = () =>
      false;
    expect(officeDialog(office)).toBeNull();
  });

  it('has the dialog on Mailbox 1.4 although Outlook answers Dialog API 1.1 with false (office-js#1476)', () => {
    const { office } = fakeOffice({});
    (
      office.context.requirements as unknown as { isSetSupported: (n: string, v: string) => boolean }
    ).isSetSupported = (name, version) => name === 'Mailbox' && Number(version.split('.')[1]) <= 4;
    expect(officeDialog(office)).not.toBeNull();
  });

  it('the dialog page accepts only Microsoft’s sign-in authority', () => {
    expect(
      readDialogRequest('?clientId=c&authority=https%3A%2F%2Flogin.microsoftonline.com%2Ft&scope=s'),
    ).toEqual({
      clientId: 'c',
      authority: 'https://login.microsoftonline.com/t',
      scope: 's',
    });
    expect(readDialogRequest('?clientId=c&authority=https%3A%2F%2Fevil.example%2Ft&scope=s')).toBeNull();
    expect(readDialogRequest('?authority=https%3A%2F%2Flogin.microsoftonline.com%2Ft&scope=s')).toBeNull();
  });
});

describe('sign-in identity and sign-out', () => {
  const endpoints = () => ({
    getAuthConfig: async () => ({ mode: 'local' as const }),
    getLocalToken: jest.fn(async () => ({
      access_token: 'local',
      token_type: 'Bearer' as const,
      expires_in: 3600,
    })),
  });
  const host = {
    supportsNestedAppAuth: () => false,
    userProfile: () => ({ name: 'A', email: 'agent@casepane.test' }),
  };

  it('reports who signed in, and sign-out forgets the token and runs onSignedOut', async () => {
    const api = endpoints();
    const signedIn = jest.fn();
    const signedOut = jest.fn();
    const session = createAuthSession({ endpoints: api, host, onSignedIn: signedIn, onSignedOut: signedOut });
    await session.getToken();
    expect(signedIn).toHaveBeenCalledWith('agent@casepane.test');
    await session.signOut();
    expect(signedOut).toHaveBeenCalledTimes(1);
    await session.getToken();
    expect(api.getLocalToken).toHaveBeenCalledTimes(2);
  });
});
