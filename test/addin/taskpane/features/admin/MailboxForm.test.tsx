import { fireEvent, screen } from '@testing-library/react';
import { MailboxForm } from '../../../../../src/addin/taskpane/features/admin/MailboxForm';
import { renderIn } from '../../helpers';

const type = (testId: string, value: string) =>
  fireEvent.change(screen.getByTestId(testId), { target: { value } });

describe('the Mailboxes form: signing in with an OAuth2 app', () => {
  it('shows only the chosen sign-in’s fields and saves client credentials', () => {
    const onSave = jest.fn();
    renderIn(
      <MailboxForm editing={null} templates={[]} busy={false} onSave={onSave} onCancel={() => undefined} />,
    );
    type('mailbox-name', 'Support');
    type('mailbox-host', 'outlook.office365.com');
    type('mailbox-user', 'support@contoso.com');
    expect(screen.getByTestId('mailbox-password')).toBeInTheDocument();
    expect(screen.queryByTestId('mailbox-client-id')).toBeNull();

    fireEvent.click(screen.getByLabelText(/OAuth2 app/));
    expect(screen.queryByTestId('mailbox-password')).toBeNull();
    type('mailbox-token-url', 'https://login.microsoftonline.com/tenant/oauth2/v2.0/token');
    type('mailbox-client-id', 'app-id');
    expect(screen.getByTestId('mailbox-save')).toBeDisabled();
    type('mailbox-client-secret', 'secret');
    fireEvent.click(screen.getByTestId('mailbox-save'));

    expect(onSave).toHaveBeenCalledTimes(1);
    const [id, input] = onSave.mock.calls[0];
    expect(id).toBeNull();
    expect(input.oauth).toEqual({
      token_url: 'https://login.microsoftonline.com/tenant/oauth2/v2.0/token',
      client_id: 'app-id',
      client_secret: 'secret',
    });
    expect(input).not.toHaveProperty('password');
  });
});
