import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiFailure } from '../../../../../src/addin/api/errors';
import { createDraftStore } from '../../../../../src/addin/storage/drafts';
import {
  NewCaseForm,
  NewCaseFormProps,
} from '../../../../../src/addin/taskpane/features/new-case/NewCaseForm';
import { CreatedCase } from '../../../../../src/addin/api/client';
import { LIMITS, STANDARD_FIELDS, type FieldDefinition } from '../../../../../src/shared/case-fields';
import { ME, OTHER, aCase, aMessage, deferred, fakeApi, renderIn } from '../../helpers';

// Whole-form renders with Fluent are slow under jsdom on a busy machine; these are not timing tests.
jest.setTimeout(20_000);

const KEY = '<m1@mail.example>';

interface Setup extends Partial<NewCaseFormProps> {
  api?: ReturnType<typeof fakeApi>;
  fields?: FieldDefinition[];
}

async function setup(overrides: Setup = {}, language: 'en' | 'pl' | 'zh-CN' = 'en') {
  const { api = fakeApi(), fields = [...STANDARD_FIELDS], ...rest } = overrides;
  const drafts = createDraftStore();
  const props: NewCaseFormProps = { message: aMessage(), draftKey: KEY, mailbox: ME.email, ...rest };
  const view = renderIn(<NewCaseForm {...props} />, {
    language,
    api,
    drafts,
    session: { me: ME, users: [ME, OTHER], fields },
  });
  await act(async () => undefined); // let the sender's contact lookup answer
  return { api, drafts, view, props };
}

const input = (apiName: string) => screen.getByTestId(`field-${apiName}`) as HTMLInputElement;

beforeEach(() => window.localStorage.clear());

