import { OfficeMockObject } from './office-mock';
import { createMailHost, whenOfficeReady } from '../../../src/addin/office/mail-host';
import { OfficeError } from '../../../src/addin/office/types';

type Callback = (result: { status: string; value?: string; error?: { code: number; message: string } }) => void;

function officeData(overrides: { item?: Record<string, unknown>; body?: (cb: Callback) => void; extra?: Record<string, unknown> } = {}) {
  const handlers: { type: string; handler: () => void }[] = [];
  const data = {
    host: 'outlook',
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    CoercionType: { Text: 'text' },
    EventType: { ItemChanged: 'olkItemSelectedChanged', OfficeThemeChanged: 'officeThemeChanged' },
    onReady: async () => ({ host: 'Outlook', platform: 'OfficeOnline' }),
    context: {
      displayLanguage: 'pl-PL',
      officeTheme: { bodyBackgroundColor: '#1f1f1f', bodyForegroundColor: '#ffffff', controlBackgroundColor: '#292929', controlForegroundColor: '#ffffff' },
      requirements: { isSetSupported: (name: string, version: string) => (name === 'NestedAppAuth' && version === '1.1') || (name === 'Mailbox' && version === '1.14') },
      mailbox: {
        userProfile: { displayName: 'Agent Smith', emailAddress: 'agent@casepane.test' },
        addHandlerAsync: (type: string, handler: () => void, callback?: (r: { status: string }) => void) => {
          handlers.push({ type, handler });
          callback?.({ status: 'succeeded' });
        },
        item: {
          itemType: 'message',
          itemId: 'AAMkAD=',
          internetMessageId: '<abc@mail.example>',
          conversationId: 'CONV-1',
          subject: 'Printer offline',
          from: { displayName: 'Anna Kowalska', emailAddress: 'anna@example.com' },
          to: [{ displayName: 'Support', emailAddress: 'support@casepane.test' }],
          cc: [{ displayName: 'Boss', emailAddress: 'boss@example.com' }],
          dateTimeCreated: new Date('2026-11-20T10:15:00Z'),
          attachments: [{ id: 'att1', name: 'log.txt', size: 12, contentType: 'text/plain', attachmentType: 'file', isInline: false }],
          body: {
            getAsync:
              overrides.body ??
              ((_type: string, cb: Callback) => {
                cb({ status: 'succeeded', value: 'Hello,\nmy printer is offline.' });
              }),
          },
          ...overrides.item,
        },
      },
    },
    ...overrides.extra,
  };
  return { data, handlers };
}

function mock(overrides?: Parameters<typeof officeData>[0]) {
  const { data, handlers } = officeData(overrides);
  const office = new OfficeMockObject(data) as unknown as typeof Office;
  return { office, handlers };
}

