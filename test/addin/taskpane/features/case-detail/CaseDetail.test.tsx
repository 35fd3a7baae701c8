import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ApiFailure } from '../../../../../src/addin/api/errors';
import type { CasesApi } from '../../../../../src/addin/api/client';
import { createCaseDraftStore, type DraftStore } from '../../../../../src/addin/storage/drafts';
import {
  CaseDetail,
  CaseDetailProps,
} from '../../../../../src/addin/taskpane/features/case-detail/CaseDetail';
import { LIMITS, STANDARD_FIELDS } from '../../../../../src/shared/case-fields';
import { ME, OTHER, aCase, fakeApi, renderIn } from '../../helpers';

jest.setTimeout(20_000);

const CASE = aCase({
  id: '7',
  Case_Number: '00000007',
  $version: 3,
  Internal_Comments: 'first note',
  Description: '<b>not html</b>',
});

const NOTE = {
  id: 'n1',
  Note_Title: null,
  Note_Content: 'Called the customer',
  Created_By: { id: ME.id, name: ME.full_name },
  Created_Time: '2026-11-22T10:00:00.000Z',
  Modified_Time: '2026-11-22T10:00:00.000Z',
};

async function setup(
  overrides: Partial<{ [K in keyof CasesApi]: CasesApi[K] }> = {},
  language: 'en' | 'pl' | 'zh-CN' = 'en',
  props: Partial<CaseDetailProps> & { drafts?: DraftStore } = {},
) {
  const api = fakeApi({ getCase: async () => CASE, ...overrides });
  const { drafts = createCaseDraftStore(), ...rest } = props;
  const onBack = jest.fn();
  const onOpenCase = jest.fn();
  renderIn(<CaseDetail caseId="7" onBack={onBack} onOpenCase={onOpenCase} {...rest} />, {
    language,
    api,
    caseDrafts: drafts,
    session: { me: ME, users: [ME, OTHER], fields: [...STANDARD_FIELDS] },
  });
  await screen.findByTestId('case-edit-form');
  return { api, drafts, onBack, onOpenCase };
}

const field = (apiName: string) => screen.getByTestId(`case-field-${apiName}`) as HTMLInputElement;
const open = (name: string) => fireEvent.click(screen.getByRole('button', { name }));

beforeEach(() => window.localStorage.clear());

