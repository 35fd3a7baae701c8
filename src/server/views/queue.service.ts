import type { FieldDefinition } from '../../shared/case-fields';
import type { EscalationDue, LastCustomerMessage, QueuePage, QueueRow } from '../../shared/view-types';
import { toRecords, valuesOfRow } from '../cases/case.mapper';
import type { CaseRow } from '../cases/case.repository';
import { matches, parseRuleCriteria } from '../rules/criteria-eval';
import { activeEscalationRule, type EscalationRuleRow } from '../rules/rules.repository';
import { resolveView, type ViewContext } from './views.service';
import * as repo from './views.repository';

/**
 * The My cases queue (GET /Cases/actions/queue): a view's cases with what an agent triages by — the last
 * customer message and when the escalation rule fires. A separate call rather than extra keys on GET /Cases: that
 * response is Zoho's record list (its schema lists record fields), and these need two more reads a plain list
 * should not pay for.
 */

function iso(time: string): string {
  const t = Date.parse(time);
  return Number.isNaN(t) ? time : new Date(t).toISOString();
}

/**
 * When the active rule escalates this case: the escalation pass (rules/escalation.service.ts) takes cases not
 * Escalated or Closed, matching the rule's criteria, whose Modified_Time is older than the rule's hours — so the
 * due time is Modified_Time + hours. One rule is active at a time, so at most one applies.
 */
export function escalationDue(
  row: CaseRow,
  rule: EscalationRuleRow | undefined,
  fields: readonly FieldDefinition[],
  now: Date,
): EscalationDue | null {
  if (!rule || row.status === 'Escalated' || row.status === 'Closed') return null;
  if (rule.criteria) {
    try {
      if (!matches(parseRuleCriteria(rule.criteria, fields), valuesOfRow(row, fields))) return null;
    } catch {
      return null; // the runner cannot compile it either, so it will not fire
    }
  }
  const due = new Date(Date.parse(row.modified_time) + rule.hours * 3_600_000);
  return {
    rule: { id: String(rule.id), name: rule.name, hours: rule.hours },
    due_time: due.toISOString(),
    overdue: due.getTime() <= now.getTime(),
  };
}

export async function queuePage(
  ctx: ViewContext,
  cvid: unknown,
  page: number,
  perPage: number,
  now = new Date(),
): Promise<QueuePage> {
  const view = await resolveView(ctx, cvid, now);
  const order: repo.QueueOrder = view.sort
    ? { kind: 'column', column: view.sort.column, direction: view.sort.direction }
    : { kind: 'priority_age' };
  const rows = await repo.queueCases(
    ctx.db,
    ctx.dialect,
    view.where,
    order,
    perPage + 1,
    (page - 1) * perPage,
  );
  const more = rows.length > perPage;
  const pageRows = rows.slice(0, perPage);
  const [records, inbound, rule] = await Promise.all([
    toRecords(ctx.db, pageRows, ctx.fields),
    repo.lastInboundEmails(
      ctx.db,
      pageRows.map((r) => r.id),
    ),
    activeEscalationRule(ctx.db),
  ]);
  const lastByCase = new Map<string, LastCustomerMessage>(
    inbound.map((m) => [
      String(m.case_id),
      {
        email_id: String(m.id),
        time: iso(m.time),
        subject: m.subject,
        snippet: m.snippet,
        item_id: m.item_id,
        mailbox: m.mailbox,
      },
    ]),
  );
  const data: QueueRow[] = pageRows.map((row, i) => ({
    case: records[i],
    last_customer_message: lastByCase.get(String(row.id)) ?? null,
    escalation: escalationDue(row, rule, ctx.fields, now),
  }));
  return { data, info: { page, per_page: perPage, count: data.length, more_records: more, cvid: view.id } };
}
