import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { OfficeError } from '../../../src/addin/office/types';
import { createDraftStore } from '../../../src/addin/storage/drafts';
import { Root } from '../../../src/addin/taskpane/App';
import { MAX_ATTACHMENT_BYTES } from '../../../src/shared/attachments';
import { aCase, aMessage, aSummary, fakeApi, fakeHost } from './helpers';

jest.setTimeout(20_000);

const WITH_FILES = aMessage({
  attachments: [
    { id: 'att-log', name: 'log.txt', size: 12, contentType: 'text/plain', isInline: false },
    { id: 'att-shot', name: 'screen.png', size: 2048, contentType: 'image/png', isInline: false },
    { id: 'att-exe', name: 'fix.exe', size: 100, contentType: 'application/octet-stream', isInline: false },
    { id: 'att-big', name: 'dump.zip', size: MAX_ATTACHMENT_BYTES + 1, contentType: 'application/zip', isInline: false },
    { id: 'att-logo', name: 'logo.png', size: 300, contentType: 'image/png', isInline: true },
  ],
});

beforeEach(() => window.localStorage.clear());

async function start(host = fakeHost(WITH_FILES), api = fakeApi()) {
  render(<Root host={host} api={api} drafts={createDraftStore()} />);
  await screen.findByTestId('new-case-form');
  return { host, api };
}

/** The detail view first renders a loading state under the same test id; wait for the record itself. */
async function expectCaseDetailLoaded(caseNumber: string) {
  await waitFor(() => expect(screen.getByTestId('case-detail')).toHaveAttribute('data-case-number', caseNumber));
}

