/**
 * Sent replies whose record on their case did not reach the Cases API when Outlook sent them (issue 11, section 3:
 * sending is never held up by Casepane beyond a short timeout). The on-send handler leaves them here; the pane
 * sends them when it next runs, each once: the API is idempotent on the message's identity, and an entry leaves the
 * queue only when the API has it (or it is too old or has failed too often to be worth keeping).
 * Storage that is full or disabled degrades to memory, never throws.
 */
import type { EmailMessageInput } from '../../shared/api-types';

export interface PendingLink {
  caseId: string;
  message: EmailMessageInput;
  queuedAt: string;
  attempts: number;
}

export interface PendingLinks {
  /** Queue a record; the same message for the same case is queued once. */
  add(caseId: string, message: EmailMessageInput): void;
  /** Drops the record of this message for this case (the API has it). */
  remove(caseId: string, internetMessageId: string): void;
  all(): PendingLink[];
  /** Try every queued record with `record`; those it accepts leave the queue. Resolves with how many did. */
  flush(record: (caseId: string, message: EmailMessageInput) => Promise<void>): Promise<number>;
}

const KEY = 'casepane.pending-links.v1';
export const PENDING_LIMITS = { entries: 200, attempts: 50, ageMs: 14 * 24 * 3600 * 1000 } as const;

const identity = (l: Pick<PendingLink, 'caseId' | 'message'>) =>
  `${l.caseId} ${l.message.internet_message_id}`;

function isPending(value: unknown): value is PendingLink {
  const l = value as PendingLink | null;
  return (
    typeof l === 'object' &&
    l !== null &&
    typeof l.caseId === 'string' &&
    typeof l.queuedAt === 'string' &&
    typeof l.attempts === 'number' &&
    typeof l.message?.internet_message_id === 'string'
  );
}

/**
 * The pane's localStorage, shared with the launch-event page of the same origin; null where there is none (the
 * JavaScript-only runtime of classic Outlook on Windows has no localStorage: the queue then lives in memory only).
 */
export function pendingLinksStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function createPendingLinks(
  storage: Pick<Storage, 'getItem' | 'setItem'> | null,
  now: () => number = Date.now,
): PendingLinks {
  let memory: PendingLink[] | null = null;
  const read = (): PendingLink[] => {
    if (memory) return memory;
    try {
      const parsed: unknown = JSON.parse(storage?.getItem(KEY) ?? '[]');
      return Array.isArray(parsed) ? parsed.filter(isPending) : [];
    } catch {
      return [];
    }
  };
  const write = (list: PendingLink[]) => {
    const kept = list
      .filter(
        (l) => now() - Date.parse(l.queuedAt) < PENDING_LIMITS.ageMs && l.attempts < PENDING_LIMITS.attempts,
      )
      .slice(-PENDING_LIMITS.entries);
    try {
      if (!storage) throw new Error('no storage');
      storage.setItem(KEY, JSON.stringify(kept));
      memory = null;
    } catch {
      memory = kept;
    }
  };
  let flushing: Promise<number> | null = null;
  return {
    add(caseId, message) {
      const list = read();
      if (list.some((l) => identity(l) === identity({ caseId, message }))) return;
      write([...list, { caseId, message, queuedAt: new Date(now()).toISOString(), attempts: 0 }]);
    },
    remove(caseId, internetMessageId) {
      const gone = identity({
        caseId,
        message: { internet_message_id: internetMessageId } as EmailMessageInput,
      });
      const list = read();
      if (list.some((l) => identity(l) === gone)) write(list.filter((l) => identity(l) !== gone));
    },
    all: read,
    flush(record) {
      // One flush at a time: two at once would send the same record twice (harmless, but not needed).
      flushing ??= (async () => {
        let sent = 0;
        for (const link of read()) {
          let done = false;
          try {
            await record(link.caseId, link.message);
            done = true;
            sent++;
          } catch {
            // Kept for the next flush, one attempt more.
          }
          const rest = read().filter((l) => identity(l) !== identity(link));
          write(done ? rest : [...rest, { ...link, attempts: link.attempts + 1 }]);
        }
        return sent;
      })().finally(() => (flushing = null));
      return flushing;
    },
  };
}