describe('New case form', () => {
  it('is prefilled from the message, the current user and the sender’s contact', async () => {
    await setup();
    expect(input('Subject').value).toBe('Printer offline');
    expect(input('Email').value).toBe('anna@example.com');
    expect(input('Reported_By').value).toBe('Anna Kowalska');
    expect(input('Description').value).toBe('Hello,\nmy printer is offline.');
    expect(input('Status')).toHaveTextContent('New');
    expect(input('Case_Origin')).toHaveTextContent('Email');
    expect(input('Owner')).toHaveTextContent('Automatic (assignment rules, else you)');
    await waitFor(() => expect(input('Related_To').value).toBe('Anna Kowalska'));
    expect(input('Account_Name').value).toBe('Acme Sp. z o.o.');
  });

  it('labels fields from the shared model in the pane’s language', async () => {
    await setup({}, 'pl');
    expect(screen.getByLabelText(/^Temat/)).toBe(input('Subject'));
    expect(screen.getByRole('button', { name: 'Zapisz sprawę' })).toBeInTheDocument();
  });

  it('shows a character counter only from 80 % of the limit, counting code points', async () => {
    await setup();
    expect(screen.queryByText(`15 of ${LIMITS.Subject} characters`)).not.toBeInTheDocument();
    fireEvent.change(input('Subject'), { target: { value: '打'.repeat(203) + '😀' } });
    expect(screen.getByText(`204 of ${LIMITS.Subject} characters`)).toBeInTheDocument();
    fireEvent.change(input('Subject'), { target: { value: '打'.repeat(203) } });
    expect(screen.queryByText(/of 255 characters/)).not.toBeInTheDocument();
  });

  it('flags text over the limit and refuses to send it', async () => {
    const { api } = await setup();
    fireEvent.change(input('Subject'), { target: { value: 'x'.repeat(LIMITS.Subject + 3) } });
    expect(
      screen.getByText(`${LIMITS.Subject + 3} of ${LIMITS.Subject} characters: 3 too many`),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('save-case'));
    expect(screen.getByText(`Subject may have at most ${LIMITS.Subject} characters.`)).toBeInTheDocument();
    expect(api.createCaseFromEmail).not.toHaveBeenCalled();
    expect(input('Subject')).toHaveFocus();
  });

  it('cuts a body longer than the Description limit and says so', async () => {
    const body = 'a'.repeat(LIMITS.Description) + 'TAIL';
    await setup({ message: aMessage({ bodyText: body }) });
    expect(input('Description').value).toHaveLength(LIMITS.Description);
    expect(input('Description').value.endsWith('TAIL')).toBe(false);
    expect(screen.getByTestId('description-truncated-notice')).toHaveTextContent(
      `longer than ${LIMITS.Description} characters`,
    );
  });

  it('shows no truncation notice for a body within the limit', async () => {
    await setup({ message: aMessage({ bodyText: 'a'.repeat(LIMITS.Description) }) });
    expect(screen.queryByTestId('description-truncated-notice')).toBeNull();
  });

  it('validates with validateCase before sending: required subject, email for Email origin, email format', async () => {
    const { api } = await setup();
    fireEvent.change(input('Subject'), { target: { value: '' } });
    fireEvent.change(input('Email'), { target: { value: '' } });
    await userEvent.click(screen.getByTestId('save-case'));
    expect(screen.getByText('Subject is required.')).toBeInTheDocument();
    expect(screen.getByText('Email is required.')).toBeInTheDocument();
    expect(api.createCaseFromEmail).not.toHaveBeenCalled();

    fireEvent.change(input('Subject'), { target: { value: 'Printer' } });
    expect(screen.queryByText('Subject is required.')).toBeNull();
    fireEvent.change(input('Email'), { target: { value: 'not an address' } });
    await userEvent.click(screen.getByTestId('save-case'));
    expect(screen.getByText('Email is not a valid email address.')).toBeInTheDocument();
    expect(api.createCaseFromEmail).not.toHaveBeenCalled();
  });

  it('saves through from_email with the case and the message, then shows the case number and status', async () => {
    const onCreated = jest.fn();
    const { api } = await setup({ onCreated });
    api.getCase.mockResolvedValue(aCase({ id: '42', Case_Number: '00001234', Status: 'New' }));
    await waitFor(() => expect(input('Related_To').value).toBe('Anna Kowalska'));
    fireEvent.change(input('Subject'), { target: { value: 'Printer offline on floor 3' } });
    await userEvent.click(screen.getByTestId('save-case'));

    const created = await screen.findByTestId('created-case');
    expect(created).toHaveTextContent('Case 00001234 created');
    expect(created).toHaveTextContent('Status: New');
    expect(api.createCaseFromEmail).toHaveBeenCalledTimes(1);
    const [caseInput, message] = api.createCaseFromEmail.mock.calls[0];
    expect(caseInput).toEqual({
      Subject: 'Printer offline on floor 3',
      Email: 'anna@example.com',
      Reported_By: 'Anna Kowalska',
      Related_To: { id: '500' },
      Account_Name: { id: '700' },
      Status: 'New',
      Case_Origin: 'Email',
      Description: 'Hello,\nmy printer is offline.',
    });
    expect(message).toMatchObject({
      internet_message_id: '<m1@mail.example>',
      conversation_id: 'conv-1',
      from: { name: 'Anna Kowalska', email: 'anna@example.com' },
      subject: 'Printer offline',
      mailbox: ME.email,
    });
    expect(onCreated).toHaveBeenCalledWith({ id: '42', caseNumber: '00001234', duplicate: false });
  });

  it('shows the stored status of a case that already existed (duplicate)', async () => {
    const { api } = await setup();
    api.createCaseFromEmail.mockResolvedValue({ id: '42', caseNumber: '00000777', duplicate: true });
    api.getCase.mockResolvedValue(aCase({ id: '42', Case_Number: '00000777', Status: 'Escalated' }));
    await userEvent.click(screen.getByTestId('save-case'));
    const created = await screen.findByTestId('created-case');
    expect(created).toHaveTextContent('already been converted: case 00000777');
    await waitFor(() => expect(created).toHaveTextContent('Status: Escalated'));
  });

  it('sends once on a double click, with Save disabled while in flight', async () => {
    const { api } = await setup();
    const pending = deferred<CreatedCase>();
    api.createCaseFromEmail.mockReturnValue(pending.promise);
    const save = screen.getByTestId('save-case');
    fireEvent.click(save);
    fireEvent.click(save);
    await userEvent.dblClick(save);
    expect(api.createCaseFromEmail).toHaveBeenCalledTimes(1);
    expect(save).toBeDisabled();
    await act(async () => pending.resolve({ id: '42', caseNumber: '00001234', duplicate: false }));
    expect(await screen.findByTestId('created-case')).toBeInTheDocument();
    expect(api.createCaseFromEmail).toHaveBeenCalledTimes(1);
  });

  it('keeps the draft when the network fails and Retry saves it', async () => {
    const { api, drafts } = await setup();
    api.createCaseFromEmail.mockRejectedValueOnce(new ApiFailure('network', 'ECONNREFUSED'));
    fireEvent.change(input('Subject'), { target: { value: 'Typed by the agent' } });
    await userEvent.click(screen.getByTestId('save-case'));

    const error = await screen.findByTestId('save-error');
    expect(error).toHaveTextContent('could not be reached');
    expect(error).toHaveTextContent('Your draft is kept.');
    expect(input('Subject').value).toBe('Typed by the agent');
    // Persisted for this message: a new store (the pane reopened) finds it.
    expect(createDraftStore().load(KEY)).toMatchObject({
      values: { Subject: 'Typed by the agent' },
      unsent: true,
    });

    await userEvent.click(within(error).getByTestId('retry-save'));
    expect(await screen.findByTestId('created-case')).toHaveTextContent('00001234');
    expect(api.createCaseFromEmail).toHaveBeenCalledTimes(2);
    expect(api.createCaseFromEmail.mock.calls[1][0]).toEqual(api.createCaseFromEmail.mock.calls[0][0]);
    expect(drafts.load(KEY)).toBeNull();
  });

  it.each([
    [new ApiFailure('server', 'boom', { status: 503 }), 'problem (HTTP 503)'],
    [new ApiFailure('unauthorized', 'expired', { status: 401 }), 'sign-in expired'],
    [new ApiFailure('rate-limited', 'slow down', { status: 429 }), 'Too many requests'],
  ])('offers Retry after %s', async (failure, text) => {
    const { api } = await setup();
    api.createCaseFromEmail.mockRejectedValueOnce(failure);
    await userEvent.click(screen.getByTestId('save-case'));
    const error = await screen.findByTestId('save-error');
    expect(error).toHaveTextContent(text);
    expect(within(error).getByTestId('retry-save')).toBeEnabled();
  });

  it('shows server field errors on their fields, without Retry', async () => {
    const { api } = await setup();
    api.createCaseFromEmail.mockRejectedValueOnce(
      new ApiFailure('validation', 'bad', {
        status: 400,
        fieldErrors: [
          {
            code: 'INVALID_DATA',
            api_name: 'Phone',
            message: 'Phone: at most 50 characters allowed',
            maximum_length: 50,
          },
        ],
      }),
    );
    await userEvent.click(screen.getByTestId('save-case'));
    expect(await screen.findByText('Phone may have at most 50 characters.')).toBeInTheDocument();
    expect(screen.getByTestId('save-error')).toHaveTextContent('Please correct the highlighted fields.');
    expect(screen.queryByTestId('retry-save')).toBeNull();
  });

  it('restores the draft for this message when the pane reopens', async () => {
    const first = await setup();
    fireEvent.change(input('Subject'), { target: { value: 'Half-typed subject' } });
    fireEvent.change(input('Internal_Comments'), { target: { value: 'call back Monday' } });
    first.view.unmount();

    await setup();
    expect(input('Subject').value).toBe('Half-typed subject');
    expect(input('Internal_Comments').value).toBe('call back Monday');
    expect(screen.getByTestId('draft-restored')).toBeInTheDocument();

    await userEvent.click(screen.getByTestId('discard-draft'));
    expect(input('Subject').value).toBe('Printer offline');
    expect(createDraftStore().load(KEY)).toBeNull();
  });

  it('a contact lookup answering late cannot bring back a discarded draft', async () => {
    createDraftStore().save(KEY, {
      values: { Subject: 'Half-typed subject' },
      lookups: {},
      descriptionTruncated: false,
      unsent: false,
    });
    // The draft has no contact yet, so the form looks it up; the answer lands while the agent clicks Discard.
    renderIn(<NewCaseForm message={aMessage()} draftKey={KEY} mailbox={null} />, {
      session: { users: [ME] },
    });
    expect(input('Subject').value).toBe('Half-typed subject');
    await userEvent.click(screen.getByTestId('discard-draft'));
    await act(async () => undefined);
    expect(input('Subject').value).toBe('Printer offline');
    expect(createDraftStore().load(KEY)).toBeNull();
  });

  it('does not restore another message’s draft', async () => {
    createDraftStore().save('<other@mail.example>', {
      values: { Subject: 'Other' },
      lookups: {},
      descriptionTruncated: false,
      unsent: false,
    });
    await setup();
    expect(input('Subject').value).toBe('Printer offline');
    expect(screen.queryByTestId('draft-restored')).toBeNull();
  });

  it('offers to create the contact when none has the sender’s address', async () => {
    const { api } = await setup({ api: fakeApi({ searchContacts: async () => [] }) });
    const create = await screen.findByTestId('create-contact');
    expect(screen.getByText('No contact has the address anna@example.com.')).toBeInTheDocument();
    await userEvent.click(create);
    await waitFor(() => expect(input('Related_To').value).toBe('Anna Kowalska'));
    expect(api.createContact).toHaveBeenCalledWith({
      First_Name: 'Anna',
      Last_Name: 'Kowalska',
      Email: 'anna@example.com',
    });
    expect(screen.queryByTestId('create-contact')).toBeNull();
  });

  it('lets the agent choose another owner and clear the contact', async () => {
    const { api } = await setup();
    await waitFor(() => expect(input('Related_To').value).toBe('Anna Kowalska'));
    // fireEvent rather than userEvent: the same interactions, without userEvent's per-event cost on a 20-field form.
    fireEvent.click(input('Owner'));
    fireEvent.click(await screen.findByText('Bea Manager', { selector: '[role="option"]' }));
    expect(input('Owner')).toHaveTextContent('Bea Manager');
    fireEvent.click(document.querySelector('button[aria-label="Clear Related To"]')!);
    expect(input('Related_To').value).toBe('');
    fireEvent.click(screen.getByTestId('save-case'));
    await screen.findByTestId('created-case');
    const [caseInput] = api.createCaseFromEmail.mock.calls[0];
    expect(caseInput.Owner).toEqual({ id: OTHER.id });
    expect(caseInput.Related_To).toBeUndefined();
  });

  it('hands a chosen owner back to the assignment rules with "Automatic"', async () => {
    const { api } = await setup();
    fireEvent.click(input('Owner'));
    fireEvent.click(await screen.findByText('Bea Manager', { selector: '[role="option"]' }));
    fireEvent.click(input('Owner'));
    fireEvent.click(
      await screen.findByText('Automatic (assignment rules, else you)', { selector: '[role="option"]' }),
    );
    expect(input('Owner')).toHaveTextContent('Automatic (assignment rules, else you)');
    fireEvent.click(screen.getByTestId('save-case'));
    await screen.findByTestId('created-case');
    expect('Owner' in api.createCaseFromEmail.mock.calls[0][0]).toBe(false);
  });

  it('renders admin custom fields with their limits and sends them', async () => {
    const custom = {
      apiName: 'Contract_Ref',
      label: { en: 'Contract ref', pl: 'Nr umowy', 'zh-CN': '合同编号' },
      type: 'text' as const,
      maxLength: 10,
      custom: true,
    };
    const { api } = await setup({ fields: [...STANDARD_FIELDS, custom] });
    fireEvent.change(input('Contract_Ref'), { target: { value: 'C-1234-56' } });
    expect(screen.getByText('9 of 10 characters')).toBeInTheDocument();
    fireEvent.change(input('Contract_Ref'), { target: { value: 'C-1' } });
    await userEvent.click(screen.getByTestId('save-case'));
    await screen.findByTestId('created-case');
    expect(api.createCaseFromEmail.mock.calls[0][0]).toMatchObject({ Contract_Ref: 'C-1' });
  });

  it('renders message content as text, never as HTML', async () => {
    await setup({
      message: aMessage({
        subject: '<img src=x onerror="alert(1)">',
        bodyText: '<script>alert(1)</script> javascript:alert(1)',
      }),
    });
    expect(input('Subject').value).toBe('<img src=x onerror="alert(1)">');
    expect(document.querySelector('img, script, a[href^="javascript"]')).toBeNull();
  });
});
