import { useRef, useState } from 'react';
import type { FieldDefinition } from '../../../../shared/case-fields';
import type { CasesApi } from '../../../api/client';
import type { OpenMessage, SelectedMessage } from '../../../office/types';
import { toEmailMessageInput } from '../../message-input';
import { prefillDraft, toCaseInput } from '../new-case/form-model';

export type LinkSelectedApi = Pick<CasesApi, 'searchCases' | 'linkEmailToCase' | 'createCaseFromEmail'>;

export interface SelectedLinkResult {
  subject: string;
  from: string;
  /** null: linked (or, with `created`, the message the case was made from). */
  error: unknown;
  created?: boolean;
  noMessageId?: boolean;
  /** Outlook could not read this one (the others are linked all the same). */
  unreadable?: boolean;
}

export type LinkSelectedRun =
  | { status: 'idle' }
  | { status: 'linking'; caseId: string | null }
  | { status: 'done'; caseId: string; caseNumber: string; results: SelectedLinkResult[] }
  | { status: 'failed'; caseId: string | null; error: unknown }
  /** "Make one case" found no message it could make the case from. */
  | { status: 'nothing'; results: SelectedLinkResult[] };

export const resultLinked = (r: SelectedLinkResult) => r.error === null && !r.noMessageId && !r.unreadable;

/** Why a selected entry cannot be linked, as a result; null when it can (a read message with an id). */
function unlinkable(entry: SelectedMessage): SelectedLinkResult | null {
  const m = entry.message;
  if (!m) return { subject: entry.subject, from: '', error: entry.error ?? null, unreadable: true };
  if (!m.internetMessageId) return { subject: m.subject, from: m.from.email, error: null, noMessageId: true };
  return null;
}

/**
 * Linking several selected messages (no open item, office-js#3680) to one case: to a case the agent found, or to a
 * new case made from the first message that can make one (the conversion is idempotent on its Message-ID, so a
 * second press finds the same case). One message at a time, one result each; a failure never stops the others.
 */
export function useLinkSelected(options: {
  api: LinkSelectedApi;
  readSelected: () => Promise<SelectedMessage[]>;
  mailbox: string | null;
  fields: readonly FieldDefinition[];
  onLinked?(caseId: string, caseNumber: string, messages: OpenMessage[]): void;
}) {
  const { api, readSelected, mailbox, fields, onLinked } = options;
  const [run, setRun] = useState<LinkSelectedRun>({ status: 'idle' });
  const running = useRef(false);

  const linkEach = async (
    target: { id: string; number: string },
    entries: SelectedMessage[],
    first: SelectedLinkResult[],
    alreadyLinked: OpenMessage[],
  ) => {
    const results = [...first];
    const linked = [...alreadyLinked];
    for (const entry of entries) {
      const refused = unlinkable(entry);
      if (refused) {
        results.push(refused);
        continue;
      }
      const m = entry.message as OpenMessage;
      const base = { subject: m.subject, from: m.from.email };
      try {
        await api.linkEmailToCase(target.id, toEmailMessageInput(m, m.sharedMailbox ?? mailbox));
        results.push({ ...base, error: null });
        linked.push(m);
      } catch (error) {
        results.push({ ...base, error });
      }
    }
    setRun({ status: 'done', caseId: target.id, caseNumber: target.number, results });
    if (linked.length) onLinked?.(target.id, target.number, linked);
  };

  /** One click runs once, whichever button it was. */
  const once = async (caseId: string | null, work: () => Promise<void>) => {
    if (running.current) return;
    running.current = true;
    setRun({ status: 'linking', caseId });
    try {
      await work();
    } catch (error) {
      setRun({ status: 'failed', caseId, error });
    } finally {
      running.current = false;
    }
  };

  const linkAll = (target: { id: string; number: string }) =>
    once(target.id, async () => linkEach(target, await readSelected(), [], []));

  const makeOneCase = () =>
    once(null, async () => {
      const selected = await readSelected();
      const at = selected.findIndex((entry) => unlinkable(entry) === null);
      if (at < 0) {
        setRun({ status: 'nothing', results: selected.map((e) => unlinkable(e) as SelectedLinkResult) });
        return;
      }
      const source = selected[at].message as OpenMessage;
      const created = await api.createCaseFromEmail(
        toCaseInput(prefillDraft(source, fields), fields),
        toEmailMessageInput(source, source.sharedMailbox ?? mailbox),
      );
      const before = selected.slice(0, at).map((e) => unlinkable(e) as SelectedLinkResult);
      const made = { subject: source.subject, from: source.from.email, error: null, created: true };
      await linkEach(
        { id: created.id, number: created.caseNumber },
        selected.slice(at + 1),
        [...before, made],
        [source],
      );
    });

  return { run, linkAll, makeOneCase };
}
