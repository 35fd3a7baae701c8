import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { AdminView } from '../../../../../src/addin/taskpane/features/admin/AdminView';
import { ApiFailure } from '../../../../../src/addin/api/errors';
import type { AssignmentRule, EscalationRule } from '../../../../../src/shared/rule-types';
import { fakeApi, fieldMeta, ME, OTHER, renderIn } from '../../helpers';

jest.setTimeout(60_000); // long form walks; jsdom is slow with Fluent under a loaded CI machine

const PRIORITY = fieldMeta('Priority', {
  data_type: 'picklist',
  pick_list_values: ['High', 'Medium', 'Low'].map((v) => ({ display_value: v, actual_value: v })),
});
const FIELDS = [
  fieldMeta('Subject'),
  fieldMeta('Description', { data_type: 'textarea' }),
  PRIORITY,
  fieldMeta('Email', { data_type: 'email' }),
];

const VIP: AssignmentRule = {
  id: '1',
  name: 'VIP',
  position: 1,
  criteria: '(Priority:equals:High)',
  owner: { id: OTHER.id, name: OTHER.full_name },
  round_robin_users: [],
  active: true,
};
const STALE: EscalationRule = {
  id: '5',
  name: 'Stale',
  criteria: null,
  hours: 48,
  escalate_to: null,
  to_owners_manager: true,
  active: true,
};

async function openRules(overrides: Parameters<typeof fakeApi>[0] = {}) {
  const api = fakeApi({ caseFields: async () => FIELDS, ...overrides });
  renderIn(<AdminView onBack={() => undefined} />, { api });
  fireEvent.click(screen.getByTestId('admin-tab-rules'));
  await screen.findByTestId('assignment-form');
  return api;
}

/**
 * Opens a Dropdown and returns its listbox. Options are found by text inside it: role queries compute
 * accessibility for the whole form (slow in jsdom), and a focused, closed Dropdown keeps its options mounted.
 */
async function open(testId: string) {
  fireEvent.click(screen.getByTestId(testId));
  return waitFor(() => {
    const id = screen.getByTestId(testId).getAttribute('aria-controls');
    const listbox = id ? document.getElementById(id) : null;
    if (!listbox) throw new Error(`${testId} did not open`);
    return within(listbox);
  });
}
const optionIn = (listbox: ReturnType<typeof within>, name: string, role = 'option') =>
  listbox.queryByText(name, { selector: `[role="${role}"]` });

const pick = async (testId: string, option: string) => {
  const listbox = await open(testId);
  fireEvent.click(listbox.getByText(option, { selector: '[role="option"]' }));
};

