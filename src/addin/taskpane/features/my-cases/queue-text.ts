import type { CustomView } from '../../../../shared/view-types';
import type { MessageKey } from '../../../i18n/catalogs/en';
import type { Translate } from '../../../i18n';

/** Built-in views by system name: their names come from the catalogs, not from the server's English. */
const BUILT_IN_NAMES: Record<string, MessageKey> = {
  MYOPENCASES: 'viewMyOpen',
  UNASSIGNEDCASES: 'viewUnassigned',
  ESCALATEDCASES: 'viewEscalated',
  WAITINGONCUSTOMER: 'viewWaiting',
  RECENTLYCLOSED: 'viewRecentlyClosed',
  ALLOPENCASES: 'viewAllOpen',
};

export function viewName(t: Translate, view: CustomView): string {
  const key = view.system_name ? BUILT_IN_NAMES[view.system_name] : undefined;
  if (key) return t(key);
  return view.access_type === 'public' ? t('viewShared', { name: view.name }) : view.name;
}

/** A span of time as an agent reads it: minutes under two hours, hours under two days, then days. */
export function duration(t: Translate, ms: number): string {
  const minutes = Math.max(0, Math.round(Math.abs(ms) / 60_000));
  if (minutes < 120) return t('durationMinutes', { n: String(minutes) });
  const hours = Math.round(minutes / 60);
  if (hours < 48) return t('durationHours', { n: String(hours) });
  return t('durationDays', { n: String(Math.round(hours / 24)) });
}

/** "Escalates in 3 h (rule)" or "Overdue by 20 min (rule)". */
export function escalationText(
  t: Translate,
  escalation: { due_time: string; overdue: boolean; rule: { name: string } },
  now: number,
): string {
  const left = Date.parse(escalation.due_time) - now;
  const time = duration(t, left);
  return escalation.overdue || left <= 0
    ? t('queueOverdue', { time, rule: escalation.rule.name })
    : t('queueEscalatesIn', { time, rule: escalation.rule.name });
}

/** The latest inbound message can be opened in Outlook only from the mailbox it was linked from. */
export function openableItemId(
  message: { item_id: string | null; mailbox: string | null } | null,
  mailbox: string | null,
): string | null {
  if (!message?.item_id || !message.mailbox || !mailbox) return null;
  return message.mailbox.toLowerCase() === mailbox.toLowerCase() ? message.item_id : null;
}