describe('Case detail', () => {
  it('shows the case, its text as plain text, and the working fields with counters from LIMITS', async () => {
    await setup();
    expect(screen.getByTestId('case-header')).toHaveTextContent('Case 00000007');
    expect(screen.getByTestId('case-description').textContent).toBe('<b>not html</b>');
    expect(field('Status')).toHaveTextContent('New');
    expect(field('Owner')).toHaveTextContent('Agent Smith');
    expect(field('Internal_Comments').value).toBe('first note');
    expect(screen.getByText(`10 of ${LIMITS.Internal_Comments} characters`)).toBeInTheDocument();
    expect(screen.getAllByText(`0 of ${LIMITS.Solution} characters`)).toHaveLength(2); // Solution and Add Comment
    expect(screen.getByTestId('case-save')).toBeDisabled();
  });

  it('saves only what changed, with the $version it read, then shows the stored case', async () => {
    const stored = { ...CASE, Status: 'On Hold' as const, Internal_Comments: 'called back', $version: 4 };
    let reads = 0;
    const { api } = await setup({ getCase: async () => (reads++ === 0 ? CASE : stored) });
    fireEvent.click(field('Status'));
    fireEvent.click(await screen.findByText('On Hold', { selector: '[role="option"]' }));
    fireEvent.change(field('Internal_Comments'), { target: { value: 'called back' } });
    fireEvent.click(field('Owner'));
    fireEvent.click(await screen.findByText('Bea Manager', { selector: '[role="option"]' }));
    fireEvent.click(screen.getByTestId('case-save'));
    await screen.findByTestId('case-saved');
    expect(api.updateCase).toHaveBeenCalledWith(
      '7',
      { Status: 'On Hold', Internal_Comments: 'called back', Owner: { id: OTHER.id } },
      3,
    );
    expect(screen.getByTestId('case-detail')).toHaveAttribute('data-case-version', '4');
    expect(screen.getByTestId('case-save')).toBeDisabled();
  });

  it('refuses text over the limit before sending', async () => {
    const { api } = await setup();
    fireEvent.change(field('Internal_Comments'), {
      target: { value: 'x'.repeat(LIMITS.Internal_Comments + 1) },
    });
    fireEvent.click(screen.getByTestId('case-save'));
    expect(
      await screen.findByText(`Internal Comments may have at most ${LIMITS.Internal_Comments} characters.`),
    ).toBeInTheDocument();
    expect(api.updateCase).not.toHaveBeenCalled();
  });

  it('on 409 shows the conflict, keeps the typed text, and after Reload saves over the new version', async () => {
    const theirs = {
      ...CASE,
      Status: 'Escalated' as const,
      $version: 5,
      Modified_By: { id: OTHER.id, name: OTHER.full_name },
    };
    let reads = 0;
    let writes = 0;
    const { api, drafts } = await setup({
      getCase: async () => (reads++ === 0 ? CASE : theirs),
      updateCase: async (_id, _changes, version) => {
        if (writes++ === 0)
          throw new ApiFailure('conflict', 'changed', { status: 409, code: 'CONFLICT', currentVersion: 5 });
        return { version: version + 1, modifiedTime: '' };
      },
    });
    fireEvent.change(field('Solution'), { target: { value: 'Replace the toner.' } });
    fireEvent.click(field('Status'));
    fireEvent.click(await screen.findByText('Closed', { selector: '[role="option"]' }));
    fireEvent.click(screen.getByTestId('case-save'));
    const conflict = await screen.findByTestId('case-conflict');
    expect(conflict).toHaveTextContent('Someone else changed this case');
    expect(field('Solution').value).toBe('Replace the toner.');
    expect(drafts.load('7')?.values.Solution).toBe('Replace the toner.'); // survives closing the pane

    fireEvent.click(within(conflict).getByTestId('case-reload'));
    const reloaded = await screen.findByTestId('case-reloaded');
    expect(reloaded).toHaveTextContent('Status is now “Escalated”.'); // their change to a field the agent also edited
    expect(field('Solution').value).toBe('Replace the toner.');
    expect(field('Status')).toHaveTextContent('Closed');
    fireEvent.click(screen.getByTestId('case-save'));
    await screen.findByTestId('case-saved');
    expect(api.updateCase).toHaveBeenLastCalledWith(
      '7',
      { Solution: 'Replace the toner.', Status: 'Closed' },
      5,
    );
    expect(drafts.load('7')).toBeNull();
  });

  it('keeps the text after a failed save and restores it when the case is opened again', async () => {
    await setup({ updateCase: async () => Promise.reject(new ApiFailure('network', 'down')) });
    fireEvent.change(field('Add_Comment'), { target: { value: 'Customer confirmed.' } });
    fireEvent.click(screen.getByTestId('case-save'));
    expect(await screen.findByTestId('case-save-error')).toHaveTextContent('Your changes are kept.');
    expect(field('Add_Comment').value).toBe('Customer confirmed.');
  });

  it('restores unsaved edits from the draft store', async () => {
    const drafts = createCaseDraftStore();
    drafts.save('7', {
      values: { Solution: 'half-written' },
      lookups: {},
      descriptionTruncated: false,
      unsent: false,
    });
    await setup({}, 'en', { drafts });
    expect(screen.getByTestId('case-draft-restored')).toBeInTheDocument();
    expect(field('Solution').value).toBe('half-written');
    fireEvent.click(screen.getByTestId('case-discard-draft'));
    expect(field('Solution').value).toBe('');
  });

  it('renders the timeline with localized actions, who, and field old → new', async () => {
    await setup(
      {
        timeline: async () => [
          {
            id: 't2',
            action: 'updated',
            done_by: { id: OTHER.id, name: 'Bea Manager' },
            audited_time: '2026-11-22T10:00:00.000Z',
            field_history: [{ api_name: 'Status', _value: { old: 'New', new: 'On Hold' } }],
          },
          {
            id: 't1',
            action: 'email_linked',
            done_by: null,
            audited_time: '2026-11-21T09:00:00.000Z',
            field_history: [],
          },
        ],
      },
      'pl',
    );
    const timeline = await screen.findByTestId('case-timeline');
    await within(timeline).findByTestId('timeline-t2');
    expect(within(timeline).getByTestId('timeline-t2')).toHaveTextContent('Zaktualizowano sprawę');
    expect(within(timeline).getByTestId('timeline-t2')).toHaveTextContent('Bea Manager');
    expect(within(timeline).getByTestId('timeline-t2')).toHaveTextContent('Status: Nowa → Wstrzymana');
    expect(within(timeline).getByTestId('timeline-t1')).toHaveTextContent('Połączono wiadomość');
    expect(within(timeline).getByTestId('timeline-t1')).toHaveTextContent('System');
  });

  it('adds a note and reloads the list and the history', async () => {
    const { api } = await setup({ notes: async () => [NOTE] });
    open('Notes');
    await screen.findByTestId('note-n1');
    fireEvent.change(screen.getByTestId('note-title-input'), { target: { value: 'Call' } });
    fireEvent.change(screen.getByTestId('note-content-input'), { target: { value: 'Left a voicemail' } });
    fireEvent.click(screen.getByTestId('note-add'));
    await waitFor(() =>
      expect(api.addNote).toHaveBeenCalledWith('7', { Note_Title: 'Call', Note_Content: 'Left a voicemail' }),
    );
    await waitFor(() => expect(api.notes).toHaveBeenCalledTimes(2));
    await waitFor(() =>
      expect((screen.getByTestId('note-content-input') as HTMLTextAreaElement).value).toBe(''),
    );
    expect(api.timeline.mock.calls.length).toBeGreaterThanOrEqual(2);
  });

  it('shows a reopened section from what it loaded; a change anywhere loads every list again', async () => {
    const { api } = await setup({ notes: async () => [NOTE] });
    open('Notes');
    await screen.findByTestId('note-n1');
    open('Notes'); // collapsed: Fluent's AccordionPanel unmounts the list
    await waitFor(() => expect(screen.queryByTestId('note-n1')).not.toBeInTheDocument());
    open('Notes');
    // At once (no loading state in between), and without asking the server again.
    expect(screen.getByTestId('note-n1')).toBeInTheDocument();
    expect(api.notes).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(api.timeline).toHaveBeenCalledTimes(1));

    // A save of the case's fields is a change: the open lists load again, a collapsed one when next opened.
    fireEvent.change(field('Internal_Comments'), { target: { value: 'called again' } });
    fireEvent.click(screen.getByTestId('case-save'));
    await screen.findByTestId('case-saved');
    await waitFor(() => expect(api.notes).toHaveBeenCalledTimes(2));
    await waitFor(() => expect(api.timeline).toHaveBeenCalledTimes(2));
    expect(api.attachments).not.toHaveBeenCalled();
    open('Attachments');
    await waitFor(() => expect(api.attachments).toHaveBeenCalledTimes(1));
  });

  it('adds a task with a due date and completes an open one', async () => {
    const task = {
      id: 'a1',
      Activity_Type: 'Tasks' as const,
      Subject: 'Send toner',
      Due_Date: '2026-11-30T00:00:00.000Z',
      End_DateTime: null,
      Status: 'Not Started',
      Description: null,
      Owner: { id: ME.id, name: ME.full_name },
      Created_Time: '',
      Closed_Time: null,
    };
    const { api } = await setup({ activities: async (_id, which) => (which === 'open' ? [task] : []) });
    open('Activities');
    await screen.findByTestId('activity-a1');
    fireEvent.change(screen.getByTestId('activity-subject'), { target: { value: 'Call back' } });
    fireEvent.change(screen.getByTestId('activity-due'), { target: { value: '2026-12-01' } });
    fireEvent.click(screen.getByTestId('activity-add'));
    await waitFor(() =>
      expect(api.addActivity).toHaveBeenCalledWith('7', {
        Activity_Type: 'Tasks',
        Subject: 'Call back',
        Due_Date: '2026-12-01',
        Owner: { id: ME.id },
      }),
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Complete Send toner' }));
    await waitFor(() => expect(api.completeActivity).toHaveBeenCalledWith('a1'));
  });

  it('unlinks an email after confirmation and moves another to a case found by number', async () => {
    const link = (id: string, subject: string) => ({
      id,
      case_id: '7',
      internet_message_id: `<${id}@x>`,
      conversation_id: null,
      item_id: null,
      mailbox: null,
      from: { name: 'Anna', email: 'anna@example.com' },
      to: [],
      cc: [],
      subject,
      sent_time: '2026-11-21T09:00:00.000Z',
      body_text: null,
      linked_time: '2026-11-21T09:00:00.000Z',
      linked_by: { id: ME.id, name: ME.full_name },
    });
    const { api } = await setup({
      caseEmails: async () => [link('11', 'Printer offline'), link('12', 'Other topic')],
      searchCases: async () => [aCase({ id: '8', Case_Number: '00000008' })],
    });
    open('Emails');
    await screen.findByTestId('case-email-11');
    fireEvent.click(screen.getByTestId('email-unlink-11'));
    expect(api.unlinkEmail).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId('email-unlink-confirm-11'));
    await waitFor(() => expect(api.unlinkEmail).toHaveBeenCalledWith('7', '11'));

    fireEvent.click(await screen.findByTestId('email-move-12'));
    fireEvent.change(screen.getByTestId('email-move-input-12'), { target: { value: '#8' } });
    fireEvent.click(screen.getByTestId('email-move-confirm-12'));
    await waitFor(() => expect(api.moveEmail).toHaveBeenCalledWith('7', '12', '8'));
    expect(api.searchCases).toHaveBeenCalledWith({ criteria: '(Case_Number:equals:8)' });
    expect(await screen.findByTestId('case-email-done')).toHaveTextContent('moved to case 00000008');
  });

  it('clones the case and opens the clone; publishes the Solution only once it is saved', async () => {
    const { api, onOpenCase } = await setup({
      getCase: async () => ({ ...CASE, Solution: 'Replace the toner.' }),
    });
    fireEvent.click(screen.getByTestId('case-clone'));
    await waitFor(() => expect(onOpenCase).toHaveBeenCalledWith('77'));

    expect(screen.getByTestId('case-publish-solution')).toBeEnabled();
    fireEvent.change(field('Solution'), { target: { value: 'edited' } });
    expect(screen.getByTestId('case-publish-solution')).toBeDisabled();
    fireEvent.change(field('Solution'), { target: { value: 'Replace the toner.' } });
    fireEvent.click(screen.getByTestId('case-publish-solution'));
    expect(await screen.findByTestId('solution-published')).toHaveTextContent('Solution 00000003 published.');
    expect(api.publishSolution).toHaveBeenCalledWith('7', { Status: 'Published' });
  });

  it('cannot publish without a Solution', async () => {
    await setup();
    expect(screen.getByTestId('case-publish-solution')).toBeDisabled();
  });

  it('Back returns', async () => {
    const { onBack } = await setup();
    fireEvent.click(screen.getByTestId('case-back'));
    expect(onBack).toHaveBeenCalled();
  });

  it('shows a load failure with Retry', async () => {
    let calls = 0;
    await act(async () => {
      renderIn(<CaseDetail caseId="7" onBack={() => undefined} onOpenCase={() => undefined} />, {
        api: fakeApi({
          getCase: async () => (calls++ === 0 ? Promise.reject(new ApiFailure('network', 'down')) : CASE),
        }),
        session: { users: [ME] },
      });
    });
    const error = await screen.findByTestId('case-load-error');
    fireEvent.click(within(error).getByRole('button', { name: 'Retry' }));
    await screen.findByTestId('case-edit-form');
  });
});