describe('Rules (admin)', () => {
  it('lists the assignment rules in order and the escalation rules with their targets', async () => {
    const second = {
      ...VIP,
      id: '2',
      name: 'Email intake',
      position: 2,
      criteria: null,
      owner: null,
      round_robin_users: [
        { id: ME.id, name: ME.full_name },
        { id: OTHER.id, name: OTHER.full_name },
      ],
    };
    await openRules({ assignmentRules: async () => [second, VIP], escalationRules: async () => [STALE] });
    const items = await screen.findAllByTestId(/^assignment-rule-/);
    expect(items.map((i) => i.textContent)).toEqual([
      expect.stringContaining('1. VIP'),
      expect.stringContaining('2. Email intake'),
    ]);
    expect(items[0]).toHaveTextContent(`When (Priority:equals:High) → assigns to ${OTHER.full_name}`);
    expect(items[1]).toHaveTextContent(`All cases → round robin: ${ME.full_name}, ${OTHER.full_name}`);
    expect(await screen.findByTestId('escalation-rule-5')).toHaveTextContent(
      'All cases · after 48 h → The owner’s manager',
    );
  });

  it('adds an assignment rule from conditions and an owner, at the next position', async () => {
    const api = await openRules({ assignmentRules: async () => [VIP] });
    await screen.findByTestId('assignment-rule-1');
    fireEvent.change(screen.getByTestId('assignment-name'), { target: { value: 'Polish high priority' } });
    // Description (long text) cannot be tested by a rule, so it is not offered.
    fireEvent.click(screen.getByTestId('assignment-add-condition'));
    const fieldOptions = await open('assignment-condition-field-0');
    expect(optionIn(fieldOptions, 'Subject')).not.toBeNull();
    expect(optionIn(fieldOptions, 'Description')).toBeNull();
    fireEvent.click(optionIn(fieldOptions, 'Priority')!);
    await pick('assignment-condition-value-0', 'High'); // a picklist offers its values
    fireEvent.click(screen.getByTestId('assignment-add-condition'));
    await pick('assignment-condition-field-1', 'Email');
    await pick('assignment-condition-operator-1', 'starts with');
    fireEvent.change(screen.getByTestId('assignment-condition-value-1'), { target: { value: 'biuro@' } });
    await pick('assignment-owner', OTHER.full_name);
    fireEvent.click(screen.getByTestId('assignment-add'));
    expect(await screen.findByTestId('assignment-done')).toHaveTextContent(
      'Rule “Polish high priority” added.',
    );
    expect(api.addAssignmentRule).toHaveBeenCalledWith({
      name: 'Polish high priority',
      position: 2,
      criteria: '(Priority:equals:High)and(Email:starts_with:biuro@)',
      owner: { id: OTHER.id },
      active: true,
    });
    expect(screen.getByTestId('assignment-name')).toHaveValue('');
    await waitFor(() => expect(api.assignmentRules).toHaveBeenCalledTimes(2)); // the list reloads
  });

  it('adds a round-robin rule for all cases', async () => {
    const api = await openRules();
    fireEvent.change(screen.getByTestId('assignment-name'), { target: { value: 'Everyone' } });
    expect(screen.getByTestId('assignment-add')).toBeDisabled(); // no owner yet
    fireEvent.click(screen.getByTestId('assignment-mode-round-robin'));
    // A multiselect Dropdown's options are menuitemcheckbox.
    const group = await open('assignment-group');
    fireEvent.click(optionIn(group, ME.full_name, 'menuitemcheckbox')!);
    fireEvent.click(optionIn(group, OTHER.full_name, 'menuitemcheckbox')!);
    fireEvent.click(screen.getByTestId('assignment-add'));
    await screen.findByTestId('assignment-done');
    expect(api.addAssignmentRule).toHaveBeenCalledWith({
      name: 'Everyone',
      position: 1,
      criteria: null,
      round_robin_users: [{ id: ME.id }, { id: OTHER.id }],
      active: true,
    });
  });

  it('keeps what the admin typed when the server refuses the rule, and says why', async () => {
    const api = await openRules({
      addAssignmentRule: async () => {
        throw new ApiFailure('validation', 'owner: no user with id 9', { code: 'INVALID_DATA' });
      },
    });
    fireEvent.change(screen.getByTestId('assignment-name'), { target: { value: 'Kept' } });
    await pick('assignment-owner', OTHER.full_name);
    fireEvent.click(screen.getByTestId('assignment-add'));
    expect(await screen.findByTestId('assignment-error')).toHaveTextContent('owner: no user with id 9');
    expect(screen.getByTestId('assignment-name')).toHaveValue('Kept');
    expect(api.addAssignmentRule).toHaveBeenCalledTimes(1);
  });

  it('switches a rule off and deletes one', async () => {
    const api = await openRules({ assignmentRules: async () => [VIP], escalationRules: async () => [STALE] });
    fireEvent.click(await screen.findByTestId('assignment-active-1'));
    await waitFor(() => expect(api.setAssignmentRuleActive).toHaveBeenCalledWith(VIP, false));
    fireEvent.click(
      within(await screen.findByTestId('escalation-rule-5')).getByLabelText('Delete rule Stale'),
    );
    await waitFor(() => expect(api.deleteEscalationRule).toHaveBeenCalledWith('5'));
    expect(await screen.findByTestId('escalation-done')).toHaveTextContent('Rule “Stale” deleted.');
  });

  it('adds an escalation rule to a named user, checking the hours', async () => {
    const api = await openRules();
    fireEvent.change(screen.getByTestId('escalation-name'), { target: { value: 'High waits 4 h' } });
    fireEvent.change(screen.getByTestId('escalation-hours'), { target: { value: '0' } });
    expect(screen.getByText('A whole number of hours from 1 to 8760.')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('escalation-hours'), { target: { value: '4' } });
    fireEvent.click(screen.getByTestId('escalation-add-condition'));
    await pick('escalation-condition-field-0', 'Priority');
    await pick('escalation-condition-value-0', 'High');
    await pick('escalation-user', OTHER.full_name);
    fireEvent.click(screen.getByTestId('escalation-new-active'));
    fireEvent.click(screen.getByTestId('escalation-add'));
    await screen.findByTestId('escalation-done');
    expect(api.addEscalationRule).toHaveBeenCalledWith({
      name: 'High waits 4 h',
      hours: 4,
      criteria: '(Priority:equals:High)',
      escalate_to: { id: OTHER.id },
      active: true,
    });
  });

  it('sets and clears a user’s manager, for escalations to the owner’s manager', async () => {
    const api = await openRules({
      activeUsers: async () => [ME, { ...OTHER, manager: { id: ME.id, name: ME.full_name } }],
    });
    expect(screen.getByTestId(`manager-of-${OTHER.id}`)).toHaveTextContent(ME.full_name);
    expect(screen.getByTestId(`manager-of-${ME.id}`)).toHaveTextContent('No manager');
    const managers = await open(`manager-of-${ME.id}`);
    expect(optionIn(managers, ME.full_name)).toBeNull(); // nobody manages themselves
    fireEvent.click(optionIn(managers, OTHER.full_name)!);
    expect(await screen.findByTestId('manager-done')).toHaveTextContent(`Manager of ${ME.full_name} saved.`);
    expect(api.setManager).toHaveBeenCalledWith(ME.id, OTHER.id);
    expect(screen.getByTestId(`manager-of-${ME.id}`)).toHaveTextContent(OTHER.full_name);
    // Waiting starts right after the click (not after `await pick`), so the save's state updates land inside it.
    fireEvent.click(optionIn(await open(`manager-of-${OTHER.id}`), 'No manager')!);
    expect(await screen.findByText(`Manager of ${OTHER.full_name} saved.`)).toBeInTheDocument();
    expect(api.setManager).toHaveBeenLastCalledWith(OTHER.id, null);
  });
});
