/**
 * Issue 16, item 4: failures say what failed. The service down at load is not a sign-in failure and leaves the
 * message and a working form; a save that hangs says "Still trying…" and gives up with Retry within 10 s.
 */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ApiFailure } from '../../../src/addin/api/errors';
import { createDraftStore } from '../../../src/addin/storage/drafts';
import { Root } from '../../../src/addin/taskpane/App';
import type { CreatedCase } from '../../../src/addin/api/client';
import { aMessage, fakeApi, fakeHost } from './helpers';

jest.setTimeout(30_000);
beforeEach(() => window.localStorage.clear());
afterEach(() => {
  cleanup();
  jest.useRealTimers();
});

const subject = () => screen.getByTestId('field-Subject') as HTMLInputElement;

describe('the Cases service down when the pane opens', () => {
  it.each([
    ['network', new ApiFailure('network', 'The Cases service could not be reached (Network Error)')],
    ['HTTP 503', new ApiFailure('server', 'HTTP 503', { status: 503 })],
  ])(
    '(%s) says so, keeps the email header and a usable form, and Retry keeps the draft',
    async (_, failure) => {
      const api = fakeApi();
      api.currentUser.mockRejectedValueOnce(failure);
      render(<Root host={fakeHost(aMessage())} api={api} drafts={createDraftStore()} />);
      const down = await screen.findByTestId('service-down');
      expect(down).toHaveTextContent('The Cases service cannot be reached');
      expect(screen.queryByTestId('sign-in-error')).toBeNull();
      expect(screen.getByTestId('message-header')).toHaveTextContent('Printer offline');
      fireEvent.change(subject(), { target: { value: 'Printer offline on floor 3' } });
      expect(screen.getByTestId('announcer')).toHaveTextContent('The Cases service cannot be reached');

      fireEvent.click(within(down).getByTestId('service-retry'));
      await waitFor(() => expect(screen.queryByTestId('service-down')).toBeNull());
      expect(api.currentUser).toHaveBeenCalledTimes(2);
      expect(subject().value).toBe('Printer offline on floor 3');
    },
  );

  it.each([
    ['pl-PL', 'Nie można połączyć się z usługą spraw'],
    ['zh-CN', '无法连接服务支持服务'],
  ])('says it in %s', async (language, text) => {
    const api = fakeApi();
    api.currentUser.mockRejectedValue(new ApiFailure('network', 'down'));
    render(<Root host={fakeHost(aMessage(), { language })} api={api} drafts={createDraftStore()} />);
    expect(await screen.findByTestId('service-down')).toHaveTextContent(text);
  });

  it('still reports a refused sign-in as a sign-in failure', async () => {
    const api = fakeApi();
    api.currentUser.mockRejectedValueOnce(new ApiFailure('unauthorized', 'bad token', { status: 401 }));
    render(<Root host={fakeHost(aMessage())} api={api} drafts={createDraftStore()} />);
    expect(await screen.findByTestId('sign-in-error')).toHaveTextContent('Sign-in failed');
  });
});

describe('a save that hangs', () => {
  it('says "Still trying…" after 3 s, gives up with Retry at 10 s, and the retry sends the same email', async () => {
    jest.useFakeTimers();
    const signals: (AbortSignal | undefined)[] = [];
    const api = fakeApi();
    api.createCaseFromEmail.mockImplementationOnce((_c, _m, signal) => {
      signals.push(signal);
      return new Promise<CreatedCase>(() => undefined); // never answers
    });
    // The first request did reach the server: the retry finds its case (duplicate by message id).
    api.createCaseFromEmail.mockResolvedValueOnce({ id: '42', caseNumber: '00001234', duplicate: true });
    render(<Root host={fakeHost(aMessage())} api={api} drafts={createDraftStore()} />);
    await screen.findByTestId('new-case-form');
    fireEvent.click(screen.getByTestId('save-case'));
    expect(screen.getByTestId('save-case')).toHaveTextContent('Saving…');
    await act(async () => void jest.advanceTimersByTime(3_000));
    expect(screen.getByTestId('save-case')).toHaveTextContent('Still trying…');
    expect(screen.queryByTestId('save-error')).toBeNull();
    await act(async () => void jest.advanceTimersByTime(7_000));
    const error = screen.getByTestId('save-error');
    expect(error).toHaveTextContent('did not answer in time');
    expect(signals[0]?.aborted).toBe(true);
    expect(screen.getByTestId('save-case')).toHaveTextContent('Save case');

    fireEvent.click(within(error).getByTestId('retry-save'));
    const created = await screen.findByTestId('created-case');
    const [first, second] = api.createCaseFromEmail.mock.calls;
    expect(second[1].internet_message_id).toBe(first[1].internet_message_id); // the idempotency key
    expect(second[0]).toEqual(first[0]);
    // Its own case, which the abandoned request made: not "already existed".
    expect(created).toHaveTextContent('Case 00001234 created');
  });
});
