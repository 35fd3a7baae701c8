import { findCaseById } from '../cases/case.repository';
import type { ServiceContext } from '../http/context';
import type { Executor } from '../db/executor';
import type { Outbox } from '../outbox/outbox';
import { queueCaseMail } from './case-mail';
import { findTemplate, mergeFieldsOf, renderTemplate } from './mail.service';

/** What queues an acknowledgement: the outbox that sends case mail, and the address it goes out from. */
export interface AcknowledgementDeps {
  outbox: Outbox;
  from: string;
}

/**
 * Queue the acknowledgement of a new case to the customer who wrote in, from the mailbox's template with the
 * case's merge fields (the subject gets [Case #n] as every case mail does). Queued in the capture's transaction, so
 * it leaves only after the commit and never for a rolled-back capture. `Auto-Submitted: auto-replied` (RFC 3834
 * 5) tells the customer's auto-responder not to answer it; X-Casepane-Case marks it as ours should it come back to
 * a support mailbox. Returns false when there is nothing to send (the template was deleted).
 */
export async function queueAcknowledgement(
  trx: Executor,
  deps: AcknowledgementDeps,
  ack: {
    ctx: ServiceContext;
    caseId: string;
    templateId: string;
    to: { name: string | null; email: string };
    /** The customer's Message-ID, when the message had one. */
    inReplyTo?: string;
  },
): Promise<boolean> {
  const template = await findTemplate(trx, ack.templateId);
  const row = await findCaseById(trx, ack.caseId);
  if (!template || !row) return false;
  const merge = await mergeFieldsOf(trx, row);
  await queueCaseMail(trx, deps.outbox, {
    ctx: ack.ctx,
    from: deps.from,
    row,
    to: [ack.to],
    cc: [],
    subject: renderTemplate(template.subject, merge),
    text: renderTemplate(template.body, merge),
    headers: { 'Auto-Submitted': 'auto-replied', 'X-Casepane-Case': merge.get('Case_Number') ?? '' },
    ...(ack.inReplyTo ? { inReplyTo: `<${ack.inReplyTo}>` } : {}),
  });
  return true;
}
