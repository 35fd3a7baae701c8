/**
 * Issue 9, item 6: drafts belong to the signed-in user and to Office's partitionKey (Outlook on the web and new
 * Outlook can host the pane for several mailboxes on one origin), and are cleared on sign-out.
 */
import { createCaseDraftStore, createDraftStore, pruneDrafts } from '../../../src/addin/storage/drafts';
import { clearDraftScope, createDraftScope } from '../../../src/addin/storage/draft-scope';

const draft = (subject: string) => ({
  values: { Subject: subject },
  lookups: {},
  descriptionTruncated: false,
  unsent: true,
});

beforeEach(() => window.localStorage.clear());

describe('drafts scoped by user and partitionKey', () => {
  it('keeps one user’s draft from another user of the same pane storage', () => {
    const anna = createDraftScope();
    anna.set({ user: 'anna@casepane.test', partitionKey: null });
    const bob = createDraftScope();
    bob.set({ user: 'bob@casepane.test', partitionKey: null });
    createDraftStore(window.localStorage, Date.now, undefined, anna).save('<a@x>', draft('Anna typed this'));
    expect(createDraftStore(window.localStorage, Date.now, undefined, bob).load('<a@x>')).toBeNull();
    expect(
      createDraftStore(window.localStorage, Date.now, undefined, anna).load('<a@x>')?.values.Subject,
    ).toBe('Anna typed this');
  });

  it('keeps mailboxes with different partitionKeys apart, and the same user’s case drafts too', () => {
    const one = createDraftScope();
    one.set({ user: 'anna@casepane.test', partitionKey: 'mailbox-1' });
    const two = createDraftScope();
    two.set({ user: 'anna@casepane.test', partitionKey: 'mailbox-2' });
    createDraftStore(window.localStorage, Date.now, undefined, one).save('<a@x>', draft('one'));
    createCaseDraftStore(window.localStorage, Date.now, one).save('42', draft('case in one'));
    expect(createDraftStore(window.localStorage, Date.now, undefined, two).load('<a@x>')).toBeNull();
    expect(createCaseDraftStore(window.localStorage, Date.now, two).load('42')).toBeNull();
    expect(createCaseDraftStore(window.localStorage, Date.now, one).load('42')?.values.Subject).toBe(
      'case in one',
    );
  });

  it('persists nothing before the user is known (memory only), and the scope is read at each call', () => {
    const scope = createDraftScope();
    const store = createDraftStore(window.localStorage, Date.now, undefined, scope);
    store.save('<a@x>', draft('early'));
    expect(window.localStorage.length).toBe(0);
    expect(store.load('<a@x>')?.values.Subject).toBe('early');
    scope.set({ user: 'anna@casepane.test', partitionKey: null });
    store.save('<b@x>', draft('later'));
    expect(window.localStorage.length).toBe(1);
    expect(Object.keys(window.localStorage)[0]).not.toContain('<a@x>');
  });

  it('clears every draft of the user (message and case drafts) on sign-out, and only theirs', () => {
    const anna = createDraftScope();
    anna.set({ user: 'anna@casepane.test', partitionKey: 'p1' });
    const bob = createDraftScope();
    bob.set({ user: 'bob@casepane.test', partitionKey: 'p1' });
    const annaDrafts = createDraftStore(window.localStorage, Date.now, undefined, anna);
    annaDrafts.save('<a@x>', draft('A'));
    createCaseDraftStore(window.localStorage, Date.now, anna).save('7', draft('case'));
    createDraftStore(window.localStorage, Date.now, undefined, bob).save('<a@x>', draft('B'));
    const cleared = clearDraftScope(anna, window.localStorage);
    expect(cleared).toBe(2);
    expect(anna.key()).toBeNull();
    expect(annaDrafts.load('<a@x>')).toBeNull();
    anna.set({ user: 'anna@casepane.test', partitionKey: 'p1' });
    expect(createDraftStore(window.localStorage, Date.now, undefined, anna).load('<a@x>')).toBeNull();
    expect(
      createDraftStore(window.localStorage, Date.now, undefined, bob).load('<a@x>')?.values.Subject,
    ).toBe('B');
  });

  it('clears the drafts kept in memory too on sign-out (storage denied, as in a third-party frame)', () => {
    const anna = createDraftScope();
    anna.set({ user: 'anna@casepane.test', partitionKey: null });
    // No storage at all: the store keeps drafts in memory only.
    const annaDrafts = createDraftStore(null, Date.now, undefined, anna);
    const annaCases = createCaseDraftStore(null, Date.now, anna);
    annaDrafts.save('<a@x>', draft('A'));
    annaCases.save('7', draft('case'));
    expect(annaDrafts.load('<a@x>')?.values.Subject).toBe('A');
    clearDraftScope(anna, null);
    anna.set({ user: 'anna@casepane.test', partitionKey: null });
    expect(annaDrafts.load('<a@x>')).toBeNull();
    expect(annaCases.load('7')).toBeNull();
  });

  it('treats the user case-insensitively (the same mailbox address)', () => {
    const a = createDraftScope();
    a.set({ user: 'Anna@Casepane.test', partitionKey: null });
    const b = createDraftScope();
    b.set({ user: 'anna@casepane.test', partitionKey: null });
    createDraftStore(window.localStorage, Date.now, undefined, a).save('<a@x>', draft('A'));
    expect(createDraftStore(window.localStorage, Date.now, undefined, b).load('<a@x>')?.values.Subject).toBe(
      'A',
    );
  });

  it('drops the old unscoped (v1) drafts at start-up: nobody can tell whose they were', () => {
    window.localStorage.setItem(
      'casepane:draft:v1:<a@x>',
      JSON.stringify({ ...draft('old'), savedAt: new Date().toISOString() }),
    );
    window.localStorage.setItem(
      'casepane:case-draft:v1:42',
      JSON.stringify({ ...draft('old case'), savedAt: new Date().toISOString() }),
    );
    window.localStorage.setItem('unrelated', 'kept');
    pruneDrafts(window.localStorage);
    expect(Object.keys(window.localStorage)).toEqual(['unrelated']);
  });
});
