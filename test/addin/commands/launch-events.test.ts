import {
  caseHeaderValue,
  createLaunchHandlers,
  parseCaseHeader,
} from '../../../src/addin/commands/launch-events';
import type { OutgoingMessage, SendEventHost } from '../../../src/addin/office/send-events';
import { createPendingLinks } from '../../../src/addin/storage/pending-links';
import type { LinkedCaseSummary } from '../../../src/shared/api-types';

/** A compose item as the adapter hands it over, recording what the handlers change. */
function fakeHost(message: Partial<OutgoingMessage> = {}, headers: Record<string, string> = {}) {
  const state = {
    subject: message.subject ?? 'Re: Printer',
    headers: { ...headers },
  };
  const host: SendEventHost = {
    readOutgoing: async () => ({
      conversationId: 'conv-1',
      to: [{ name: 'Klient', email: 'klient@example.pl' }],
      cc: [],
      bodyText: 'We are on it.',
      ...message,
      subject: state.subject,
    }),
    setSubject: async (s) => void (state.subject = s),
    readHeader: async (name) => state.headers[name] ?? null,
    setHeader: async (name, value) => ((state.headers[name] = value), true),
    userProfile: () => ({ name: 'Alex Agent', email: 'alex@casepane.example' }),
    supportsNestedAppAuth: () => false,
  };
  return { host, state };
}

const summary = (match: LinkedCaseSummary['match']): LinkedCaseSummary => ({
  id: '9100000000000000123',
  Case_Number: '00000042',
  Subject: 'Printer',
  Status: 'New',
  Priority: null,
  Owner: null,
  Modified_Time: '2026-12-02T08:00:00Z',
  match,
});

const completion = () => {
  let resolve: (options: unknown) => void = () => undefined;
  const done = new Promise<unknown>((r) => (resolve = r));
  return { event: { completed: (options?: unknown) => resolve(options ?? null) }, done };
};

describe('launch-event handlers', () => {
  beforeEach(() => localStorage.clear());

  it('tags a reply in a case thread when it is opened: subject reference and header', async () => {
    const api = { linkedCases: jest.fn().mockResolvedValue([summary('thread')]), recordSentEmail: jest.fn() };
    const handlers = createLaunchHandlers({ api, pending: createPendingLinks(localStorage) });
    const { host, state } = fakeHost();
    const { event, done } = completion();
    handlers.onNewMessageComposeHandler(event, host);
    expect(await done).toBeNull();
    expect(state.subject).toBe('Re: Printer [Case #00000042]');
    expect(parseCaseHeader(state.headers['X-Casepane-Case'])).toEqual({
      number: '00000042',
      id: '9100000000000000123',
    });
    expect(api.linkedCases).toHaveBeenCalledWith(expect.objectContaining({ conversationId: 'conv-1' }));
    expect(api.recordSentEmail).not.toHaveBeenCalled();
  });

  it('records the sent reply on its case and leaves nothing pending', async () => {
    const api = { linkedCases: jest.fn(), recordSentEmail: jest.fn().mockResolvedValue(undefined) };
    const pending = createPendingLinks(localStorage);
    const handlers = createLaunchHandlers({ api, pending, newMessageId: () => '<s1@casepane.invalid>' });
    const header = caseHeaderValue({ number: '00000042', id: '9100000000000000123' });
    const { host } = fakeHost({ subject: 'Re: Printer [Case #00000042]' }, { 'X-Casepane-Case': header });
    const { event, done } = completion();
    handlers.onMessageSendHandler(event, host);
    expect(await done).toEqual({ allowEvent: true });
    // The header set when the reply was opened names the case: no lookup on send.
    expect(api.linkedCases).not.toHaveBeenCalled();
    expect(api.recordSentEmail).toHaveBeenCalledWith(
      '9100000000000000123',
      expect.objectContaining({
        internet_message_id: '<s1@casepane.invalid>',
        from: { name: 'Alex Agent', email: 'alex@casepane.example' },
        to: [{ name: 'Klient', email: 'klient@example.pl' }],
        subject: 'Re: Printer [Case #00000042]',
        body_text: 'We are on it.',
      }),
    );
    expect(pending.all()).toEqual([]);
  });

  it('allows the send within the time-out when the API hangs, and keeps the record pending', async () => {
    const api = {
      linkedCases: jest.fn(),
      recordSentEmail: jest.fn(() => new Promise<void>(() => undefined)),
    };
    const pending = createPendingLinks(localStorage);
    const handlers = createLaunchHandlers({ api, pending, timeoutMs: 50 });
    const header = caseHeaderValue({ number: '00000042', id: '9100000000000000123' });
    const { host } = fakeHost({ subject: 'Re: Printer [Case #00000042]' }, { 'X-Casepane-Case': header });
    const { event, done } = completion();
    const started = Date.now();
    handlers.onMessageSendHandler(event, host);
    expect(await done).toEqual({ allowEvent: true });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(pending.all()).toEqual([expect.objectContaining({ caseId: '9100000000000000123' })]);
  });

  it('allows the send and records nothing for a message of no case, or when the lookup fails', async () => {
    const none = { linkedCases: jest.fn().mockResolvedValue([]), recordSentEmail: jest.fn() };
    const pending = createPendingLinks(localStorage);
    const first = completion();
    createLaunchHandlers({ api: none, pending }).onMessageSendHandler(first.event, fakeHost().host);
    expect(await first.done).toEqual({ allowEvent: true });
    const down = {
      linkedCases: jest.fn().mockRejectedValue(new Error('network')),
      recordSentEmail: jest.fn(),
    };
    const second = completion();
    createLaunchHandlers({ api: down, pending }).onMessageSendHandler(second.event, fakeHost().host);
    expect(await second.done).toEqual({ allowEvent: true });
    // A new message without a thread or a reference is not even looked up.
    const third = completion();
    const fresh = fakeHost({ conversationId: null, subject: 'Lunch?' }).host;
    createLaunchHandlers({ api: none, pending }).onMessageSendHandler(third.event, fresh);
    expect(await third.done).toEqual({ allowEvent: true });
    expect(none.linkedCases).toHaveBeenCalledTimes(1);
    expect(none.recordSentEmail).not.toHaveBeenCalled();
    expect(down.recordSentEmail).not.toHaveBeenCalled();
    expect(pending.all()).toEqual([]);
  });

  it('reads only well-formed case headers', () => {
    expect(parseCaseHeader('00000042; id=9100000000000000123')).toEqual({
      number: '00000042',
      id: '9100000000000000123',
    });
    expect(parseCaseHeader('00000042')).toBeNull();
    expect(parseCaseHeader('x; id=1')).toBeNull();
    expect(parseCaseHeader(null)).toBeNull();
  });
});