describe('Office adapter (createMailHost)', () => {
  it('reads the selected message into a plain OpenMessage', async () => {
    const { office } = mock();
    const message = await createMailHost(office).readCurrentMessage();
    expect(message).toEqual({
      itemId: 'AAMkAD=',
      internetMessageId: '<abc@mail.example>',
      conversationId: 'CONV-1',
      subject: 'Printer offline',
      from: { name: 'Anna Kowalska', email: 'anna@example.com' },
      to: [{ name: 'Support', email: 'support@casepane.test' }],
      cc: [{ name: 'Boss', email: 'boss@example.com' }],
      receivedTime: '2026-11-20T10:15:00.000Z',
      bodyText: 'Hello,\nmy printer is offline.',
      attachments: [{ id: 'att1', name: 'log.txt', size: 12, contentType: 'text/plain', isInline: false }],
    });
  });

  it('asks Outlook for the body as text', async () => {
    const seen: unknown[] = [];
    const { office } = mock({ body: ((type: unknown, cb: Callback) => (seen.push(type), cb({ status: 'succeeded', value: 'x' }))) as never });
    await createMailHost(office).readCurrentMessage();
    expect(seen).toEqual(['text']);
  });

  it('returns null when nothing is selected, and for appointments', async () => {
    const { office } = mock();
    (office.context.mailbox as unknown as { item: unknown }).item = null;
    await expect(createMailHost(office).readCurrentMessage()).resolves.toBeNull();

    const other = mock({ item: { itemType: 'appointment' } }).office;
    await expect(createMailHost(other).readCurrentMessage()).resolves.toBeNull();
  });

  it('turns a failed body read into a typed OfficeError, not null', async () => {
    const { office } = mock({ body: ((_t: unknown, cb: Callback) => cb({ status: 'failed', error: { code: 9002, message: 'Internal error' } })) as never });
    const read = createMailHost(office).readCurrentMessage();
    await expect(read).rejects.toBeInstanceOf(OfficeError);
    await expect(read).rejects.toMatchObject({ kind: 'body-unavailable', officeCode: 9002 });
  });

  it('turns a throwing body.getAsync into an OfficeError', async () => {
    const { office } = mock({
      body: (() => {
        throw new Error('boom');
      }) as never,
    });
    await expect(createMailHost(office).readCurrentMessage()).rejects.toMatchObject({ name: 'OfficeError', kind: 'body-unavailable' });
  });

  it('tolerates missing sender and recipients', async () => {
    const { office } = mock({ item: { to: undefined, cc: undefined } });
    (office.context.mailbox.item as unknown as { from: unknown }).from = undefined;
    const message = await createMailHost(office).readCurrentMessage();
    expect(message?.from).toEqual({ name: '', email: '' });
    expect(message?.to).toEqual([]);
  });

  it('exposes language, theme, NAA support and the user profile', () => {
    const host = createMailHost(mock().office);
    expect(host.displayLanguage()).toBe('pl-PL');
    expect(host.theme()).toEqual({
      bodyBackgroundColor: '#1f1f1f',
      bodyForegroundColor: '#ffffff',
      controlBackgroundColor: '#292929',
      controlForegroundColor: '#ffffff',
    });
    expect(host.supportsNestedAppAuth()).toBe(true);
    expect(host.userProfile()).toEqual({ name: 'Agent Smith', email: 'agent@casepane.test' });
  });

  it('reports no theme and no NAA when Office has none', () => {
    const { office } = mock();
    (office.context as unknown as { officeTheme: unknown }).officeTheme = undefined;
    (office.context.requirements as unknown as { isSetSupported: () => boolean }).isSetSupported = () => {
      throw new Error('unsupported');
    };
    const host = createMailHost(office);
    expect(host.theme()).toBeNull();
    expect(host.supportsNestedAppAuth()).toBe(false);
  });

  it('registers one ItemChanged handler and fans it out until unsubscribed', () => {
    const { office, handlers } = mock();
    const host = createMailHost(office);
    const a = jest.fn();
    const b = jest.fn();
    const offA = host.onSelectionChanged(a);
    host.onSelectionChanged(b);
    const itemChanged = handlers.filter((h) => h.type === 'olkItemSelectedChanged');
    expect(itemChanged).toHaveLength(1);
    itemChanged[0].handler();
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(1);
    offA();
    itemChanged[0].handler();
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(2);
  });

  it('passes the new theme to theme listeners', () => {
    const { office, handlers } = mock();
    const host = createMailHost(office);
    const listener = jest.fn();
    host.onThemeChanged(listener);
    (office.context.officeTheme as unknown as { bodyBackgroundColor: string }).bodyBackgroundColor = '#ffffff';
    handlers.find((h) => h.type === 'officeThemeChanged')!.handler();
    expect(listener).toHaveBeenCalledWith(expect.objectContaining({ bodyBackgroundColor: '#ffffff' }));
  });

  it('whenOfficeReady waits for Office.onReady and wraps a failure', async () => {
    const { office } = mock();
    await expect(whenOfficeReady(office)).resolves.toHaveProperty('readCurrentMessage');
    const failing = mock({ extra: { onReady: () => Promise.reject(new Error('no host')) } }).office;
    await expect(whenOfficeReady(failing)).rejects.toMatchObject({ kind: 'not-ready' });
  });
});
