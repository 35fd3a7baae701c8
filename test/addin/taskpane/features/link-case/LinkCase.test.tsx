import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiFailure } from '../../../../../src/addin/api/errors';
import {
  LinkCase,
  searchFor,
  senderOpenCases,
} from '../../../../../src/addin/taskpane/features/link-case/LinkCase';
import type { LinkedCasesState } from '../../../../../src/addin/taskpane/features/linked-cases/useLinkedCases';
import { aCase, aMessage, aSummary, deferred, fakeApi, renderIn } from '../../helpers';

// Whole-form renders with Fluent are slow under jsdom on a busy machine; these are not timing tests.
jest.setTimeout(20_000);

async function setup(linked: LinkedCasesState = { status: 'ready', cases: [] }, api = fakeApi()) {
  const onLinked = jest.fn();
  renderIn(
    <LinkCase message={aMessage()} linked={linked} mailbox="agent@casepane.test" onLinked={onLinked} />,
    { api },
  );
  await act(async () => undefined); // let the sender's open-cases suggestion load
  return { api, onLinked };
}

describe('searchFor', () => {
  it.each([
    ['1234', { criteria: '(Case_Number:equals:1234)' }],
    ['#00001234', { criteria: '(Case_Number:equals:00001234)' }],
    ['  anna@example.com ', { email: 'anna@example.com' }],
    ['printer offline', { word: 'printer offline' }],
    ['', null],
  ])('%j → %j', (text, expected) => {
    expect(searchFor(text)).toEqual(expected);
  });

  it('escapes the sender in the open-cases criteria', () => {
    expect(senderOpenCases('a(b)@x.com')).toEqual({
      criteria: '((Email:equals:a\\(b\\)@x.com)and(Status:not_equal:Closed))',
    });
  });
});

