import { Text } from '@fluentui/react-components';
import { FieldDefinition, STANDARD_FIELDS, fieldByApiName, labelOf } from '../../../../shared/case-fields';
import type { UserRecord } from '../../../../shared/api-types';
import type { TimelineAction, TimelineEntry } from '../../../../shared/followup-types';
import { useI18n, type MessageKey, type Translate } from '../../../i18n';
import { type UserNames, valueText } from '../../components/field-value';
import { Loaded } from '../../components/Loaded';
import { useCaseData } from './case-context';
import { useListStyles } from './styles';
import { useApi, usePaneSession } from '../../services';

/** Every action the shared model knows has a label (the compiler checks it when an action is added). */
const ACTIONS: Record<TimelineAction, MessageKey> = {
  created: 'actionCreated',
  updated: 'actionUpdated',
  cloned: 'actionCloned',
  imported: 'actionImported',
  web_form: 'actionWebForm',
  email_linked: 'actionEmailLinked',
  email_unlinked: 'actionEmailUnlinked',
  email_sent: 'actionEmailSent',
  email_failed: 'actionEmailFailed',
  note_added: 'actionNoteAdded',
  activity_added: 'actionActivityAdded',
  activity_completed: 'actionActivityCompleted',
  attachment_added: 'actionAttachmentAdded',
  solution_published: 'actionSolutionPublished',
  assigned: 'actionAssigned',
  escalated: 'actionEscalated',
};

/** The localized name of a timeline action; unknown actions (a newer server) show their code. */
export function actionLabel(t: Translate, action: string): string {
  const key = Object.prototype.hasOwnProperty.call(ACTIONS, action)
    ? ACTIONS[action as TimelineAction]
    : undefined;
  return key ? t(key) : action;
}

function FieldChange({
  entry,
  fields,
  users,
}: {
  entry: TimelineEntry['field_history'][number];
  fields: readonly FieldDefinition[];
  users: UserNames;
}) {
  const styles = useListStyles();
  const { t, language } = useI18n();
  const field = fieldByApiName(fields, entry.api_name) ?? fieldByApiName(STANDARD_FIELDS, entry.api_name);
  const name = field ? labelOf(field, language) : entry.api_name;
  return (
    <li className={styles.text}>
      <Text size={200}>
        {t('fieldChange', {
          field: name,
          old: valueText(field, entry._value.old, language, t, users),
          new: valueText(field, entry._value.new, language, t, users),
        })}
      </Text>
    </li>
  );
}

/** Ids to names from the pane's users and the timeline's own `done_by` (which names inactive users too). */
function userNames(users: readonly UserRecord[], items: readonly TimelineEntry[]): UserNames {
  const names = new Map<string, string>();
  for (const e of items) if (e.done_by?.name) names.set(e.done_by.id, e.done_by.name);
  for (const u of users) names.set(u.id, u.full_name);
  return names;
}

/** The case's audit history, newest first: what happened, who did it, when, and each field's old → new value. */
export function CaseTimeline() {
  const api = useApi();
  // The users the pane loaded (the Owner list), plus whoever the timeline itself names.
  const { fields, users } = usePaneSession();
  const styles = useListStyles();
  const { t, formatDateTime } = useI18n();
  const timeline = useCaseData('timeline', (id, signal) => api.timeline(id, signal));
  return (
    <section className={styles.section} data-testid="case-timeline" aria-label={t('sectionHistory')}>
      <Loaded
        state={timeline.state}
        reload={timeline.reload}
        loadingLabel={t('loading')}
        emptyText={t('historyNone')}
      >
        {(items) => {
          const names = userNames(users, items);
          return (
            <ol className={styles.list}>
              {items.map((entry) => (
                <li
                  key={entry.id}
                  className={styles.item}
                  data-testid={`timeline-${entry.id}`}
                  data-action={entry.action}
                >
                  <Text weight="semibold">{actionLabel(t, entry.action)}</Text>
                  <Text size={200} className={styles.muted}>
                    {t('byAt', {
                      name: entry.done_by?.name ?? t('system'),
                      time: formatDateTime(entry.audited_time),
                    })}
                  </Text>
                  {entry.field_history.length > 0 && (
                    <ul className={styles.list}>
                      {entry.field_history.map((change, i) => (
                        <FieldChange
                          key={`${change.api_name}-${i}`}
                          entry={change}
                          fields={fields}
                          users={names}
                        />
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ol>
          );
        }}
      </Loaded>
    </section>
  );
}
