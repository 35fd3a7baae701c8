/**
 * The one owner of browser storage: unsaved case drafts, one per message (keyed by its internet message id),
 * kept across closing the task pane. Storage that is full or disabled degrades to memory, never throws.
 * Keys carry the draft scope (signed-in user + Office partitionKey, see draft-scope.ts): another user or mailbox
 * sharing this origin's storage never sees them; while no user is known drafts stay in memory.
 */
import { createDraftScope, LEGACY_PREFIXES, SCOPED_PREFIXES, type DraftScope } from './draft-scope';

export interface DraftLookup {
  id: string;
  name: string;
}

export interface CaseDraft {
  /** Field values as typed, by API name (text, picklist values; lookups in `lookups`). */
  values: Record<string, string>;
  lookups: Record<string, DraftLookup | null>;
  /** The description was cut to its limit when prefilled. */
  descriptionTruncated: boolean;
  /** A save was attempted and did not finish. */
  unsent: boolean;
  savedAt: string;
}

export interface DraftStore {
  load(messageKey: string): CaseDraft | null;
  save(messageKey: string, draft: Omit<CaseDraft, 'savedAt'>): void;
  remove(messageKey: string): void;
}

const [PREFIX, CASE_PREFIX] = SCOPED_PREFIXES;
/** Every draft key, scoped or legacy, for pruning. */
const PREFIXES: readonly string[] = [...SCOPED_PREFIXES, ...LEGACY_PREFIXES];
/** Stores created without a scope (tests, memory-only stores): one fixed anonymous scope. */
const UNSCOPED: DraftScope = createDraftScope({ user: '-', partitionKey: null });
const MAX_DRAFTS = 50;
const MAX_AGE_MS = 30 * 24 * 3600 * 1000;

function isDraft(value: unknown): value is CaseDraft {
  const d = value as CaseDraft | null;
  return (
    typeof d === 'object' &&
    d !== null &&
    typeof d.values === 'object' &&
    d.values !== null &&
    Object.values(d.values).every((v) => typeof v === 'string') &&
    typeof d.lookups === 'object' &&
    d.lookups !== null &&
    typeof d.savedAt === 'string'
  );
}

function defaultStorage(): Storage | null {
  try {
    return typeof window !== 'undefined' ? window.localStorage : null;
  } catch {
    return null; // storage disabled by policy
  }
}

export function createDraftStore(
  storage: Storage | null = defaultStorage(),
  now: () => number = Date.now,
  prefix: string = PREFIX,
  scope: DraftScope = UNSCOPED,
): DraftStore {
  const memory = new Map<string, string>();
  // Signed out: what was kept in memory for that user goes too (clearDraftScope clears storage).
  scope.onSignOut((signedOut) => {
    for (const k of [...memory.keys()]) if (k.startsWith(`${prefix}${signedOut}/`)) memory.delete(k);
  });
  // No user yet: a memory-only key (not under the prefix, never written to storage).
  const key = (messageKey: string) => {
    const s = scope.key();
    return s ? `${prefix}${s}/${messageKey}` : `memory:${messageKey}`;
  };
  const persists = (k: string) => k.startsWith(prefix);

  const read = (k: string): string | null => {
    if (memory.has(k)) return memory.get(k) ?? null;
    if (!persists(k)) return null;
    try {
      return storage?.getItem(k) ?? null;
    } catch {
      return null;
    }
  };

  const draftKeys = (): string[] => {
    const keys: string[] = [];
    try {
      for (let i = 0; storage && i < storage.length; i++) {
        const k = storage.key(i);
        if (k?.startsWith(prefix)) keys.push(k);
      }
    } catch {
      /* storage unavailable */
    }
    return keys;
  };

  /** Drop drafts older than a month, and the oldest beyond MAX_DRAFTS, so storage never fills up with them. */
  const prune = () => {
    const entries = draftKeys().map((k) => {
      let time = 0;
      try {
        const parsed = JSON.parse(storage?.getItem(k) ?? 'null') as CaseDraft | null;
        time = parsed ? Date.parse(parsed.savedAt) || 0 : 0;
      } catch {
        time = 0;
      }
      return { k, time };
    });
    entries.sort((a, b) => b.time - a.time);
    entries.forEach((e, index) => {
      if (index >= MAX_DRAFTS || now() - e.time > MAX_AGE_MS) {
        try {
          storage?.removeItem(e.k);
        } catch {
          /* ignore */
        }
      }
    });
  };

  return {
    load(messageKey) {
      if (!messageKey) return null;
      const raw = read(key(messageKey));
      if (!raw) return null;
      try {
        const parsed: unknown = JSON.parse(raw);
        if (!isDraft(parsed)) return null;
        return {
          ...parsed,
          descriptionTruncated: parsed.descriptionTruncated === true,
          unsent: parsed.unsent === true,
        };
      } catch {
        return null;
      }
    },
    save(messageKey, draft) {
      if (!messageKey) return;
      const raw = JSON.stringify({ ...draft, savedAt: new Date(now()).toISOString() });
      const k = key(messageKey);
      try {
        if (!storage || !persists(k)) throw new Error('no storage or no user yet');
        storage.setItem(k, raw);
        memory.delete(k);
      } catch {
        // Quota exceeded or storage disabled: prune and try once more, else keep it for this session at least.
        try {
          if (!persists(k)) throw new Error('no user yet');
          prune();
          storage?.setItem(k, raw);
          memory.delete(k);
          if (!storage) memory.set(k, raw);
        } catch {
          memory.set(k, raw);
        }
      }
    },
    remove(messageKey) {
      const k = key(messageKey);
      memory.delete(k);
      try {
        storage?.removeItem(k);
      } catch {
        /* ignore */
      }
    },
  };
}

/** Unsaved edits of existing cases, one per case id; same guarantees as message drafts. */
export function createCaseDraftStore(
  storage: Storage | null = defaultStorage(),
  now: () => number = Date.now,
  scope: DraftScope = UNSCOPED,
): DraftStore {
  return createDraftStore(storage, now, CASE_PREFIX, scope);
}

/**
 * Run once at start-up: forget stale drafts, and the unscoped ones of before (v1 keys). Those cannot be given to
 * anyone safely: on a shared device they may be another agent's unsaved text (at worst a month-old draft is lost).
 */
export function pruneDrafts(storage: Storage | null = defaultStorage(), now: () => number = Date.now): void {
  if (!storage) return;
  const cutoff = now() - MAX_AGE_MS;
  const stale: string[] = [];
  try {
    for (let i = 0; i < storage.length; i++) {
      const k = storage.key(i);
      if (!k || !PREFIXES.some((p) => k.startsWith(p))) continue;
      if (LEGACY_PREFIXES.some((p) => k.startsWith(p))) {
        stale.push(k);
        continue;
      }
      try {
        const d = JSON.parse(storage.getItem(k) ?? 'null') as CaseDraft | null;
        if (!d || !(Date.parse(d.savedAt) > cutoff)) stale.push(k);
      } catch {
        stale.push(k);
      }
    }
    stale.forEach((k) => storage.removeItem(k));
  } catch {
    /* storage unavailable */
  }
}
