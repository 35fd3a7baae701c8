/**
 * A status change re-tags the case's other messages in this mailbox (issue 16, item 6) — only those Outlook can
 * load, never the open one twice, never another mailbox's items, and not at all where nothing can be loaded.
 */
import type { CaseEmailRecord } from '../../../src/addin/api/records';
import { tagThreadStatus } from '../../../src/addin/taskpane/thread-status';

const email = (over: Partial<CaseEmailRecord>): CaseEmailRecord =>
  ({
    id: 'e',
    case_id: '1',
    internet_message_id: '<m@example.com>',
    conversation_id: null,
    item_id: null,
    mailbox: 'agent@casepane.test',
    from: { name: null, email: 'c@example.com' },
    to: [],
    cc: [],
    subject: null,
    sent_time: null,
    body_text: null,
    ...over,
  }) as CaseEmailRecord;

const emails = [
  email({ item_id: 'OPEN', internet_message_id: '<open@x>' }),
  email({ item_id: 'B', internet_message_id: '<b@x>' }),
  email({ item_id: 'B', internet_message_id: '<b-again@x>' }),
  email({ item_id: 'C', internet_message_id: '<c@x>', mailbox: 'AGENT@casepane.test' }),
  email({ item_id: 'D', internet_message_id: '<d@x>', mailbox: 'support@casepane.test' }),
  email({ item_id: null, internet_message_id: '<captured@x>' }),
];
const change = { caseId: '1', status: 'On Hold', mailbox: 'agent@casepane.test', openItemId: 'OPEN' };

describe('tagThreadStatus', () => {
  it('sets the status on each other message of this mailbox, one at a time', async () => {
    const tagged: string[] = [];
    const host = {
      canLoadOtherItems: () => true,
      setCaseStatusCategory: jest.fn(async (ref: { itemId: string }, status: string) => {
        tagged.push(`${ref.itemId}:${status}`);
        return 'done' as const;
      }),
    };
    const outcomes = await tagThreadStatus(host, { caseEmails: async () => emails }, change);
    expect(tagged).toEqual(['B:On Hold', 'C:On Hold']);
    expect(outcomes).toEqual(['done', 'done']);
  });

  it('asks nothing where Outlook cannot load another item, and never rejects when the list fails', async () => {
    const caseEmails = jest.fn(async () => emails);
    const set = jest.fn(async () => 'done' as const);
    await expect(
      tagThreadStatus({ canLoadOtherItems: () => false, setCaseStatusCategory: set }, { caseEmails }, change),
    ).resolves.toEqual([]);
    expect(caseEmails).not.toHaveBeenCalled();
    await expect(
      tagThreadStatus(
        { canLoadOtherItems: () => true, setCaseStatusCategory: set },
        { caseEmails: async () => Promise.reject(new Error('503')) },
        change,
      ),
    ).resolves.toEqual([]);
    expect(set).not.toHaveBeenCalled();
  });
});
