import { OfficeMockObject } from './office-mock';
import { createMailHost } from '../../../src/addin/office/mail-host';

type Result = { status: string; value?: unknown; error?: { code: number; message: string } };
type Cb = (r: Result) => void;
const ok = (value?: unknown): Result => ({ status: 'succeeded', value });

function office(item: Record<string, unknown>, extra: { mailbox?: Record<string, unknown>; sets?: string[] } = {}) {
  const sets = extra.sets ?? ['Mailbox 1.8', 'Mailbox 1.13', 'Mailbox 1.15'];
  const data = {
    host: 'outlook',
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    CoercionType: { Text: 'text' },
    EventType: { ItemChanged: 'olkItemSelectedChanged' },
    MailboxEnums: { CategoryColor: { Preset7: 'Preset7' } },
    onReady: async () => ({}),
    context: {
      displayLanguage: 'en-US',
      requirements: { isSetSupported: (name: string, version: string) => sets.includes(`${name} ${version}`) },
      mailbox: {
        userProfile: { displayName: 'Agent Smith', emailAddress: 'agent@casepane.test' },
        addHandlerAsync: (_t: string, _h: () => void, cb?: Cb) => cb?.(ok()),
        item,
        ...extra.mailbox,
      },
    },
  };
  return new OfficeMockObject(data) as unknown as typeof Office;
}

const readItem = (over: Record<string, unknown> = {}) => ({
  itemType: 'message',
  itemId: 'AAMk1',
  internetMessageId: '<a@x>',
  conversationId: 'C1',
  subject: 'Printer offline [Case #00001234]',
  from: { displayName: 'Anna', emailAddress: 'anna@example.com' },
  to: [],
  cc: [],
  dateTimeCreated: new Date('2026-11-20T10:15:00Z'),
  attachments: [],
  body: { getAsync: (_t: string, cb: Cb) => cb(ok('Body')) },
  ...over,
});

