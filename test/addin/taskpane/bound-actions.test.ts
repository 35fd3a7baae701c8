import { OfficeError, type BoundOutcome, type MessageRef } from '../../../src/addin/office/types';
import { BoundActions } from '../../../src/addin/taskpane/bound-actions';

const A: MessageRef = { itemId: 'A', internetMessageId: '<a@x>' };
const file = (id: string) => ({ id, name: `${id}.txt`, size: 5, contentType: 'text/plain', isInline: false });
const flush = () => new Promise((r) => setTimeout(r, 0));

/** A host where message A is reachable or not, as the test says. */
function host() {
  let reachable = false;
  const log: string[] = [];
  const outcome = (what: string): BoundOutcome => {
    if (!reachable) return 'later';
    log.push(what);
    return 'done';
  };
  return {
    log,
    setReachable: (on: boolean) => (reachable = on),
    addCaseCategory: jest.fn(async (_r: MessageRef, n: string) => outcome(`add ${n}`)),
    removeCaseCategory: jest.fn(async (_r: MessageRef, n: string) => outcome(`remove ${n}`)),
    getAttachmentContent: jest.fn(async (_r: MessageRef, id: string) => {
      if (!reachable) throw new OfficeError('item-changed', 'open it again');
      return btoa(id);
    }),
  };
}

describe('BoundActions: a save’s follow-ups finish on their own message', () => {
  it('keeps category changes in order while the message cannot be reached, and applies them when it is open', async () => {
    const h = host();
    const uploads = { uploadAttachment: jest.fn(async () => 'id') };
    const actions = new BoundActions(h, uploads);
    await actions.category(A, 'Printer', { op: 'remove', caseNumber: '5' });
    await actions.category(A, 'Printer', { op: 'add', caseNumber: '8' });
    expect(actions.waitingElsewhere('B')).toEqual([{ subject: 'Printer', caseNumbers: ['5', '8'], files: 0 }]);
    expect(actions.waitingElsewhere('A')).toEqual([]);
    h.setReachable(true);
    await actions.messageOpened(A);
    expect(h.log).toEqual(['remove 5', 'add 8']);
    expect(actions.waitingElsewhere('B')).toEqual([]);
  });

  it('copies the files it can, marks the rest `later`, and finishes them when the message is open again', async () => {
    const h = host();
    h.setReachable(true);
    const uploadAttachment = jest.fn(async (_c: string, f: { name: string }) => {
      if (f.name === 'one.txt') h.setReachable(false); // the agent moves on during the first upload
      return 'id';
    });
    const actions = new BoundActions(h, { uploadAttachment });
    const changes = jest.fn();
    actions.subscribe(changes);
    actions.upload({ key: 'k', caseId: 'c1', caseNumber: '9', source: A, subject: 'Printer', attachments: [file('one'), file('two')] });
    await flush();
    await flush();
    const [run] = actions.uploadsOf('A');
    expect(run.states.map((s) => s.status)).toEqual(['done', 'later']);
    expect(actions.waitingElsewhere('B')).toEqual([{ subject: 'Printer', caseNumbers: ['9'], files: 1 }]);
    h.setReachable(true);
    await actions.messageOpened(A);
    await flush();
    await flush();
    expect(actions.uploadsOf('A')[0].states.map((s) => s.status)).toEqual(['done', 'done']);
    expect(uploadAttachment).toHaveBeenCalledTimes(2);
    expect(uploadAttachment.mock.calls.map((c) => c[1].name)).toEqual(['one.txt', 'two.txt']);
    expect(changes).toHaveBeenCalled();
  });

  it('reports a file that fails for another reason as failed and goes on with the next', async () => {
    const h = host();
    h.setReachable(true);
    const uploadAttachment = jest.fn(async (_c: string, f: { name: string }) => {
      if (f.name === 'one.txt') throw new Error('too big');
      return 'id';
    });
    const actions = new BoundActions(h, { uploadAttachment });
    actions.upload({ key: 'k', caseId: 'c1', caseNumber: '9', source: A, subject: 'S', attachments: [file('one'), file('two')] });
    for (let i = 0; i < 4; i++) await flush();
    expect(actions.uploadsOf('A')[0].states.map((s) => s.status)).toEqual(['failed', 'done']);
  });
});
