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

/** The message the actions below are bound to: the open one unless a test says otherwise. */
const R = { itemId: 'AAMk1', internetMessageId: '<a@x>' };

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
    await expect(host.getAttachmentContent(R, 'f')).resolves.toBe('aGVsbG8=');
    await expect(host.getAttachmentContent(R, 'e')).resolves.toBe(btoa('Subject: hi'));
    await expect(host.getAttachmentContent(R, 'u')).rejects.toMatchObject({ name: 'OfficeError', kind: 'attachment-unavailable' });
  });

  it('turns a failed attachment read into an OfficeError', async () => {
    const host = createMailHost(
      office(readItem({ getAttachmentContentAsync: (_id: string, cb: Cb) => cb({ status: 'failed', error: { code: 9017, message: 'too big' } }) })),
    );
    await expect(host.getAttachmentContent(R, 'f')).rejects.toMatchObject({ kind: 'attachment-unavailable', officeCode: 9017 });
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
    await expect(host.addCaseCategory(R, '00001234')).resolves.toBe('done');
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
    await expect(host.addCaseCategory(R, '1')).resolves.toBe('done');
    expect(tagged).toHaveLength(1);
    const failing = createMailHost(
      office(readItem({ categories: { addAsync: () => { throw new Error('no permission'); } } }), { mailbox: { masterCategories: undefined } }),
    );
    await expect(failing.addCaseCategory(R, '1')).resolves.toBe('failed');
    const old = createMailHost(office(readItem({ categories: { addAsync: () => undefined } }), { sets: [] }));
    await expect(old.addCaseCategory(R, '1')).resolves.toBe('failed');
  });

  it('removes the case category from the message, best effort', async () => {
    const removed: string[][] = [];
    const categories = { addAsync: (_n: string[], cb: Cb) => cb(ok()), removeAsync: (names: string[], cb: Cb) => (removed.push(names), cb(ok())) };
    const host = createMailHost(office(readItem({ categories })));
    await expect(host.removeCaseCategory(R, '00001234')).resolves.toBe('done');
    expect(removed).toEqual([['Case 00001234']]);
    const refused = createMailHost(
      office(readItem({ categories: { removeAsync: (_n: string[], cb: Cb) => cb({ status: 'failed', error: { code: 9000, message: 'no' } }) } })),
    );
    await expect(refused.removeCaseCategory(R, '1')).resolves.toBe('failed');
    const throwing = createMailHost(office(readItem({ categories: { removeAsync: () => { throw new Error('no permission'); } } })));
    await expect(throwing.removeCaseCategory(R, '1')).resolves.toBe('failed');
    const old = createMailHost(office(readItem({ categories }), { sets: [] }));
    await expect(old.removeCaseCategory(R, '1')).resolves.toBe('failed');
    const none = createMailHost(office(readItem()));
    await expect(none.removeCaseCategory(R, '1')).resolves.toBe('failed');
  });

  it('records the owner of a shared mailbox', async () => {
    const host = createMailHost(
      office(readItem({ getSharedPropertiesAsync: (cb: Cb) => cb(ok({ owner: 'support@casepane.test', targetMailbox: 'x', delegatePermissions: 1 })) })),
    );
    await expect(host.readCurrentMessage()).resolves.toMatchObject({ sharedMailbox: 'support@casepane.test' });
    const own = await createMailHost(office(readItem())).readCurrentMessage();
    expect(own?.sharedMailbox).toBeUndefined();
  });

  it('reads every selected message (documented "Message" / "Read" entries), one failure never stops the rest', async () => {
    const items: Record<string, Record<string, unknown>> = {
      A: readItem({ itemId: 'A', internetMessageId: '<a@x>' }),
      B: readItem({ itemId: 'B', internetMessageId: '<b@x>' }),
    };
    const unloaded: string[] = [];
    const host = createMailHost(
      office(readItem({ itemId: 'open' }), {
        mailbox: {
          getSelectedItemsAsync: (cb: Cb) =>
            cb(
              ok([
                { itemId: 'A', itemType: 'Message', itemMode: 'Read', subject: 'a' },
                { itemId: 'gone', itemType: 'Message', itemMode: 'Read', subject: 'Gone' },
                { itemId: 'B', itemType: 'Message', itemMode: 'Read', subject: 'b' },
              ]),
            ),
          loadItemByIdAsync: (id: string, cb: Cb) =>
            items[id]
              ? cb(ok({ ...items[id], unloadAsync: (done: () => void) => (unloaded.push(id), done()) }))
              : cb({ status: 'failed', error: { code: 9049, message: 'ItemNotFound' } }),
        },
      }),
    );
    expect(host.supportsMultiSelect()).toBe(true);
    const selected = await host.readSelectedMessages();
    expect(selected.map((m) => m.message?.internetMessageId ?? `failed: ${m.subject}`)).toEqual([
      '<a@x>',
      'failed: Gone',
      '<b@x>',
    ]);
    expect(unloaded).toEqual(['A', 'B']);
    expect(createMailHost(office(readItem(), { sets: ['Mailbox 1.8'] })).supportsMultiSelect()).toBe(false);
  });

  it('binds categories and attachments to their message: loaded when the selection moved, later without 1.15', async () => {
    const tagged: string[] = [];
    const other = readItem({
      itemId: 'B',
      categories: { addAsync: (_n: string[], cb: Cb) => (tagged.push('B'), cb(ok())) },
      getAttachmentContentAsync: (_id: string, cb: Cb) => cb(ok({ format: 'base64', content: 'Qg==' })),
    });
    const loadedA = {
      ...readItem({ itemId: 'AAMk1' }),
      categories: { addAsync: (_n: string[], cb: Cb) => (tagged.push('A'), cb(ok())) },
      getAttachmentContentAsync: (_id: string, cb: Cb) => cb(ok({ format: 'base64', content: 'QQ==' })),
      unloadAsync: (done: () => void) => done(),
    };
    const host = createMailHost(
      office(other, {
        mailbox: { loadItemByIdAsync: (id: string, cb: Cb) => cb(id === 'AAMk1' ? ok(loadedA) : ok(null)) },
      }),
    );
    await expect(host.addCaseCategory(R, '7')).resolves.toBe('done');
    await expect(host.getAttachmentContent(R, 'att')).resolves.toBe('QQ==');
    expect(tagged).toEqual(['A']);
    const old = createMailHost(office(other, { sets: ['Mailbox 1.8'] }));
    await expect(old.addCaseCategory(R, '7')).resolves.toBe('later');
    await expect(old.getAttachmentContent(R, 'att')).rejects.toMatchObject({ kind: 'item-changed' });
    expect(tagged).toEqual(['A']);
  });

  it('says what it cannot read: a protected body, no permission, a meeting request, a draft', async () => {
    const failing = (code: number) => ({
      getAsync: (_t: string, cb: Cb) => cb({ status: 'failed', error: { code, message: 'no' } }),
    });
    const read = (over: Record<string, unknown>) =>
      createMailHost(office(readItem(over))).readCurrentMessage();
    await expect(read({ body: failing(9017) })).resolves.toMatchObject({
      limit: 'protected',
      bodyText: '',
      subject: 'Printer offline [Case #00001234]',
    });
    await expect(read({ body: failing(9016) })).resolves.toMatchObject({ limit: 'no-access' });
    await expect(read({ itemClass: 'IPM.Schedule.Meeting.Request' })).resolves.toMatchObject({
      limit: 'meeting-request',
      bodyText: 'Body',
    });
    await expect(read({ internetMessageId: '' })).resolves.toMatchObject({ limit: 'draft' });
    expect((await read({}))?.limit).toBeUndefined();
  });
});
