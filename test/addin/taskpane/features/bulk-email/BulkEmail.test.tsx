import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ApiFailure } from '../../../../../src/addin/api/errors';
import type { BulkMailResult } from '../../../../../src/addin/api/records';
import { BulkEmail } from '../../../../../src/addin/taskpane/features/bulk-email/BulkEmail';
import { ME, aCase, deferred, fakeApi, renderIn } from '../../helpers';

// Whole-form renders with Fluent are slow under jsdom on a busy machine; these are not timing tests.
jest.setTimeout(20_000);

const C7 = aCase({
  id: '7',
  Case_Number: '00000007',
  Subject: 'Printer offline',
  Related_To: { id: '500', name: 'Anna Kowalska' },
});
const C8 = aCase({
  id: '8',
  Case_Number: '00000008',
  Subject: 'Toner <b>low</b>',
  Email: 'jan@example.com',
  Reported_By: 'Jan Nowak',
});
const C9 = aCase({ id: '9', Case_Number: '00000009', Subject: 'No address', Email: null });
const TEMPLATE = {
  id: 't1',
  name: 'Follow-up',
  subject: 'About {{Subject}}',
  body: 'Dear {{Contact_Name}},\ncase {{Case_Number}} is {{Status}}.\n{{Owner_Name}}',
};

const ok = (id: string, to: string): BulkMailResult => ({
  code: 'SUCCESS',
  details: { id, to, email_id: `e${id}` },
  message: 'email sent',
  status: 'success',
});

function setup(overrides: Parameters<typeof fakeApi>[0] = {}) {
  const api = fakeApi({
    emailTemplates: async () => [TEMPLATE],
    searchCases: async () => [C7, C8, C9],
    ...overrides,
  });
  const onBack = jest.fn();
  renderIn(<BulkEmail onBack={onBack} />, { api });
  return { api, onBack };
}

async function searchAndPick(text: string, ...numbers: string[]) {
  fireEvent.change(screen.getByTestId('bulk-search-input'), { target: { value: text } });
  fireEvent.click(screen.getByTestId('bulk-search-button'));
  await screen.findByTestId('bulk-search-results');
  for (const n of numbers) fireEvent.click(screen.getByTestId(`bulk-select-${n}`));
}

async function pickTemplate() {
  fireEvent.click(screen.getByTestId('bulk-template'));
  fireEvent.click(await screen.findByText('Follow-up', { selector: '[role="option"]' }));
}

