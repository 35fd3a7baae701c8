import { createDraftStore, pruneDrafts } from '../../../src/addin/storage/drafts';

const draft = (subject: string) => ({ values: { Subject: subject }, lookups: { Owner: { id: '1', name: 'Me' } }, descriptionTruncated: true, unsent: false });

beforeEach(() => window.localStorage.clear());

describe('draft storage', () => {
  it('keeps one draft per message across store instances (closing and reopening the pane)', () => {
    createDraftStore().save('<a@x>', draft('A'));
    createDraftStore().save('<b@x>', draft('B'));
    const reopened = createDraftStore();
    expect(reopened.load('<a@x>')).toMatchObject({ values: { Subject: 'A' }, lookups: { Owner: { id: '1', name: 'Me' } }, descriptionTruncated: true });
    expect(reopened.load('<b@x>')?.values.Subject).toBe('B');
    expect(reopened.load('<c@x>')).toBeNull();
  });

  it('removes a draft', () => {
    const store = createDraftStore();
    store.save('<a@x>', draft('A'));
    store.remove('<a@x>');
    expect(createDraftStore().load('<a@x>')).toBeNull();
  });

  it('ignores corrupt entries', () => {
    window.localStorage.setItem('casepane:draft:v1:<a@x>', '{not json');
    window.localStorage.setItem('casepane:draft:v1:<b@x>', JSON.stringify({ values: { Subject: 5 } }));
    const store = createDraftStore();
    expect(store.load('<a@x>')).toBeNull();
    expect(store.load('<b@x>')).toBeNull();
  });

  it('falls back to memory when storage refuses writes', () => {
    const full = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
      removeItem: () => undefined,
      key: () => null,
      length: 0,
      clear: () => undefined,
    } as Storage;
    const store = createDraftStore(full);
    store.save('<a@x>', draft('A'));
    expect(store.load('<a@x>')?.values.Subject).toBe('A');
  });

  it('prunes drafts older than a month', () => {
    const now = Date.parse('2026-11-25T00:00:00Z');
    createDraftStore(window.localStorage, () => now - 40 * 24 * 3600 * 1000).save('<old@x>', draft('old'));
    createDraftStore(window.localStorage, () => now - 1000).save('<new@x>', draft('new'));
    pruneDrafts(window.localStorage, () => now);
    expect(createDraftStore().load('<old@x>')).toBeNull();
    expect(createDraftStore().load('<new@x>')).not.toBeNull();
  });
});
