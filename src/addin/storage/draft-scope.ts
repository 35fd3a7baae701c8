/**
 * Whose drafts the stores read and write: the signed-in user and, where Outlook gives one, Office's partitionKey
 * (Outlook on the web and new Outlook may host the pane for several mailboxes on one origin, sharing localStorage:
 * https://learn.microsoft.com/office/dev/add-ins/develop/persisting-add-in-state-and-settings). Until the user is
 * known the key is null and the stores keep drafts in memory only, so nothing unattributed reaches storage.
 */

export interface DraftScopeValue {
  user: string | null;
  partitionKey: string | null;
}

export interface DraftScope {
  /** The storage key part for the current user and partition, or null while nobody is signed in. */
  key(): string | null;
  set(value: DraftScopeValue): void;
  /** Forget the user (sign-out); the partition stays, it belongs to the mailbox. */
  signOut(): void;
  /**
   * Called with the key of the user who signs out, before it is forgotten: stores drop what they keep in memory
   * for it (storage denied — a third-party frame, a policy — leaves drafts only there).
   */
  onSignOut(listener: (key: string) => void): void;
}

export function createDraftScope(initial: DraftScopeValue = { user: null, partitionKey: null }): DraftScope {
  let value = initial;
  const listeners: ((key: string) => void)[] = [];
  const keyOf = (v: DraftScopeValue) => {
    const user = v.user?.trim().toLowerCase();
    if (!user) return null;
    const partition = v.partitionKey ? `|p=${encodeURIComponent(v.partitionKey)}` : '';
    return `u=${encodeURIComponent(user)}${partition}`;
  };
  return {
    key() {
      return keyOf(value);
    },
    set(next) {
      value = next;
    },
    signOut() {
      const key = keyOf(value);
      if (key) listeners.forEach((listener) => listener(key));
      value = { user: null, partitionKey: value.partitionKey };
    },
    onSignOut(listener) {
      listeners.push(listener);
    },
  };
}

/** Draft prefixes, one per kind (message drafts, case drafts); scoped keys are prefix + scope key + "/" + id. */
export const SCOPED_PREFIXES = ['casepane:draft:v2:', 'casepane:case-draft:v2:'] as const;
/** Before drafts were scoped (keyed by message or case id only). */
export const LEGACY_PREFIXES = ['casepane:draft:v1:', 'casepane:case-draft:v1:'] as const;

function localStorageOrNull(): Storage | null {
  try {
    return typeof window !== 'undefined' ? window.localStorage : null;
  } catch {
    return null; // storage disabled by policy
  }
}

/** Sign-out: removes every draft of the scope's user and partition from storage, then forgets the user. */
export function clearDraftScope(scope: DraftScope, storage: Storage | null = localStorageOrNull()): number {
  const key = scope.key();
  scope.signOut();
  if (!key || !storage) return 0;
  const mine = SCOPED_PREFIXES.map((p) => `${p}${key}/`);
  const doomed: string[] = [];
  try {
    for (let i = 0; i < storage.length; i++) {
      const k = storage.key(i);
      if (k && mine.some((p) => k.startsWith(p))) doomed.push(k);
    }
    doomed.forEach((k) => storage.removeItem(k));
  } catch {
    /* storage unavailable */
  }
  return doomed.length;
}