describe('Bulk email', () => {
  it('selects cases with checkboxes, previews the merge for the first one as text, and sends after confirming', async () => {
    const { api } = setup({
      sendBulkMail: async () => [ok('8', 'jan@example.com'), ok('7', 'anna@example.com')],
    });
    await searchAndPick('printer', '00000008', '00000007');
    expect(screen.getByTestId('bulk-select-00000008')).toBeChecked();
    expect(screen.getByTestId('bulk-select-00000008')).toHaveAccessibleName(
      'Select case 00000008: Toner <b>low</b>',
    );
    expect(screen.getByTestId('bulk-selected-count')).toHaveTextContent('Selected: 2');
    expect(screen.getByTestId('bulk-send')).toBeDisabled(); // no template yet
    await pickTemplate();

    const preview = screen.getByTestId('bulk-preview');
    expect(preview).toHaveTextContent('Preview for case 00000008');
    expect(screen.getByTestId('bulk-preview-to')).toHaveTextContent('To: jan@example.com');
    expect(screen.getByTestId('bulk-preview-subject')).toHaveTextContent(
      'About Toner <b>low</b> [Case #00000008]',
    );
    expect(screen.getByTestId('bulk-preview-body').textContent).toBe(
      `Dear Jan Nowak,\ncase 00000008 is New.\n${ME.full_name}`,
    );
    expect(preview.innerHTML).not.toContain('<b>');

    fireEvent.click(screen.getByTestId('bulk-send'));
    expect(screen.getByTestId('bulk-confirm')).toHaveTextContent('each of the 2 selected cases');
    expect(api.sendBulkMail).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId('bulk-send-confirm'));

    const results = await screen.findByTestId('bulk-results');
    expect(api.sendBulkMail).toHaveBeenCalledWith('t1', ['8', '7']);
    expect(results).toHaveTextContent('Results: 2 sent, 0 not sent');
    expect(within(results).getByTestId('bulk-result-00000007')).toHaveTextContent('Sent to anna@example.com');
    expect(within(results).getByTestId('bulk-result-00000008')).toHaveAttribute('data-code', 'SUCCESS');
    // Sent cases leave the selection.
    expect(screen.getByTestId('bulk-selected-count')).toHaveTextContent('Selected: 0');
    expect(screen.getByTestId('bulk-select-00000007')).not.toBeChecked();
  });

  it('lists per-recipient failures: no contact email, mail server refusal; failed ones stay selected', async () => {
    setup({
      sendBulkMail: async () => [
        ok('7', 'anna@example.com'),
        {
          code: 'MANDATORY_NOT_FOUND',
          details: { id: '9', api_name: 'Email' },
          message: 'the case has no contact email',
          status: 'error',
        },
        {
          code: 'MAIL_NOT_SENT',
          details: { id: '8', to: 'jan@example.com' },
          message: 'the mail server did not accept the message: 550 no such user',
          status: 'error',
        },
      ],
    });
    await searchAndPick('printer', '00000007', '00000009', '00000008');
    await pickTemplate();
    expect(screen.getByTestId('bulk-preview-to')).toHaveTextContent('To: anna@example.com');
    fireEvent.click(screen.getByTestId('bulk-send'));
    fireEvent.click(screen.getByTestId('bulk-send-confirm'));
    const results = await screen.findByTestId('bulk-results');
    expect(results).toHaveTextContent('1 sent, 2 not sent');
    expect(within(results).getByTestId('bulk-result-00000009')).toHaveTextContent(
      'Not sent: the case has no contact email.',
    );
    expect(within(results).getByTestId('bulk-result-00000009')).toHaveAttribute(
      'data-code',
      'MANDATORY_NOT_FOUND',
    );
    expect(within(results).getByTestId('bulk-result-00000008')).toHaveTextContent('550 no such user');
    expect(within(results).getByTestId('bulk-result-00000008')).toHaveAttribute('data-code', 'MAIL_NOT_SENT');
    expect(screen.getByTestId('bulk-selected-count')).toHaveTextContent('Selected: 2');
    expect(screen.getByTestId('bulk-select-00000008')).toBeChecked();
  });

  it('says plainly when SMTP is not configured, and keeps the selection', async () => {
    setup({
      sendBulkMail: async () =>
        Promise.reject(
          new ApiFailure('validation', 'sending email is not set up on this server (SMTP_URL)', {
            status: 400,
            code: 'NOT_SUPPORTED',
          }),
        ),
    });
    await searchAndPick('printer', '00000007');
    await pickTemplate();
    fireEvent.click(screen.getByTestId('bulk-send'));
    fireEvent.click(screen.getByTestId('bulk-send-confirm'));
    const error = await screen.findByTestId('bulk-error');
    expect(error).toHaveTextContent('Sending email is not set up on this server (no SMTP server configured)');
    expect(error).toHaveAttribute('role', 'alert');
    expect(screen.queryByTestId('bulk-results')).toBeNull();
    expect(screen.getByTestId('bulk-select-00000007')).toBeChecked();
  });

  it('keeps cases chosen in an earlier search, sends once while busy, and can cancel the confirmation', async () => {
    const pending = deferred<BulkMailResult[]>();
    const searches = [[C7], [C8]];
    const { api } = setup({
      searchCases: async () => searches.shift() ?? [],
      sendBulkMail: () => pending.promise,
    });
    await searchAndPick('7', '00000007');
    await searchAndPick('8', '00000008');
    expect(
      within(screen.getByTestId('bulk-selected-earlier')).getByTestId('bulk-select-00000007'),
    ).toBeChecked();
    expect(screen.getByTestId('bulk-selected-count')).toHaveTextContent('Selected: 2');
    await pickTemplate();
    expect(screen.getByTestId('bulk-preview')).toHaveTextContent('Preview for case 00000007');

    fireEvent.click(screen.getByTestId('bulk-send'));
    fireEvent.click(screen.getByTestId('bulk-send-cancel'));
    expect(screen.queryByTestId('bulk-confirm')).toBeNull();
    fireEvent.click(screen.getByTestId('bulk-send'));
    fireEvent.click(screen.getByTestId('bulk-send-confirm'));
    await waitFor(() => expect(screen.getByTestId('bulk-send')).toBeDisabled());
    fireEvent.click(screen.getByTestId('bulk-send'));
    expect(api.sendBulkMail).toHaveBeenCalledTimes(1);
    expect(api.sendBulkMail).toHaveBeenCalledWith('t1', ['7', '8']);
    await act(async () => pending.resolve([ok('7', 'anna@example.com'), ok('8', 'jan@example.com')]));
    expect(await screen.findByTestId('bulk-results')).toHaveTextContent('2 sent');
  });

  it('sends more than 100 cases in requests of at most 100', async () => {
    const many = Array.from({ length: 101 }, (_, i) =>
      aCase({ id: String(1000 + i), Case_Number: String(1000 + i).padStart(8, '0') }),
    );
    const { api } = setup({
      searchCases: async () => many,
      sendBulkMail: async (_t, ids) => ids.map((id) => ok(id, 'anna@example.com')),
    });
    await searchAndPick('printer', ...many.map((c) => c.Case_Number));
    await pickTemplate();
    fireEvent.click(screen.getByTestId('bulk-send'));
    fireEvent.click(screen.getByTestId('bulk-send-confirm'));
    expect(await screen.findByTestId('bulk-results')).toHaveTextContent('101 sent, 0 not sent');
    expect(api.sendBulkMail.mock.calls.map(([, ids]) => ids.length)).toEqual([100, 1]);
  });

  it('tells when there are no templates, and goes back', async () => {
    const { onBack } = setup({ emailTemplates: async () => [] });
    expect(
      await screen.findByText('There are no email templates yet. An administrator can add them.'),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('bulk-back'));
    expect(onBack).toHaveBeenCalled();
  });

  it('is in Polish for Polish Outlook', async () => {
    const api = fakeApi({ emailTemplates: async () => [TEMPLATE], searchCases: async () => [C7] });
    renderIn(<BulkEmail onBack={() => undefined} />, { api, language: 'pl' });
    expect(screen.getByText('E-mail do wielu spraw')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('bulk-search-input'), { target: { value: '7' } });
    fireEvent.click(screen.getByTestId('bulk-search-button'));
    expect(await screen.findByTestId('bulk-select-00000007')).toHaveAccessibleName(
      'Zaznacz sprawę 00000007: Printer offline',
    );
  });
});
