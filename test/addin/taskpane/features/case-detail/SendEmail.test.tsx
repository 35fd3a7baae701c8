import { fireEvent, screen, waitFor } from '@testing-library/react';
import { ApiFailure } from '../../../../../src/addin/api/errors';
import { SendEmail, renderTemplate } from '../../../../../src/addin/taskpane/features/case-detail/SendEmail';
import { ME, aCase, fakeApi, renderIn } from '../../helpers';

jest.setTimeout(20_000);

const CASE = aCase({ id: '7', Case_Number: '00000007', Related_To: { id: '500', name: 'Anna Kowalska' } });
const TEMPLATE = {
  id: 't1',
  name: 'Resolved',
  subject: 'Case {{Case_Number}} resolved',
  body: 'Dear {{Contact_Name}},\nyour case is {{Status}}.\n{{Owner_Name}}',
};

function setup(overrides: Parameters<typeof fakeApi>[0] = {}) {
  const api = fakeApi({ emailTemplates: async () => [TEMPLATE], ...overrides });
  const onSent = jest.fn();
  renderIn(<SendEmail record={CASE} onSent={onSent} />, { api });
  return { api, onSent };
}

describe('Send email from a case', () => {
  it('fills merge fields like the server', () => {
    expect(renderTemplate(TEMPLATE.body, CASE)).toBe(
      `Dear Anna Kowalska,\nyour case is New.\n${ME.full_name}`,
    );
  });

  it('leaves JavaScript built-in names as written, like the server', () => {
    expect(renderTemplate('{{constructor}} {{toString}} {{__proto__}} {{Status}}', CASE)).toBe(
      '{{constructor}} {{toString}} {{__proto__}} New',
    );
  });

  it('sends to the case’s address by default, from a template, and reports the result', async () => {
    const { api, onSent } = setup();
    expect(screen.getByLabelText("The case's address: anna@example.com")).toBeChecked();
    fireEvent.click(screen.getByTestId('send-template'));
    fireEvent.click(await screen.findByText('Resolved', { selector: '[role="option"]' }));
    expect(screen.getByTestId('send-subject')).toHaveValue('Case 00000007 resolved');
    fireEvent.click(screen.getByTestId('send-email'));
    expect(await screen.findByTestId('send-result')).toHaveTextContent('Sent to anna@example.com');
    expect(api.sendCaseMail).toHaveBeenCalledWith('7', {
      to: [{ email: 'anna@example.com', name: 'Anna Kowalska' }],
      subject: 'Case 00000007 resolved',
      content: `Dear Anna Kowalska,\nyour case is New.\n${ME.full_name}`,
      template_id: 't1',
    });
    expect(onSent).toHaveBeenCalled();
  });

  it('says so when the server has only queued the mail (its mail server had not answered yet)', async () => {
    setup({
      sendCaseMail: jest.fn(async () => ({ id: '5', subject: 'Re: x [Case #00000007]', queued: true })),
    });
    fireEvent.change(screen.getByTestId('send-body'), { target: { value: 'Hello' } });
    fireEvent.click(screen.getByTestId('send-email'));
    expect(await screen.findByTestId('send-result')).toHaveTextContent(
      'Queued for anna@example.com: Re: x [Case #00000007]. The mail server has not answered yet',
    );
  });

  it('sends to another address, and only a valid one', async () => {
    const { api } = setup();
    fireEvent.click(screen.getByLabelText('Another address'));
    fireEvent.change(screen.getByTestId('send-address'), { target: { value: 'not-an-address' } });
    fireEvent.change(screen.getByTestId('send-body'), { target: { value: 'Hello' } });
    expect(screen.getByTestId('send-email')).toBeDisabled();
    fireEvent.change(screen.getByTestId('send-address'), { target: { value: 'boss@example.com' } });
    fireEvent.click(screen.getByTestId('send-email'));
    await waitFor(() =>
      expect(api.sendCaseMail).toHaveBeenCalledWith('7', {
        to: [{ email: 'boss@example.com' }],
        subject: 'Re: Printer offline',
        content: 'Hello',
      }),
    );
  });

  it('says plainly when SMTP is not set up, and keeps the text', async () => {
    setup({
      sendCaseMail: async () =>
        Promise.reject(
          new ApiFailure('validation', 'sending email is not set up', { status: 400, code: 'NOT_SUPPORTED' }),
        ),
    });
    fireEvent.change(screen.getByTestId('send-body'), { target: { value: 'Hello' } });
    fireEvent.click(screen.getByTestId('send-email'));
    expect(await screen.findByTestId('send-error')).toHaveTextContent(
      'Sending email is not set up on this server',
    );
    expect(screen.getByTestId('send-body')).toHaveValue('Hello');
  });

  it('shows the mail server’s refusal', async () => {
    setup({
      sendCaseMail: async () =>
        Promise.reject(
          new ApiFailure('server', 'the mail server did not accept the message: 550 no such user', {
            status: 502,
            code: 'MAIL_NOT_SENT',
          }),
        ),
    });
    fireEvent.change(screen.getByTestId('send-body'), { target: { value: 'Hello' } });
    fireEvent.click(screen.getByTestId('send-email'));
    expect(await screen.findByTestId('send-error')).toHaveTextContent('550 no such user');
  });
});
