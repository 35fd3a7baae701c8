import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { MailHost } from '../../../../../src/addin/office/types';
import { createDraftStore } from '../../../../../src/addin/storage/drafts';
import { Root } from '../../../../../src/addin/taskpane/App';
import { aCase, fakeApi, fakeHost } from '../../helpers';

jest.setTimeout(20_000);

function composeHost(subject: string) {
  const host = fakeHost(null);
  let current = subject;
  const compose: Partial<MailHost> = {
    itemMode: () => 'compose',
    readCompose: jest.fn(async () => ({ subject: current, to: [{ name: 'Anna', email: 'anna@example.com' }], cc: [] })),
    setComposeSubject: jest.fn(async (s: string) => {
      current = s;
    }),
  };
  Object.assign(host, compose);
  return { host, subject: () => current };
}

describe('Compose mode', () => {
  it('proposes the referenced case first, then recipients’ open cases, and inserts the reference once', async () => {
    const { host, subject } = composeHost('Re: Printer offline [Case #00000007]');
    const api = fakeApi({
      searchCases: async (s) =>
        'criteria' in s && s.criteria.startsWith('(Case_Number')
          ? [aCase({ id: '7', Case_Number: '00000007' })]
          : [aCase({ id: '7', Case_Number: '00000007' }), aCase({ id: '9', Case_Number: '00000009', Subject: 'Toner' })],
    });
    render(<Root host={host} api={api} drafts={createDraftStore()} />);
    await screen.findByTestId('compose-pane');
    expect(await screen.findByTestId('compose-suggestions-reference')).toHaveTextContent('00000007');
    expect(screen.getByTestId('compose-suggestions-recipients')).toHaveTextContent('00000009');
    expect(screen.getByTestId('compose-suggestions-recipients')).not.toHaveTextContent('00000007');
    expect(api.searchCases).toHaveBeenCalledWith({ criteria: '(Case_Number:equals:7)' }, expect.any(AbortSignal));
    expect(api.searchCases).toHaveBeenCalledWith({ criteria: '((Email:equals:anna@example.com)and(Status:not_equal:Closed))' }, expect.any(AbortSignal));

    // Already referenced: the subject is left as it is.
    fireEvent.click(screen.getByTestId('compose-insert-reference'));
    await screen.findByTestId('compose-reference-inserted');
    expect(host.setComposeSubject).not.toHaveBeenCalled();

    fireEvent.click(screen.getByTestId('compose-pick-00000009'));
    fireEvent.click(screen.getByTestId('compose-insert-reference'));
    await waitFor(() => expect(subject()).toBe('Re: Printer offline [Case #00000007] [Case #00000009]'));
  });

  it('appends the reference with withCaseReference', async () => {
    const { host, subject } = composeHost('Your printer');
    const api = fakeApi({ searchCases: async () => [aCase({ id: '9', Case_Number: '00000009' })] });
    render(<Root host={host} api={api} drafts={createDraftStore()} />);
    fireEvent.click(await screen.findByTestId('compose-pick-00000009'));
    fireEvent.click(screen.getByTestId('compose-insert-reference'));
    await waitFor(() => expect(subject()).toBe('Your printer [Case #00000009]'));
    expect(await screen.findByTestId('compose-reference-inserted')).toHaveTextContent('case 00000009');
  });

  it('searches published solutions and inserts an answer into the body as text', async () => {
    const { host } = composeHost('Re: toner');
    const api = fakeApi({
      searchSolutions: async () => [
        {
          id: 's1',
          Solution_Number: '00000003',
          Solution_Title: 'Toner low',
          Question: null,
          Answer: 'Replace the <b>toner</b>.',
          Status: 'Published',
          Owner: { id: '100', name: 'Agent Smith' },
          Created_Time: '2026-11-20T10:00:00.000Z',
          Modified_Time: '2026-11-20T10:00:00.000Z',
          Cases: [],
        },
      ],
    });
    render(<Root host={host} api={api} drafts={createDraftStore()} />);
    fireEvent.change(await screen.findByTestId('compose-solution-search'), { target: { value: 'toner' } });
    fireEvent.click(screen.getByTestId('compose-solution-search-button'));
    fireEvent.click(await screen.findByTestId('compose-insert-solution-00000003'));
    await waitFor(() => expect(host.insertComposeText).toHaveBeenCalledWith('Replace the <b>toner</b>.'));
    expect(api.searchSolutions).toHaveBeenCalledWith('toner', expect.any(AbortSignal));
    expect(screen.getByTestId('compose-solution-00000003').innerHTML).not.toContain('<b>');
  });
});
