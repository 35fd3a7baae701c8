import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiFailure } from '../../../src/addin/api/errors';
import { SignInError } from '../../../src/addin/auth/session';
import { createDraftStore } from '../../../src/addin/storage/drafts';
import { Root } from '../../../src/addin/taskpane/App';
import type { FieldMetadata, LinkedCaseSummary } from '../../../src/shared/api-types';
import { aCase, aMessage, aSummary, deferred, fakeApi, fakeHost } from './helpers';

// Whole-form renders with Fluent are slow under jsdom on a busy machine; these are not timing tests.
jest.setTimeout(20_000);

const M1 = aMessage();
const M2 = aMessage({
  itemId: 'item-2',
  internetMessageId: '<m2@mail.example>',
  conversationId: 'conv-2',
  subject: 'Invoice question',
  from: { name: 'Jan Nowak', email: 'jan@example.com' },
  bodyText: 'Where is my invoice?',
});

beforeEach(() => window.localStorage.clear());

async function start(host = fakeHost(M1), api = fakeApi()) {
  render(<Root host={host} api={api} drafts={createDraftStore()} />);
  await screen.findByTestId('new-case-form');
  return { host, api };
}

describe('Task pane', () => {
  it('shows the open message, its linked cases and the prefilled form', async () => {
    const api = fakeApi({ linkedCases: async () => [aSummary({ Case_Number: '00000042' })] });
    await start(fakeHost(M1), api);
    expect(screen.getByTestId('message-header')).toHaveTextContent('Printer offline');
    expect(await screen.findByTestId('linked-case-00000042')).toBeInTheDocument();
    expect(screen.getByTestId('field-Subject')).toHaveValue('Printer offline');
    expect(api.linkedCases).toHaveBeenCalledWith(
      { internetMessageId: '<m1@mail.example>', conversationId: 'conv-1', subject: 'Printer offline' },
      expect.any(AbortSignal),
    );
  });

  it('behind Create another case, says above the form that this email itself is already linked (not for its thread)', async () => {
    await start(
      fakeHost(M1),
      fakeApi({ linkedCases: async () => [aSummary({ Case_Number: '00000042', match: 'message' })] }),
    );
    // A linked email is a status view; the form (and this bar) only behind Create another case.
    await userEvent.click(await screen.findByTestId('create-another'));
    expect(await screen.findByTestId('already-linked')).toHaveTextContent('already linked to case 00000042');
    cleanup();
    await start(
      fakeHost(M1),
      fakeApi({ linkedCases: async () => [aSummary({ Case_Number: '00000043', match: 'thread' })] }),
    );
    expect(await screen.findByTestId('linked-case-00000043')).toBeInTheDocument();
    expect(screen.queryByTestId('already-linked')).toBeNull();
  });

  it('follows the selection when pinned: the form and the cases switch to the new message', async () => {
    const answers = new Map<string, ReturnType<typeof deferred<LinkedCaseSummary[]>>>();
    const api = fakeApi({
      linkedCases: (message) => {
        const d = deferred<LinkedCaseSummary[]>();
        answers.set(message.internetMessageId, d);
        return d.promise;
      },
    });
    const { host } = await start(fakeHost(M1), api);
    await act(async () => host.select(M2));
    await waitFor(() => expect(screen.getByTestId('field-Subject')).toHaveValue('Invoice question'));
    expect(screen.getByTestId('field-Email')).toHaveValue('jan@example.com');
    // M1's answer arrives late; it must not appear under M2.
    await act(async () =>
      answers.get('<m1@mail.example>')!.resolve([aSummary({ id: '1', Case_Number: '00000001' })]),
    );
    expect(screen.queryByTestId('linked-case-00000001')).toBeNull();
    await act(async () =>
      answers
        .get('<m2@mail.example>')!
        .resolve([aSummary({ id: '2', Case_Number: '00000002', Subject: 'Invoice question' })]),
    );
    expect(screen.getByTestId('linked-case-00000002')).toBeInTheDocument();
  });

  it('keeps what was typed for each message when switching back and forth', async () => {
    const { host } = await start();
    await userEvent.clear(screen.getByTestId('field-Subject'));
    await userEvent.type(screen.getByTestId('field-Subject'), 'Typed for M1');
    await act(async () => host.select(M2));
    await waitFor(() => expect(screen.getByTestId('field-Subject')).toHaveValue('Invoice question'));
    await act(async () => host.select(M1));
    await waitFor(() => expect(screen.getByTestId('field-Subject')).toHaveValue('Typed for M1'));
  });

  it('asks to select a message when none (or several) is selected', async () => {
    render(<Root host={fakeHost(null)} api={fakeApi()} drafts={createDraftStore()} />);
    expect(await screen.findByTestId('no-message')).toHaveTextContent('Select a single email');
  });

  it('shows a sign-in error with a button that tries again', async () => {
    const api = fakeApi();
    api.currentUser.mockRejectedValueOnce(new ApiFailure('unauthorized', 'bad token', { status: 401 }));
    render(<Root host={fakeHost(M1)} api={api} drafts={createDraftStore()} />);
    const error = await screen.findByTestId('sign-in-error');
    expect(error).toHaveTextContent('Sign-in failed');
    await userEvent.click(within(error).getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByTestId('new-case-form')).toBeInTheDocument();
  });

  it('signs out on request: nothing of the user on screen, no sign-in until asked, then the message again', async () => {
    const api = fakeApi();
    const signOut = jest.fn(async () => undefined);
    render(<Root host={fakeHost(M1)} api={api} drafts={createDraftStore()} signOut={signOut} />);
    await screen.findByTestId('new-case-form');
    const callsBefore = api.currentUser.mock.calls.length;
    await userEvent.click(screen.getByTestId('sign-out'));
    const out = await screen.findByTestId('signed-out');
    expect(signOut).toHaveBeenCalledTimes(1);
    expect(within(out).getByRole('heading', { level: 1 })).toHaveTextContent(
      'You are signed out of Casepane',
    );
    expect(screen.queryByTestId('new-case-form')).toBeNull();
    expect(screen.getByTestId('sign-in-again')).toHaveFocus();
    expect(api.currentUser.mock.calls.length).toBe(callsBefore);
    await userEvent.click(screen.getByTestId('sign-in-again'));
    expect(await screen.findByTestId('new-case-form')).toBeInTheDocument();
    expect(api.currentUser.mock.calls.length).toBe(callsBefore + 1);
  });

  it('offers no sign-out where the pane was given no way to sign out', async () => {
    render(<Root host={fakeHost(M1)} api={fakeApi()} drafts={createDraftStore()} />);
    await screen.findByTestId('new-case-form');
    expect(screen.queryByTestId('sign-out')).toBeNull();
  });

  it('explains a sign-in failure reported by the auth module', async () => {
    const api = fakeApi();
    api.currentUser.mockRejectedValue(
      new SignInError('no-profile', 'Outlook did not provide your email address'),
    );
    render(<Root host={fakeHost(M1)} api={api} drafts={createDraftStore()} />);
    expect(await screen.findByTestId('sign-in-error')).toHaveTextContent(
      'Outlook did not provide your email address',
    );
  });

  it('speaks Polish in a Polish Outlook, with the shared model’s field labels', async () => {
    render(<Root host={fakeHost(M1, { language: 'pl-PL' })} api={fakeApi()} drafts={createDraftStore()} />);
    await screen.findByTestId('new-case-form');
    expect(screen.getByRole('tab', { name: 'Nowa sprawa' })).toBeInTheDocument();
    expect(screen.getByLabelText(/^Temat/)).toBe(screen.getByTestId('field-Subject'));
    expect(screen.getByTestId('save-case')).toHaveTextContent('Zapisz sprawę');
  });

  it('speaks Simplified Chinese in a zh-CN Outlook', async () => {
    render(<Root host={fakeHost(M1, { language: 'zh-CN' })} api={fakeApi()} drafts={createDraftStore()} />);
    await screen.findByTestId('new-case-form');
    expect(screen.getByTestId('save-case')).toHaveTextContent('保存服务支持');
    expect(screen.getByLabelText(/^主题/)).toBe(screen.getByTestId('field-Subject'));
  });

  it('renders custom fields from the fields metadata', async () => {
    const meta: FieldMetadata = {
      api_name: 'Contract_Ref',
      field_label: 'Contract ref',
      display_label: 'Contract ref',
      data_type: 'text',
      length: 20,
      system_mandatory: false,
      read_only: false,
      visible: true,
      custom_field: true,
      pick_list_values: [],
      lookup: null,
      translations: { en: 'Contract ref', pl: 'Nr umowy', 'zh-CN': '合同编号' },
    };
    await start(fakeHost(M1), fakeApi({ caseFields: async () => [meta] }));
    expect(screen.getByLabelText(/^Contract ref/)).toBe(screen.getByTestId('field-Contract_Ref'));
  });

  it('still works with the standard fields when the fields metadata cannot be loaded', async () => {
    await start(
      fakeHost(M1),
      fakeApi({ caseFields: async () => Promise.reject(new ApiFailure('server', 'x')) }),
    );
    expect(screen.getByTestId('field-Subject')).toBeInTheDocument();
  });

  it('is usable from the keyboard: open the Link tab, search and link with Enter', async () => {
    const api = fakeApi({
      searchCases: async (search) => ('word' in search ? [aCase({ id: '9', Case_Number: '00000009' })] : []),
    });
    await start(fakeHost(M1), api);
    const user = userEvent.setup();
    // Arrow keys between tabs are Fluent's (tabster); activation is ours to wire.
    screen.getByRole('tab', { name: 'Link to case' }).focus();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('tab', { name: 'Link to case' })).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByTestId('new-case-form').closest('[role="tabpanel"]')).not.toBeVisible();
    await user.click(screen.getByTestId('link-search-input'));
    await user.keyboard('printer{Enter}');
    await screen.findByTestId('link-results');
    // Tab order itself is left to the Chromium e2e tests: Fluent's tabster adds focus guards jsdom cannot walk.
    const link = screen.getByTestId('link-case-00000009');
    link.focus();
    expect(link).toHaveFocus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(api.linkEmailToCase).toHaveBeenCalledWith('9', expect.anything()));
  });

  it('creates a case and refreshes the linked cases', async () => {
    const api = fakeApi();
    api.linkedCases
      .mockResolvedValueOnce([])
      .mockResolvedValue([aSummary({ id: '42', Case_Number: '00001234' })]);
    await start(fakeHost(M1), api);
    await userEvent.click(screen.getByTestId('save-case'));
    expect(await screen.findByTestId('created-case')).toHaveTextContent('Case 00001234 created');
    expect(await screen.findByTestId('linked-case-00001234')).toBeInTheDocument();
  });

  it('renders untrusted message content as text only', async () => {
    const evil = aMessage({
      subject: '<img src=x onerror=alert(1)><a href="javascript:alert(1)">click</a>',
      from: { name: '<script>x</script>', email: 'x@evil.example' },
    });
    await start(fakeHost(evil));
    expect(screen.getByTestId('message-header')).toHaveTextContent('<img src=x onerror=alert(1)>');
    expect(document.querySelector('img, script, a[href^="javascript"]')).toBeNull();
  });
});