describe('Attachments, categories and the case detail from the message view', () => {
  it('offers the attachments the backend accepts, and copies the chosen ones after the case is created', async () => {
    const { host, api } = await start();
    const picker = screen.getByTestId('attachment-picker');
    expect(within(picker).queryByText(/logo\.png/)).toBeNull(); // inline signature images are not offered
    expect(screen.getByTestId('attachment-pick-0')).toBeChecked();
    expect(screen.getByTestId('attachment-pick-1')).toBeChecked();
    expect(screen.getByTestId('attachment-pick-2')).toBeDisabled(); // .exe
    expect(screen.getByTestId('attachment-pick-3')).toBeDisabled(); // over 20 MiB
    expect(picker).toHaveTextContent('.exe files are not accepted');
    fireEvent.click(screen.getByTestId('attachment-pick-1')); // the agent leaves the screenshot out

    fireEvent.click(screen.getByTestId('save-case'));
    await screen.findByTestId('created-case');
    await waitFor(() => expect(screen.getByTestId('attachment-progress-0')).toHaveAttribute('data-state', 'done'));
    expect(host.getAttachmentContent).toHaveBeenCalledTimes(1);
    expect(host.getAttachmentContent).toHaveBeenCalledWith(expect.objectContaining({ itemId: expect.any(String) }), 'att-log');
    expect(api.uploadAttachment).toHaveBeenCalledTimes(1);
    const [caseId, file, source] = api.uploadAttachment.mock.calls[0];
    expect(caseId).toBe('42');
    expect(file).toMatchObject({ name: 'log.txt', contentType: 'text/plain' });
    expect(file.data.size).toBe(5); // "hello"
    expect(source).toBe('<m1@mail.example>');
    expect(host.addCaseCategory).toHaveBeenCalledWith(expect.objectContaining({ itemId: expect.any(String) }), '00001234');
  });

  it('shows a per-file error when Outlook cannot give a file, and still uploads the others', async () => {
    const host = fakeHost(WITH_FILES);
    (host.getAttachmentContent as jest.Mock).mockImplementation(async (_ref: unknown, id: string) => {
      if (id === 'att-log') throw new OfficeError('attachment-unavailable', 'Outlook could not read the attachment: busy');
      return 'aGVsbG8=';
    });
    const { api } = await start(host);
    fireEvent.click(screen.getByTestId('save-case'));
    await waitFor(() => expect(screen.getByTestId('attachment-progress-1')).toHaveAttribute('data-state', 'done'));
    expect(screen.getByTestId('attachment-progress-0')).toHaveAttribute('data-state', 'failed');
    expect(screen.getByTestId('attachment-progress-0')).toHaveTextContent('Outlook could not read the attachment');
    expect(api.uploadAttachment).toHaveBeenCalledTimes(1);
  });

  it('tags the message and uploads after linking to an existing case', async () => {
    const api = fakeApi({ searchCases: async () => [aCase({ id: '9', Case_Number: '00000009' })] });
    const { host } = await start(fakeHost(WITH_FILES), api);
    fireEvent.click(screen.getByTestId('tab-link-case'));
    fireEvent.click(await screen.findByTestId('link-case-00000009'));
    await screen.findByTestId('link-success');
    await waitFor(() => expect(api.uploadAttachment).toHaveBeenCalledTimes(2));
    expect(api.uploadAttachment.mock.calls.map((c) => c[0])).toEqual(['9', '9']);
    expect(host.addCaseCategory).toHaveBeenCalledWith(expect.objectContaining({ itemId: expect.any(String) }), '00000009');
  });

  it('a category failure never blocks the save', async () => {
    const host = fakeHost(aMessage());
    (host.addCaseCategory as jest.Mock).mockResolvedValue('failed');
    await start(host);
    fireEvent.click(screen.getByTestId('save-case'));
    expect(await screen.findByTestId('created-case')).toBeInTheDocument();
  });

  it('records the shared mailbox the message came from', async () => {
    const api = fakeApi();
    await start(fakeHost(aMessage({ sharedMailbox: 'support@casepane.test' })), api);
    fireEvent.click(screen.getByTestId('save-case'));
    await screen.findByTestId('created-case');
    expect(api.createCaseFromEmail.mock.calls[0][1].mailbox).toBe('support@casepane.test');
  });

  it('opens a linked case in the detail view and comes back to the message with the form intact', async () => {
    const api = fakeApi({
      linkedCases: async () => [aSummary({ id: '5', Case_Number: '00000005' })],
      getCase: async () => aCase({ id: '5', Case_Number: '00000005' }),
    });
    await start(fakeHost(aMessage()), api);
    fireEvent.change(screen.getByTestId('field-Subject'), { target: { value: 'Typed before opening' } });
    fireEvent.click(await screen.findByTestId('open-case-00000005'));
    await expectCaseDetailLoaded('00000005');
    expect(screen.getByTestId('new-case-form')).not.toBeVisible();
    fireEvent.click(screen.getByTestId('case-back'));
    expect(screen.queryByTestId('case-detail')).toBeNull();
    expect(screen.getByTestId('field-Subject')).toHaveValue('Typed before opening');
  });

  it('opens the case just created', async () => {
    const api = fakeApi({ getCase: async () => aCase({ id: '42', Case_Number: '00001234' }) });
    await start(fakeHost(aMessage()), api);
    fireEvent.click(screen.getByTestId('save-case'));
    fireEvent.click(await screen.findByTestId('open-created-case'));
    await expectCaseDetailLoaded('00001234');
  });

  it('proposes the case the subject refers to first and links it in one click', async () => {
    const api = fakeApi({
      linkedCases: async () => [aSummary({ id: '3', Case_Number: '00000003', match: 'thread' }), aSummary({ id: '9', Case_Number: '00000009', match: 'reference' })],
    });
    const { host } = await start(fakeHost(aMessage({ subject: 'Re: toner [Case #00000009]' })), api);
    const items = (await screen.findAllByTestId(/^linked-case-0/)).map((el) => el.getAttribute('data-testid'));
    expect(items).toEqual(['linked-case-00000009', 'linked-case-00000003']);
    fireEvent.click(screen.getByTestId('linked-case-link-00000009'));
    await waitFor(() => expect(api.linkEmailToCase).toHaveBeenCalledWith('9', expect.objectContaining({ internet_message_id: '<m1@mail.example>' })));
    await waitFor(() => expect(host.addCaseCategory).toHaveBeenCalledWith(expect.objectContaining({ itemId: expect.any(String) }), '00000009'));
    expect(api.linkedCases).toHaveBeenCalledTimes(2); // reloaded: the message now shows as linked
  });

  describe('the Outlook category follows an unlink or move of the open message', () => {
    const link = (id: string, messageId: string) => ({
      id,
      case_id: '5',
      internet_message_id: messageId,
      conversation_id: null,
      item_id: null,
      mailbox: null,
      from: { name: 'Anna', email: 'anna@example.com' },
      to: [],
      cc: [],
      subject: `Email ${id}`,
      sent_time: '2026-11-21T09:00:00.000Z',
      body_text: null,
      linked_time: '2026-11-21T09:00:00.000Z',
      linked_by: { id: '100', name: 'Agent Smith' },
    });
    // The server stores Message-IDs without angle brackets; the open message has them.
    const api = () =>
      fakeApi({
        linkedCases: async () => [aSummary({ id: '5', Case_Number: '00000005' })],
        getCase: async () => aCase({ id: '5', Case_Number: '00000005' }),
        caseEmails: async () => [link('11', 'm1@mail.example'), link('12', '<other@mail.example>')],
        searchCases: async () => [aCase({ id: '8', Case_Number: '00000008' })],
      });
    const openEmails = async () => {
      fireEvent.click(await screen.findByTestId('open-case-00000005'));
      await expectCaseDetailLoaded('00000005');
      fireEvent.click(screen.getByRole('button', { name: 'Emails' }));
      await screen.findByTestId('case-email-11');
    };

    it('unlinking the open message removes its "Case n" category; another message leaves it alone', async () => {
      const { host } = await start(fakeHost(aMessage()), api());
      await openEmails();
      fireEvent.click(screen.getByTestId('email-unlink-12'));
      fireEvent.click(screen.getByTestId('email-unlink-confirm-12'));
      expect(await screen.findByTestId('case-email-done')).toHaveTextContent('unlinked');
      expect(host.removeCaseCategory).not.toHaveBeenCalled();
      fireEvent.click(await screen.findByTestId('email-unlink-11'));
      fireEvent.click(screen.getByTestId('email-unlink-confirm-11'));
      await waitFor(() => expect(host.removeCaseCategory).toHaveBeenCalledWith(expect.objectContaining({ itemId: expect.any(String) }), '00000005'));
      expect(host.addCaseCategory).not.toHaveBeenCalled();
    });

    it('moving the open message swaps the category to the new case', async () => {
      const { host } = await start(fakeHost(aMessage()), api());
      await openEmails();
      fireEvent.click(screen.getByTestId('email-move-11'));
      fireEvent.change(screen.getByTestId('email-move-input-11'), { target: { value: '8' } });
      fireEvent.click(screen.getByTestId('email-move-confirm-11'));
      await waitFor(() => expect(host.addCaseCategory).toHaveBeenCalledWith(expect.objectContaining({ itemId: expect.any(String) }), '00000008'));
      expect(host.removeCaseCategory).toHaveBeenCalledWith(expect.objectContaining({ itemId: expect.any(String) }), '00000005');
      const removeOrder = (host.removeCaseCategory as jest.Mock).mock.invocationCallOrder[0];
      const addOrder = (host.addCaseCategory as jest.Mock).mock.invocationCallOrder[0];
      expect(removeOrder).toBeLessThan(addOrder);
    });
  });
});