describe('Link to a case', () => {
  it('suggests the thread’s cases and the sender’s open cases first', async () => {
    const api = fakeApi({
      searchCases: async () => [
        aCase({ id: '7', Case_Number: '00000007', Subject: 'Older issue', Status: 'On Hold' }),
      ],
    });
    await setup(
      { status: 'ready', cases: [aSummary({ id: '3', Case_Number: '00000003', match: 'thread' })] },
      api,
    );
    expect(screen.getByTestId('link-suggestions-thread')).toHaveTextContent('00000003');
    const sender = await screen.findByTestId('link-suggestions-sender');
    expect(sender).toHaveTextContent('Open cases of anna@example.com');
    expect(sender).toHaveTextContent('00000007');
    expect(api.searchCases).toHaveBeenCalledWith(
      senderOpenCases('anna@example.com'),
      expect.any(AbortSignal),
    );
  });

  it('links the email with one click, once, and reports it', async () => {
    const api = fakeApi();
    const pending = deferred<void>();
    api.linkEmailToCase.mockReturnValue(pending.promise);
    const { onLinked } = await setup(
      { status: 'ready', cases: [aSummary({ id: '3', Case_Number: '00000003', match: 'thread' })] },
      api,
    );
    const button = screen.getByTestId('link-case-00000003');
    expect(button).toHaveAccessibleName('Link this email to case 00000003');
    await userEvent.dblClick(button);
    expect(api.linkEmailToCase).toHaveBeenCalledTimes(1);
    const [caseId, message] = api.linkEmailToCase.mock.calls[0];
    expect(caseId).toBe('3');
    expect(message).toMatchObject({
      internet_message_id: '<m1@mail.example>',
      conversation_id: 'conv-1',
      from: { email: 'anna@example.com' },
    });
    await act(async () => pending.resolve());
    expect(await screen.findByTestId('link-success')).toHaveTextContent('now linked to case 00000003');
    expect(screen.getByTestId('link-case-00000003')).toBeDisabled();
    expect(onLinked).toHaveBeenCalledWith('3', '00000003');
  });

  it('searches by number, words or email and links a result', async () => {
    const api = fakeApi();
    api.searchCases.mockImplementation(async (search) =>
      'criteria' in search && search.criteria.startsWith('(Case_Number')
        ? [aCase({ id: '12', Case_Number: '00001234', Subject: 'VPN down' })]
        : [],
    );
    await setup(undefined, api);
    await userEvent.type(screen.getByTestId('link-search-input'), '1234{Enter}');
    const results = await screen.findByTestId('link-results');
    expect(api.searchCases).toHaveBeenLastCalledWith(
      { criteria: '(Case_Number:equals:1234)' },
      expect.any(AbortSignal),
    );
    await userEvent.click(within(results).getByTestId('link-case-00001234'));
    await waitFor(() =>
      expect(api.linkEmailToCase).toHaveBeenCalledWith(
        '12',
        expect.objectContaining({ internet_message_id: '<m1@mail.example>' }),
      ),
    );

    await userEvent.clear(screen.getByTestId('link-search-input'));
    await userEvent.type(screen.getByTestId('link-search-input'), 'printer jam');
    await userEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByText('No cases found.')).toBeInTheDocument();
    expect(api.searchCases).toHaveBeenLastCalledWith({ word: 'printer jam' }, expect.any(AbortSignal));
  });

  it('marks cases this email is already linked to', async () => {
    await setup({
      status: 'ready',
      cases: [
        aSummary({ id: '3', Case_Number: '00000003', match: 'message' }),
        aSummary({ id: '4', Case_Number: '00000004', match: 'thread' }),
      ],
    });
    expect(screen.queryByTestId('link-case-00000003')).toBeNull(); // shown in the linked list, not suggested
    expect(screen.getByTestId('link-case-00000004')).toBeEnabled();
  });

  it('shows why a link failed and lets the agent try again', async () => {
    const api = fakeApi();
    api.linkEmailToCase.mockRejectedValueOnce(new ApiFailure('forbidden', 'no', { status: 403 }));
    await setup(
      { status: 'ready', cases: [aSummary({ id: '3', Case_Number: '00000003', match: 'thread' })] },
      api,
    );
    await userEvent.click(screen.getByTestId('link-case-00000003'));
    // Shown on the row; said by the pane's live region (not an alert, which would say it a second time).
    expect(
      await screen.findByText('Could not link the email: You do not have permission to do this.'),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('link-case-00000003'));
    expect(await screen.findByTestId('link-success')).toBeInTheDocument();
  });

  it('links every selected message to one case when multi-select is on', async () => {
    const api = fakeApi({
      searchCases: async () => [aCase({ id: '9', Case_Number: '00000009' })],
      linkEmailToCase: async (_id, m) => {
        if (m.internet_message_id === '<bad@x>') throw new Error('refused');
      },
    });
    const selected = [
      aMessage(),
      aMessage({ internetMessageId: '<m2@x>', subject: 'Second' }),
      aMessage({ internetMessageId: '<bad@x>', subject: 'Broken' }),
    ];
    renderIn(
      <LinkCase
        message={aMessage()}
        linked={{ status: 'ready', cases: [] }}
        mailbox="agent@casepane.test"
        readSelected={async () => selected}
      />,
      { api },
    );
    fireEvent.click(screen.getByTestId('link-all-selected'));
    fireEvent.change(screen.getByTestId('link-search-input'), { target: { value: 'printer' } });
    fireEvent.click(screen.getByTestId('link-search-button'));
    fireEvent.click(await screen.findByTestId('link-case-00000009'));
    const result = await screen.findByTestId('link-selected-result');
    expect(result).toHaveTextContent('2 emails linked to case 00000009.');
    expect(result).toHaveTextContent('Not linked: “Broken”');
    expect(api.linkEmailToCase.mock.calls.map((c) => c[1].internet_message_id)).toEqual([
      '<m1@mail.example>',
      '<m2@x>',
      '<bad@x>',
    ]);
  });
});
