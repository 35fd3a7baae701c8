import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiFailure } from '../../../../../src/addin/api/errors';
import { createDraftStore } from '../../../../../src/addin/storage/drafts';
import { Root } from '../../../../../src/addin/taskpane/App';
import { LinkSelected } from '../../../../../src/addin/taskpane/features/link-selected/LinkSelected';
import type { OpenMessage, SelectedMessage } from '../../../../../src/addin/office/types';
import { aCase, aMessage, deferred, fakeApi, fakeHost, renderIn } from '../../helpers';

// Whole-form renders with Fluent are slow under jsdom on a busy machine; these are not timing tests.
jest.setTimeout(20_000);

const A = aMessage({ itemId: 'a', internetMessageId: '<a@mail.example>', subject: 'First <b>one</b>' });
const B = aMessage({
  itemId: 'b',
  internetMessageId: '<b@mail.example>',
  subject: 'Second',
  from: { name: 'Jan', email: 'jan@example.com' },
  sharedMailbox: 'support@casepane.test',
});
const C = aMessage({ itemId: 'c', internetMessageId: '', subject: 'No id' });
const CASE = aCase({ id: '9', Case_Number: '00000009', Subject: 'Printer fleet' });

async function search(text = 'printer') {
  fireEvent.change(screen.getByTestId('link-selected-search-input'), { target: { value: text } });
  fireEvent.click(screen.getByTestId('link-selected-search-button'));
  await screen.findByTestId('link-selected-search-results');
}

const read = (message: OpenMessage): SelectedMessage => ({ subject: message.subject, message });

describe('Link the selected emails (no open item)', () => {
  it('links every selected message to the chosen case, one at a time, with a result per message', async () => {
    const api = fakeApi({
      searchCases: async () => [CASE],
      linkEmailToCase: async (_id, m) => {
        if (m.internet_message_id === '<b@mail.example>')
          throw new ApiFailure('forbidden', 'no', { status: 403 });
      },
    });
    const onLinked = jest.fn();
    renderIn(
      <LinkSelected
        readSelected={async () => [
          ...[A, B, C].map(read),
          { subject: 'Locked', message: null, error: new Error('ItemNotFound') },
        ]}
        mailbox="agent@casepane.test"
        onLinked={onLinked}
      />,
      { api },
    );
    await search();
    const button = screen.getByTestId('link-selected-case-00000009');
    expect(button).toHaveAccessibleName('Link the selected emails to case 00000009');
    fireEvent.click(button);
    const results = await screen.findByTestId('link-selected-results');
    expect(results).toHaveTextContent('1 emails linked to case 00000009');
    expect(within(results).getByTestId('link-selected-message-0')).toHaveAttribute('data-state', 'linked');
    expect(within(results).getByTestId('link-selected-message-0')).toHaveTextContent('First <b>one</b>');
    expect(results.innerHTML).not.toContain('<b>');
    expect(within(results).getByTestId('link-selected-message-1')).toHaveAttribute('data-state', 'failed');
    expect(within(results).getByTestId('link-selected-message-1')).toHaveTextContent(
      'You do not have permission',
    );
    expect(within(results).getByTestId('link-selected-message-2')).toHaveTextContent(
      'no Internet message ID',
    );
    // One Outlook could not read: its own result, and the others were linked all the same.
    expect(within(results).getByTestId('link-selected-message-3')).toHaveAttribute('data-state', 'failed');
    expect(within(results).getByTestId('link-selected-message-3')).toHaveTextContent('Locked');
    expect(within(results).getByTestId('link-selected-message-3')).toHaveTextContent(
      'could not read this email',
    );
    // Two link calls (the message without an id is not sent); the shared mailbox is recorded for its message.
    expect(api.linkEmailToCase).toHaveBeenCalledTimes(2);
    expect(api.linkEmailToCase.mock.calls[0][1]).toMatchObject({
      internet_message_id: '<a@mail.example>',
      mailbox: 'agent@casepane.test',
    });
    expect(api.linkEmailToCase.mock.calls[1][1]).toMatchObject({
      internet_message_id: '<b@mail.example>',
      mailbox: 'support@casepane.test',
    });
    expect(onLinked).toHaveBeenCalledWith('9', '00000009', [A]);
  });

  it('links once however often it is clicked, and says when nothing is selected', async () => {
    const selection = deferred<SelectedMessage[]>();
    const readSelected = jest.fn(() => selection.promise);
    const api = fakeApi({ searchCases: async () => [CASE] });
    renderIn(<LinkSelected readSelected={readSelected} mailbox={null} />, { api });
    await search();
    await userEvent.dblClick(screen.getByTestId('link-selected-case-00000009'));
    expect(readSelected).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId('link-selected-case-00000009')).toBeDisabled();
    await act(async () => selection.resolve([]));
    expect(await screen.findByTestId('link-selected-error')).toHaveTextContent('No emails are selected.');
    expect(api.linkEmailToCase).not.toHaveBeenCalled();
  });

  it('makes one case of the selection: the first message that can makes it, the others are linked to it', async () => {
    const api = fakeApi({
      createCaseFromEmail: jest.fn(async () => ({ id: '77', caseNumber: '00000077', duplicate: false })),
    });
    const onLinked = jest.fn();
    renderIn(
      <LinkSelected
        readSelected={async () => [C, A, B].map(read)}
        mailbox="agent@casepane.test"
        onLinked={onLinked}
      />,
      { api },
    );
    await userEvent.dblClick(screen.getByTestId('link-selected-make-case'));
    const results = await screen.findByTestId('link-selected-results');
    // One case, from A (C has no Message-ID), prefilled as the create form would be.
    expect(api.createCaseFromEmail).toHaveBeenCalledTimes(1);
    const [caseInput, message] = (api.createCaseFromEmail as jest.Mock).mock.calls[0];
    expect(caseInput).toMatchObject({ Subject: 'First <b>one</b>', Case_Origin: 'Email', Status: 'New' });
    expect(message).toMatchObject({
      internet_message_id: '<a@mail.example>',
      mailbox: 'agent@casepane.test',
    });
    expect(api.linkEmailToCase).toHaveBeenCalledTimes(1);
    expect(api.linkEmailToCase.mock.calls[0]).toEqual([
      '77',
      expect.objectContaining({ internet_message_id: '<b@mail.example>' }),
    ]);
    expect(within(results).getByTestId('link-selected-message-0')).toHaveTextContent(
      'no Internet message ID',
    );
    expect(within(results).getByTestId('link-selected-message-1')).toHaveTextContent(
      'Case 00000077 was made from this email',
    );
    expect(within(results).getByTestId('link-selected-message-2')).toHaveAttribute('data-state', 'linked');
    expect(results).toHaveTextContent('2 emails linked to case 00000077');
    expect(onLinked).toHaveBeenCalledWith('77', '00000077', [A, B]);
  });

  it('says so when no selected message can make a case, and shows a failed create as an error', async () => {
    const create = jest.fn(async () => {
      throw new ApiFailure('server', 'HTTP 503', { status: 503 });
    });
    const api = fakeApi({ createCaseFromEmail: create });
    const selection = jest.fn(async () => [read(C)]);
    renderIn(<LinkSelected readSelected={selection} mailbox={null} />, { api });
    fireEvent.click(screen.getByTestId('link-selected-make-case'));
    expect(await screen.findByTestId('link-selected-error')).toHaveTextContent(
      'None of the selected emails can make a case',
    );
    expect(create).not.toHaveBeenCalled();
    selection.mockResolvedValue([read(A), read(B)]);
    fireEvent.click(screen.getByTestId('link-selected-make-case'));
    await waitFor(() => expect(create).toHaveBeenCalledTimes(1));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not make the case: The Cases service had a problem (HTTP 503).',
    );
    expect(api.linkEmailToCase).not.toHaveBeenCalled();
  });

  it('reports when Outlook cannot give the selection', async () => {
    const api = fakeApi({ searchCases: async () => [CASE] });
    renderIn(
      <LinkSelected
        readSelected={async () => Promise.reject(new Error('Outlook could not list the selected messages'))}
        mailbox={null}
      />,
      { api },
    );
    await search();
    fireEvent.click(screen.getByTestId('link-selected-case-00000009'));
    expect(await screen.findByTestId('link-selected-error')).toHaveTextContent(
      'Outlook could not list the selected messages',
    );
  });
});

