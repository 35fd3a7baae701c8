import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createDraftStore } from '../../../../../src/addin/storage/drafts';
import { Root } from '../../../../../src/addin/taskpane/App';
import { aMessage, fakeApi, fakeHost, fieldMeta, ME } from '../../helpers';

jest.setTimeout(20_000);

const ADMIN = { ...ME, role: { name: 'admin' as const } };
const FIELDS = [
  fieldMeta('Case_Number', { read_only: true }),
  fieldMeta('Subject'),
  fieldMeta('Phone'),
  fieldMeta('Region', { custom_field: true }),
];

describe('Field layout (admin)', () => {
  it('is offered to admins only', async () => {
    render(<Root host={fakeHost(aMessage())} api={fakeApi()} drafts={createDraftStore()} />);
    await screen.findByTestId('new-case-form');
    expect(screen.queryByTestId('open-admin')).toBeNull();
  });

  it('reorders, hides and makes fields read-only, then saves the layout in order', async () => {
    const api = fakeApi({ currentUser: async () => ADMIN, caseFields: async () => FIELDS });
    render(<Root host={fakeHost(aMessage())} api={api} drafts={createDraftStore()} />);
    fireEvent.click(await screen.findByTestId('open-admin'));
    await screen.findByTestId('layout-row-Phone');
    expect(screen.getByTestId('layout-hidden-Subject')).toBeDisabled(); // locked by the backend rules
    expect(screen.getByTestId('layout-readonly-Case_Number')).toBeDisabled();
    expect(screen.getByTestId('layout-save')).toBeDisabled();

    fireEvent.click(screen.getByRole('button', { name: 'Move Phone up' }));
    fireEvent.click(screen.getByTestId('layout-hidden-Region'));
    fireEvent.click(screen.getByTestId('layout-readonly-Phone'));
    fireEvent.click(screen.getByTestId('layout-quick-Phone'));
    fireEvent.click(screen.getByTestId('layout-save'));
    await screen.findByTestId('layout-saved');
    expect(api.saveLayout).toHaveBeenCalledWith([
      { api_name: 'Case_Number', hidden: false, quick: false },
      { api_name: 'Phone', hidden: false, read_only: true, quick: true },
      { api_name: 'Subject', quick: false },
      { api_name: 'Region', hidden: true, read_only: false, quick: false },
    ]);
  });

  it('adds a picklist custom field with labels in three languages', async () => {
    const api = fakeApi({ currentUser: async () => ADMIN, caseFields: async () => FIELDS });
    render(<Root host={fakeHost(null)} api={api} drafts={createDraftStore()} />);
    fireEvent.click(await screen.findByTestId('open-admin'));
    await screen.findByTestId('custom-field-form');
    fireEvent.change(screen.getByTestId('custom-api-name'), { target: { value: 'Area' } });
    fireEvent.click(screen.getByTestId('custom-type'));
    fireEvent.click(await screen.findByRole('option', { name: 'picklist' }));
    fireEvent.change(screen.getByTestId('custom-label-en'), { target: { value: 'Area' } });
    fireEvent.change(screen.getByTestId('custom-label-pl'), { target: { value: 'Obszar' } });
    fireEvent.change(screen.getByTestId('custom-label-zh-CN'), { target: { value: '区域' } });
    expect(screen.getByTestId('custom-add')).toBeDisabled(); // a picklist needs values
    fireEvent.change(screen.getByTestId('custom-values'), { target: { value: 'EU\nUS\n' } });
    fireEvent.click(screen.getByTestId('custom-add'));
    await screen.findByTestId('custom-added');
    expect(api.addCustomField).toHaveBeenCalledWith({
      api_name: 'Area',
      label: { en: 'Area', pl: 'Obszar', 'zh-CN': '区域' },
      type: 'picklist',
      pick_list_values: ['EU', 'US'],
    });
    await waitFor(() => expect(api.caseFields.mock.calls.length).toBeGreaterThanOrEqual(3)); // session + screen + after adding
  });
});
