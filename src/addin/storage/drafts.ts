/**
 * The one owner of browser storage: unsaved case drafts, one per message (keyed by its internet message id),
 * kept across closing the task pane. Storage that is full or disabled degrades to memory, never throws.
 */

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

const PREFIX = 'casepane:draft:v1:';
/** Unsaved edits of an existing case (the detail view), keyed by case id. */
const CASE_PREFIX = 'casepane:case-draft:v1:';
const PREFIXES = [PREFIX, CASE_PREFIX];
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
): DraftStore {
  const memory = new Map<string, string>();
  const key = (messageKey: string) => prefix + messageKey;

  const read = (k: string): string | null => {
    if (memory.has(k)) return memory.get(k) ?? null;
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
        if (!storage) throw new Error('no storage');
        storage.setItem(k, raw);
        memory.delete(k);
      } catch {
        // Quota exceeded or storage disabled: prune and try once more, else keep it for this session at least.
        try {
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
): DraftStore {
  return createDraftStore(storage, now, CASE_PREFIX);
}

/** Run once at start-up: forget stale drafts. */
export function pruneDrafts(storage: Storage | null = defaultStorage(), now: () => number = Date.now): void {
  if (!storage) return;
  const cutoff = now() - MAX_AGE_MS;
  const stale: string[] = [];
  try {
    for (let i = 0; i < storage.length; i++) {
      const k = storage.key(i);
      if (!k || !PREFIXES.some((p) => k.startsWith(p))) continue;
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
