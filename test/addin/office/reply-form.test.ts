/**
 * The adapter's reply form (issue 16, item 2): Outlook's MessageRead.displayReplyForm (Mailbox 1.0) or
 * displayReplyFormAsync (1.9), only for the message the agent pressed Reply on, never over Outlook's 32 KB body limit.
 */
import { mockOutlook } from './office-mock';
import { createMailHost } from '../../../src/addin/office/mail-host';

type Cb = (r: { status: string; value?: unknown; error?: { message: string; code: number } }) => void;

const office = (item: Record<string, unknown> | null, mailboxSet = '1.15') =>
  mockOutlook({ item }, mailboxSet);

const ref = { itemId: 'AAMk-1', internetMessageId: '<m1@example.com>' };

describe('Office adapter: the reply form', () => {
  it('uses displayReplyFormAsync on Mailbox 1.9 and later, with the body the pane wrote', async () => {
    const bodies: string[] = [];
    const host = createMailHost(
      office({
        itemType: 'message',
        itemId: 'AAMk-1',
        subject: 'Printer',
        displayReplyForm: () => bodies.push('sync'),
        displayReplyFormAsync: (body: string, cb: Cb) => {
          bodies.push(body);
          cb({ status: 'succeeded' });
        },
      }),
    );
    expect(host.canReply()).toBe(true);
    await expect(host.displayReply(ref, '<p>[Case #00000001]</p>')).resolves.toBe(true);
    expect(bodies).toEqual(['<p>[Case #00000001]</p>']);
  });

  it('falls back to displayReplyForm (Mailbox 1.0) below 1.9', async () => {
    const bodies: string[] = [];
    const host = createMailHost(
      office(
        {
          itemType: 'message',
          itemId: 'AAMk-1',
          subject: 'Printer',
          displayReplyForm: (body: string) => bodies.push(body),
          displayReplyFormAsync: () => bodies.push('async: not in 1.8'),
        },
        '1.8',
      ),
    );
    await expect(host.displayReply(ref, '<p>x</p>')).resolves.toBe(true);
    expect(bodies).toEqual(['<p>x</p>']);
  });

  it('says false for another open message, a body over 32 KB, a refusal, a throw, and a message being written', async () => {
    const calls: string[] = [];
    const item = (over: Record<string, unknown>) => ({
      itemType: 'message',
      itemId: 'AAMk-1',
      subject: 'Printer',
      displayReplyForm: () => calls.push('sync'),
      ...over,
    });
    const other = createMailHost(office(item({ itemId: 'AAMk-2' })));
    await expect(other.displayReply(ref, '<p>x</p>')).resolves.toBe(false);
    const open = createMailHost(office(item({})));
    await expect(open.displayReply(ref, 'x'.repeat(32 * 1024 + 1))).resolves.toBe(false);
    expect(calls).toEqual([]);
    const refused = createMailHost(
      office(
        item({
          displayReplyFormAsync: (_: string, cb: Cb) =>
            cb({ status: 'failed', error: { message: 'no', code: 5000 } }),
        }),
      ),
    );
    await expect(refused.displayReply(ref, '<p>x</p>')).resolves.toBe(false);
    const throwing = createMailHost(
      office(
        item({
          displayReplyForm: () => {
            throw new Error('Sys.ArgumentException');
          },
        }),
        '1.8',
      ),
    );
    await expect(throwing.displayReply(ref, '<p>x</p>')).resolves.toBe(false);
    // MessageCompose has no reply form: the subject is an object with getAsync there.
    const compose = createMailHost(office({ itemType: 'message', subject: { getAsync: () => undefined } }));
    expect(compose.canReply()).toBe(false);
    await expect(compose.displayReply(ref, '<p>x</p>')).resolves.toBe(false);
  });
});
