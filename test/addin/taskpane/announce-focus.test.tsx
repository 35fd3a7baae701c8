/**
 * Issue 16, item 3: results are said once by one polite live region, and each action's result takes the focus.
 * Real components under jsdom; the Chromium test (test/e2e/a11y.test.ts) checks the same with axe and real CSS.
 */
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiFailure } from '../../../src/addin/api/errors';
import { createDraftStore } from '../../../src/addin/storage/drafts';
import { Root } from '../../../src/addin/taskpane/App';
import { aCase, aMessage, aSummary, fakeApi, fakeHost } from './helpers';

jest.setTimeout(30_000);
beforeEach(() => window.localStorage.clear());
afterEach(cleanup);

const live = () => screen.getByTestId('announcer');

async function start(api = fakeApi()) {
  render(<Root host={fakeHost(aMessage())} api={api} drafts={createDraftStore()} />);
  await screen.findByTestId('new-case-form');
  return api;
}

describe('focus and announcements', () => {
  it('has one polite live region and the subject as the screen’s h1', async () => {
    await start();
    expect(live()).toHaveAttribute('aria-live', 'polite');
    expect(document.querySelectorAll('[aria-live="polite"][role="status"]')).toHaveLength(1);
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Printer offline');
  });

  it('announces a save once and moves focus to the created case', async () => {
    await start();
    await userEvent.click(screen.getByTestId('save-case'));
    const card = await screen.findByTestId('created-case');
    await waitFor(() => expect(card).toHaveFocus());
    expect(live()).toHaveTextContent(/^Case 00001234 created$/);
    expect(live().children).toHaveLength(1);
  });

  it('announces a failed save and its retry, focusing the error, then the case', async () => {
    const api = fakeApi();
    api.createCaseFromEmail.mockRejectedValueOnce(new ApiFailure('server', 'boom', { status: 503 }));
    await start(api);
    await userEvent.click(screen.getByTestId('save-case'));
    const error = await screen.findByTestId('save-error');
    await waitFor(() => expect(error).toHaveFocus());
    expect(live()).toHaveTextContent('The case was not saved. The Cases service had a problem (HTTP 503).');
    // Said by the live region only: an alert role as well would be heard twice.
    expect(error).not.toHaveAttribute('role', 'alert');
    await userEvent.click(within(error).getByTestId('retry-save'));
    await waitFor(() => expect(screen.getByTestId('created-case')).toHaveFocus());
    expect(live()).toHaveTextContent(/^Case 00001234 created$/);
  });

  it('announces a link and focuses its result', async () => {
    await start(fakeApi({ searchCases: async () => [aCase({ id: '9', Case_Number: '00000009' })] }));
    await userEvent.click(screen.getByTestId('tab-link-case'));
    await userEvent.type(screen.getByTestId('link-search-input'), 'printer{Enter}');
    await userEvent.click(await screen.findByTestId('link-case-00000009'));
    await waitFor(() => expect(screen.getByTestId('link-success')).toHaveFocus());
    expect(live()).toHaveTextContent(/^This email is now linked to case 00000009\.$/);
  });

  it('focuses the case heading (an h1) on Open case, and the opener again on Back', async () => {
    const api = fakeApi({
      linkedCases: async () => [aSummary({ id: '5', Case_Number: '00000005', match: 'thread' })],
      getCase: async () => aCase({ id: '5', Case_Number: '00000005' }),
    });
    await start(api);
    const open = await screen.findByTestId('open-case-00000005');
    await userEvent.click(open);
    const heading = await screen.findByTestId('case-heading');
    expect(heading.tagName).toBe('H1');
    await waitFor(() => expect(heading).toHaveFocus());
    await userEvent.click(screen.getByTestId('case-back'));
    await waitFor(() => expect(open).toHaveFocus());
  });

  it("Reply on the status view opens Outlook's reply to this email with the reference, and says so", async () => {
    const host = fakeHost(aMessage());
    const api = fakeApi({ getCase: async (id: string) => aCase({ id, Case_Number: '00001234' }) });
    render(<Root host={host} api={api} drafts={createDraftStore()} />);
    await screen.findByTestId('new-case-form');
    await userEvent.click(screen.getByTestId('save-case'));
    await userEvent.click(await screen.findByTestId('status-reply'));
    expect(host.displayReply).toHaveBeenCalledWith(
      expect.objectContaining({ itemId: aMessage().itemId }),
      '<p>Our reference: [Case #00001234]. Please keep it in the subject when you write to us about this case.</p>',
    );
    await waitFor(() =>
      expect(live()).toHaveTextContent(/^A reply with the reference of case 00001234 is open in Outlook\.$/),
    );
    jest.mocked(host.displayReply).mockResolvedValueOnce(false);
    await userEvent.click(screen.getByTestId('status-reply'));
    await waitFor(() => expect(live()).toHaveTextContent(/^Outlook could not open a reply to this email\.$/));
  });

  it('offers no Reply where this Outlook has no reply form', async () => {
    const host = { ...fakeHost(aMessage()), canReply: () => false };
    const api = fakeApi({ getCase: async (id: string) => aCase({ id, Case_Number: '00001234' }) });
    render(<Root host={host} api={api} drafts={createDraftStore()} />);
    await screen.findByTestId('new-case-form');
    await userEvent.click(screen.getByTestId('save-case'));
    await screen.findByTestId('status-select');
    expect(screen.queryByTestId('status-reply')).toBeNull();
  });

  it('labels the "already linked" bar by an element that exists', async () => {
    await start(fakeApi({ linkedCases: async () => [aSummary({ match: 'message' })] }));
    // A linked email is a status view; the form (and this bar) only behind Create another case.
    await userEvent.click(await screen.findByTestId('create-another'));
    const bar = await screen.findByTestId('already-linked');
    const id = bar.getAttribute('aria-labelledby');
    expect(id && document.getElementById(id)).toHaveTextContent(/already/i);
  });
});

describe('an h1 on every screen', () => {
  const h1 = () => screen.getAllByRole('heading', { level: 1 });

  it('no message selected', async () => {
    render(<Root host={fakeHost(null)} api={fakeApi()} drafts={createDraftStore()} />);
    await screen.findByTestId('no-message');
    expect(h1()).toHaveLength(1);
    expect(h1()[0]).toHaveTextContent('Select a single email');
  });

  it('bulk email', async () => {
    await start();
    await userEvent.click(screen.getByTestId('open-bulk-email'));
    await waitFor(() => expect(h1().map((h) => h.textContent)).toContain('Email several cases'));
  });

  it('compose', async () => {
    const host = fakeHost(aMessage());
    host.itemMode = () => 'compose';
    render(<Root host={host} api={fakeApi()} drafts={createDraftStore()} />);
    await screen.findByTestId('compose-pane');
    expect(h1()).toHaveLength(1);
  });
});
