import { fireEvent, screen, waitFor } from '@testing-library/react';
import { ApiFailure } from '../../../../../src/addin/api/errors';
import { AdminView } from '../../../../../src/addin/taskpane/features/admin/AdminView';
import { fakeApi, renderIn } from '../../helpers';

const RESOLVED = {
  id: 't1',
  name: 'Resolved',
  subject: 'Case {{Case_Number}} resolved',
  body: 'Dear {{Contact_Name}}',
};

async function openTemplates(overrides: Parameters<typeof fakeApi>[0] = {}) {
  const api = fakeApi(overrides);
  renderIn(<AdminView onBack={() => undefined} />, { api });
  fireEvent.click(screen.getByTestId('admin-tab-templates'));
  await screen.findByTestId('template-form');
  return api;
}

const type = (testId: string, value: string) =>
  fireEvent.change(screen.getByTestId(testId), { target: { value } });

describe('Email templates (admin)', () => {
  it('adds a template and names the merge fields it may use', async () => {
    const api = await openTemplates();
    expect(
      screen.getByText(
        /\{\{Case_Number\}\} \{\{Subject\}\} \{\{Contact_Name\}\} \{\{Owner_Name\}\} \{\{Status\}\}/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('template-save')).toBeDisabled();
    type('template-name', ' Follow-up ');
    type('template-subject', 'About {{Subject}}');
    type('template-body', 'Case {{Case_Number}} is {{Status}}.');
    fireEvent.click(screen.getByTestId('template-save'));
    expect(await screen.findByTestId('template-done')).toHaveTextContent('Template “Follow-up” added.');
    expect(api.addEmailTemplate).toHaveBeenCalledWith({
      name: 'Follow-up',
      subject: 'About {{Subject}}',
      body: 'Case {{Case_Number}} is {{Status}}.',
    });
    expect(screen.getByTestId('template-name')).toHaveValue('');
    await waitFor(() => expect(api.emailTemplates).toHaveBeenCalledTimes(2));
  });

  it('edits a template in place and can cancel', async () => {
    const api = await openTemplates({ emailTemplates: async () => [RESOLVED] });
    fireEvent.click(await screen.findByTestId('template-edit-t1'));
    expect(screen.getByTestId('template-subject')).toHaveValue('Case {{Case_Number}} resolved');
    type('template-body', 'Dear {{Contact_Name}}, all done.');
    fireEvent.click(screen.getByTestId('template-save'));
    await screen.findByTestId('template-done');
    expect(api.updateEmailTemplate).toHaveBeenCalledWith({
      ...RESOLVED,
      body: 'Dear {{Contact_Name}}, all done.',
    });
    expect(api.addEmailTemplate).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId('template-edit-t1'));
    fireEvent.click(screen.getByTestId('template-cancel'));
    expect(screen.getByTestId('template-name')).toHaveValue('');
  });

  it('keeps the text when the server refuses it, and deletes a template', async () => {
    const api = await openTemplates({
      emailTemplates: async () => [RESOLVED],
      addEmailTemplate: async () => {
        throw new ApiFailure('validation', 'subject: at most 998 characters', { code: 'INVALID_DATA' });
      },
    });
    type('template-name', 'Long');
    type('template-subject', 'S');
    type('template-body', 'Typed text');
    fireEvent.click(screen.getByTestId('template-save'));
    expect(await screen.findByTestId('template-error')).toHaveTextContent('subject: at most 998 characters');
    expect(screen.getByTestId('template-body')).toHaveValue('Typed text');
    fireEvent.click(await screen.findByTestId('template-delete-t1'));
    await waitFor(() => expect(api.deleteEmailTemplate).toHaveBeenCalledWith('t1'));
    expect(screen.getByTestId('template-body')).toHaveValue('Typed text'); // another template's form stays
  });
});
