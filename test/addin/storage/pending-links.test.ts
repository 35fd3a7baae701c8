import { createPendingLinks, PENDING_LIMITS } from '../../../src/addin/storage/pending-links';

const message = (id: string) => ({
  internet_message_id: `<${id}@send.casepane>`,
  from: { name: 'Agent', email: 'agent@example.com' },
  to: [{ name: null, email: 'klient@example.pl' }],
  subject: 'Re: Printer [Case #00000012]',
});

describe('pending links of sent replies', () => {
  beforeEach(() => localStorage.clear());

  it('queues a record once, keeps it while the API is down, and sends it once when the API is back', async () => {
    const queue = createPendingLinks(localStorage);
    queue.add('12', message('a'));
    queue.add('12', message('a'));
    expect(queue.all()).toHaveLength(1);
    const down = jest.fn().mockRejectedValue(new Error('503'));
    expect(await queue.flush(down)).toBe(0);
    // Still there for a pane opened later (a new queue on the same storage), one attempt counted.
    const later = createPendingLinks(localStorage);
    expect(later.all()).toEqual([expect.objectContaining({ caseId: '12', attempts: 1 })]);
    const up = jest.fn().mockResolvedValue(undefined);
    const [first, second] = await Promise.all([later.flush(up), later.flush(up)]);
    expect(first + second).toBeGreaterThanOrEqual(1);
    expect(up).toHaveBeenCalledTimes(1);
    expect(up).toHaveBeenCalledWith('12', message('a'));
    expect(later.all()).toEqual([]);
  });

  it('drops entries too old or failed too often, and works in memory when storage refuses writes', async () => {
    let clock = Date.parse('2026-12-02T09:00:00Z');
    const queue = createPendingLinks(localStorage, () => clock);
    queue.add('1', message('old'));
    clock += PENDING_LIMITS.ageMs + 1;
    queue.add('2', message('new'));
    expect(queue.all().map((l) => l.caseId)).toEqual(['2']);

    const full = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
    } as unknown as Storage;
    const memory = createPendingLinks(full);
    memory.add('3', message('m'));
    expect(memory.all()).toHaveLength(1);
    expect(await memory.flush(async () => undefined)).toBe(1);
    expect(memory.all()).toEqual([]);
  });

  it('removes one message of one case, and only that', () => {
    const queue = createPendingLinks(localStorage);
    queue.add('12', message('a'));
    queue.add('12', message('b'));
    queue.add('13', message('a'));
    queue.remove('12', message('a').internet_message_id);
    queue.remove('99', message('b').internet_message_id);
    expect(queue.all().map((l) => `${l.caseId} ${l.message.internet_message_id}`)).toEqual([
      '12 <b@send.casepane>',
      '13 <a@send.casepane>',
    ]);
  });
});