describe('The pane with no single open message', () => {
  it('offers linking the selection where the host supports multi-select', async () => {
    const host = fakeHost(null);
    host.supportsMultiSelect = () => true;
    (host.readSelectedMessages as jest.Mock).mockResolvedValue([read(A)]);
    const api = fakeApi({ searchCases: async () => [CASE] });
    render(<Root host={host} api={api} drafts={createDraftStore()} />);
    expect(await screen.findByTestId('no-message')).toBeInTheDocument();
    await screen.findByTestId('link-selected');
    await search();
    fireEvent.click(screen.getByTestId('link-selected-case-00000009'));
    expect(await screen.findByTestId('link-selected-results')).toHaveTextContent(
      '1 emails linked to case 00000009',
    );
    expect(api.linkEmailToCase.mock.calls[0][1]).toMatchObject({
      internet_message_id: '<a@mail.example>',
      mailbox: 'agent@casepane.test',
    });
  });

  it('does not offer it where the host cannot read a selection', async () => {
    render(<Root host={fakeHost(null)} api={fakeApi()} drafts={createDraftStore()} />);
    expect(await screen.findByTestId('no-message')).toBeInTheDocument();
    expect(screen.queryByTestId('link-selected')).toBeNull();
  });

  it('opens bulk email from the pane and comes back to the message with what was typed', async () => {
    render(<Root host={fakeHost(aMessage())} api={fakeApi()} drafts={createDraftStore()} />);
    await screen.findByTestId('new-case-form');
    await userEvent.clear(screen.getByTestId('field-Subject'));
    await userEvent.type(screen.getByTestId('field-Subject'), 'Kept');
    fireEvent.click(screen.getByTestId('open-bulk-email'));
    expect(await screen.findByTestId('bulk-email')).toBeInTheDocument();
    expect(screen.getByTestId('new-case-form')).not.toBeVisible();
    fireEvent.click(screen.getByTestId('bulk-back'));
    await waitFor(() => expect(screen.queryByTestId('bulk-email')).toBeNull());
    expect(screen.getByTestId('field-Subject')).toHaveValue('Kept');
    expect(screen.getByTestId('new-case-form')).toBeVisible();
  });

  it('hides bulk email from viewers', async () => {
    const api = fakeApi({
      currentUser: async () => ({
        id: '1',
        full_name: 'V',
        email: 'v@casepane.test',
        role: { name: 'viewer' },
        status: 'active',
      }),
    });
    render(<Root host={fakeHost(null)} api={api} drafts={createDraftStore()} />);
    expect(await screen.findByTestId('no-message')).toBeInTheDocument();
    expect(screen.queryByTestId('open-bulk-email')).toBeNull();
  });
});