describe('Office adapter: attachments, compose, categories, shared and multi-select', () => {
  it('reads an attachment as base64, encodes attached messages, refuses cloud links', async () => {
    const contents: Record<string, unknown> = {
      f: { format: 'base64', content: 'aGVsbG8=' },
      e: { format: 'eml', content: 'Subject: hi' },
      u: { format: 'url', content: 'https://files/x' },
    };
    const host = createMailHost(office(readItem({ getAttachmentContentAsync: (id: string, cb: Cb) => cb(ok(contents[id])) })));
    await expect(host.getAttachmentContent('f')).resolves.toBe('aGVsbG8=');
    await expect(host.getAttachmentContent('e')).resolves.toBe(btoa('Subject: hi'));
    await expect(host.getAttachmentContent('u')).rejects.toMatchObject({ name: 'OfficeError', kind: 'attachment-unavailable' });
  });

  it('turns a failed attachment read into an OfficeError', async () => {
    const host = createMailHost(
      office(readItem({ getAttachmentContentAsync: (_id: string, cb: Cb) => cb({ status: 'failed', error: { code: 9017, message: 'too big' } }) })),
    );
    await expect(host.getAttachmentContent('f')).rejects.toMatchObject({ kind: 'attachment-unavailable', officeCode: 9017 });
  });

  it('tells read from compose by the item itself', async () => {
    expect(createMailHost(office(readItem())).itemMode()).toBe('read');
    const compose = createMailHost(office({ itemType: 'message', subject: { getAsync: (cb: Cb) => cb(ok('Re: x')), setAsync: () => undefined } }));
    expect(compose.itemMode()).toBe('compose');
    await expect(compose.readCurrentMessage()).resolves.toBeNull();
  });

  it('reads and sets the compose subject, reads recipients, inserts text as text', async () => {
    let subject = 'Re: Printer offline';
    const inserted: unknown[] = [];
    const item = {
      itemType: 'message',
      subject: { getAsync: (cb: Cb) => cb(ok(subject)), setAsync: (value: string, cb: Cb) => ((subject = value), cb(ok())) },
      to: { getAsync: (cb: Cb) => cb(ok([{ displayName: 'Anna', emailAddress: 'anna@example.com' }])) },
      cc: { getAsync: (cb: Cb) => cb(ok([])) },
      body: { setSelectedDataAsync: (text: string, options: unknown, cb: Cb) => (inserted.push([text, options]), cb(ok())) },
    };
    const host = createMailHost(office(item));
    await expect(host.readCompose()).resolves.toEqual({ subject: 'Re: Printer offline', to: [{ name: 'Anna', email: 'anna@example.com' }], cc: [] });
    await host.setComposeSubject('Re: Printer offline [Case #00001234]');
    expect(subject).toBe('Re: Printer offline [Case #00001234]');
    await host.insertComposeText('Replace the toner.');
    expect(inserted).toEqual([['Replace the toner.', { coercionType: 'text' }]]);
  });

  it('adds the category to the master list and the message', async () => {
    const master: unknown[] = [];
    const tagged: unknown[] = [];
    const host = createMailHost(
      office(readItem({ categories: { addAsync: (names: string[], cb: Cb) => (tagged.push(names), cb(ok())) } }), {
        mailbox: { masterCategories: { addAsync: (cats: unknown[], cb: Cb) => (master.push(cats), cb(ok())) } },
      }),
    );
    await expect(host.addCaseCategory('00001234')).resolves.toBe(true);
    expect(master).toEqual([[{ displayName: 'Case 00001234', color: 'Preset7' }]]);
    expect(tagged).toEqual([['Case 00001234']]);
  });

  it('still tags when the category exists already, and never rejects', async () => {
    const tagged: unknown[] = [];
    const host = createMailHost(
      office(readItem({ categories: { addAsync: (names: string[], cb: Cb) => (tagged.push(names), cb(ok())) } }), {
        mailbox: { masterCategories: { addAsync: (_c: unknown, cb: Cb) => cb({ status: 'failed', error: { code: 9045, message: 'DuplicateCategory' } }) } },
      }),
    );
    await expect(host.addCaseCategory('1')).resolves.toBe(true);
    expect(tagged).toHaveLength(1);
    const failing = createMailHost(
      office(readItem({ categories: { addAsync: () => { throw new Error('no permission'); } } }), { mailbox: { masterCategories: undefined } }),
    );
    await expect(failing.addCaseCategory('1')).resolves.toBe(false);
    const old = createMailHost(office(readItem({ categories: { addAsync: () => undefined } }), { sets: [] }));
    await expect(old.addCaseCategory('1')).resolves.toBe(false);
  });

  it('removes the case category from the message, best effort', async () => {
    const removed: string[][] = [];
    const categories = { addAsync: (_n: string[], cb: Cb) => cb(ok()), removeAsync: (names: string[], cb: Cb) => (removed.push(names), cb(ok())) };
    const host = createMailHost(office(readItem({ categories })));
    await expect(host.removeCaseCategory('00001234')).resolves.toBe(true);
    expect(removed).toEqual([['Case 00001234']]);
    const refused = createMailHost(
      office(readItem({ categories: { removeAsync: (_n: string[], cb: Cb) => cb({ status: 'failed', error: { code: 9000, message: 'no' } }) } })),
    );
    await expect(refused.removeCaseCategory('1')).resolves.toBe(false);
    const throwing = createMailHost(office(readItem({ categories: { removeAsync: () => { throw new Error('no permission'); } } })));
    await expect(throwing.removeCaseCategory('1')).resolves.toBe(false);
    const old = createMailHost(office(readItem({ categories }), { sets: [] }));
    await expect(old.removeCaseCategory('1')).resolves.toBe(false);
    const none = createMailHost(office(readItem()));
    await expect(none.removeCaseCategory('1')).resolves.toBe(false);
  });

  it('records the owner of a shared mailbox', async () => {
    const host = createMailHost(
      office(readItem({ getSharedPropertiesAsync: (cb: Cb) => cb(ok({ owner: 'support@casepane.test', targetMailbox: 'x', delegatePermissions: 1 })) })),
    );
    await expect(host.readCurrentMessage()).resolves.toMatchObject({ sharedMailbox: 'support@casepane.test' });
    const own = await createMailHost(office(readItem())).readCurrentMessage();
    expect(own?.sharedMailbox).toBeUndefined();
  });

  it('reads every selected message when the host supports multi-select', async () => {
    const items: Record<string, Record<string, unknown>> = {
      A: readItem({ itemId: 'A', internetMessageId: '<a@x>' }),
      B: readItem({ itemId: 'B', internetMessageId: '<b@x>' }),
    };
    const unloaded: string[] = [];
    const host = createMailHost(
      office(readItem(), {
        mailbox: {
          getSelectedItemsAsync: (cb: Cb) => cb(ok([{ itemId: 'A', itemType: 'message' }, { itemId: 'B', itemType: 'message' }])),
          loadItemByIdAsync: (id: string, cb: Cb) => cb(ok({ ...items[id], unloadAsync: (done: () => void) => (unloaded.push(id), done()) })),
        },
      }),
    );
    expect(host.supportsMultiSelect()).toBe(true);
    const messages = await host.readSelectedMessages();
    expect(messages.map((m) => m.internetMessageId)).toEqual(['<a@x>', '<b@x>']);
    expect(unloaded).toEqual(['A', 'B']);
    expect(createMailHost(office(readItem(), { sets: ['Mailbox 1.8'] })).supportsMultiSelect()).toBe(false);
  });
});
