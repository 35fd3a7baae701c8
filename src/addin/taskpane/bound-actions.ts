import type { CasesApi } from '../api/client';
import { OfficeError, type MailHost, type MessageAttachment, type MessageRef } from '../office/types';
import { base64ToBlob } from './components/save-file';

/**
 * The follow-ups of a save (the "Case N" category, the attachment copies) belong to the message the case was made
 * from, not to whichever message is open when they run (issue 9, defect 1). They live outside the message view, so
 * they survive the agent moving on; where Outlook cannot reach the message any more (no loadItemByIdAsync) they wait
 * and finish when that message is open again.
 */

export type FileState =
  | { status: 'waiting' }
  | { status: 'uploading' }
  | { status: 'done' }
  /** The message is no longer open and this Outlook cannot reach it: finishes when it is open again. */
  | { status: 'later' }
  | { status: 'failed'; error: unknown };

export interface UploadJob {
  /** Distinguishes two jobs for the same case (linking twice). */
  key: string;
  caseId: string;
  caseNumber: string;
  source: MessageRef;
  /** The source message's subject, to say which message to open again. */
  subject: string;
  attachments: MessageAttachment[];
}

export interface UploadRun {
  job: UploadJob;
  states: FileState[];
}

type CategoryChange = { op: 'add' | 'remove'; caseNumber: string };

interface Waiting {
  subject: string;
  caseNumbers: string[];
  files: number;
}

export class BoundActions {
  private readonly runs: UploadRun[] = [];
  private readonly running = new Set<string>();
  /** Category changes waiting for their message, by item id, in order. */
  private readonly categories = new Map<string, { subject: string; changes: CategoryChange[] }>();
  private readonly listeners = new Set<() => void>();
  private version = 0;

  constructor(
    private readonly host: Pick<MailHost, 'getAttachmentContent' | 'addCaseCategory' | 'removeCaseCategory'>,
    private readonly api: Pick<CasesApi, 'uploadAttachment'>,
  ) {}

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** Changes whenever anything here changes (for useSyncExternalStore). */
  snapshot = () => this.version;

  private changed() {
    this.version++;
    this.listeners.forEach((l) => l());
  }

  /** Applies category changes to `source` in order; the first that must wait keeps it and the rest for later. */
  async category(source: MessageRef, subject: string, change: CategoryChange): Promise<void> {
    const waiting = this.categories.get(source.itemId);
    if (waiting) {
      waiting.changes.push(change); // keep the order: a remove queued before an add must run first
      this.changed();
      return;
    }
    const outcome =
      change.op === 'add'
        ? await this.host.addCaseCategory(source, change.caseNumber)
        : await this.host.removeCaseCategory(source, change.caseNumber);
    if (outcome === 'later') {
      const queued = this.categories.get(source.itemId);
      if (queued) queued.changes.unshift(change);
      else this.categories.set(source.itemId, { subject, changes: [change] });
      this.changed();
    }
  }

  /** Starts copying a job's files to its case. */
  upload(job: UploadJob): void {
    this.runs.push({ job, states: job.attachments.map(() => ({ status: 'waiting' })) });
    this.changed();
    void this.run(job.key);
  }

  /** The message `ref` is open again: finish what waited for it. */
  async messageOpened(ref: MessageRef): Promise<void> {
    const waiting = this.categories.get(ref.itemId);
    if (waiting) {
      this.categories.delete(ref.itemId);
      this.changed();
      for (const change of waiting.changes) await this.category(ref, waiting.subject, change);
    }
    for (const run of this.runs)
      if (run.job.source.itemId === ref.itemId && run.states.some((s) => s.status === 'later'))
        void this.run(run.job.key);
  }

  /** Upload runs started from this message (shown in its view). */
  uploadsOf(itemId: string): UploadRun[] {
    return this.runs.filter((r) => r.job.source.itemId === itemId);
  }

  /** What waits for messages other than `openItemId` (shown so the agent knows what to open again). */
  waitingElsewhere(openItemId: string | null): Waiting[] {
    const byItem = new Map<string, Waiting>();
    const entry = (itemId: string, subject: string) => {
      const found = byItem.get(itemId) ?? { subject, caseNumbers: [], files: 0 };
      byItem.set(itemId, found);
      return found;
    };
    for (const [itemId, waiting] of this.categories) {
      if (itemId === openItemId) continue;
      const e = entry(itemId, waiting.subject);
      for (const c of waiting.changes)
        if (!e.caseNumbers.includes(c.caseNumber)) e.caseNumbers.push(c.caseNumber);
    }
    for (const run of this.runs) {
      if (run.job.source.itemId === openItemId) continue;
      const later = run.states.filter((s) => s.status === 'later').length;
      if (!later) continue;
      const e = entry(run.job.source.itemId, run.job.subject);
      e.files += later;
      if (!e.caseNumbers.includes(run.job.caseNumber)) e.caseNumbers.push(run.job.caseNumber);
    }
    return [...byItem.values()];
  }

  private set(run: UploadRun, i: number, state: FileState) {
    run.states = run.states.map((s, j) => (j === i ? state : s));
    this.changed();
  }

  /** One file at a time (Outlook reads one attachment at a time well; the server takes one file per request). */
  private async run(key: string): Promise<void> {
    const run = this.runs.find((r) => r.job.key === key);
    if (!run || this.running.has(key)) return;
    this.running.add(key);
    try {
      const { job } = run;
      for (const [i, a] of job.attachments.entries()) {
        const status = run.states[i].status;
        if (status !== 'waiting' && status !== 'later') continue;
        this.set(run, i, { status: 'uploading' });
        try {
          const base64 = await this.host.getAttachmentContent(job.source, a.id);
          await this.api.uploadAttachment(
            job.caseId,
            { name: a.name, contentType: a.contentType, data: base64ToBlob(base64, a.contentType) },
            job.source.internetMessageId,
          );
          this.set(run, i, { status: 'done' });
        } catch (error) {
          if (error instanceof OfficeError && error.kind === 'item-changed') {
            // The rest cannot be read either until the message is open again.
            run.states = run.states.map((s, j) =>
              j >= i && (s.status === 'waiting' || s.status === 'uploading') ? { status: 'later' } : s,
            );
            this.changed();
            return;
          }
          this.set(run, i, { status: 'failed', error });
        }
      }
    } finally {
      this.running.delete(key);
    }
  }
}
