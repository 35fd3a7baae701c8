import {
  Badge,
  Button,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Option,
  Text,
} from '@fluentui/react-components';
import { FormEvent, useState } from 'react';
import type { ActivityRecord, ActivityType } from '../../../../shared/followup-types';
import { useI18n, type MessageKey } from '../../../i18n';
import { Loaded } from '../../components/Loaded';
import { failureText } from '../../components/failure';
import { useCaseChanged, useCaseData, useCaseId } from './case-context';
import { useListStyles } from './styles';
import { useApi, usePaneSession } from '../../services';

const TYPES: { value: ActivityType; key: MessageKey }[] = [
  { value: 'Tasks', key: 'activityTask' },
  { value: 'Calls', key: 'activityCall' },
  { value: 'Events', key: 'activityEvent' },
];

export function CaseActivities() {
  const caseId = useCaseId();
  const onChanged = useCaseChanged();
  const api = useApi();
  const { me } = usePaneSession();
  const styles = useListStyles();
  const { t, formatDateTime } = useI18n();
  const open = useCaseData('activities-open', (id, signal) => api.activities(id, 'open', signal));
  const closed = useCaseData('activities-closed', (id, signal) => api.activities(id, 'closed', signal));
  const [kind, setKind] = useState<ActivityType>('Tasks');
  const [subject, setSubject] = useState('');
  const [due, setDue] = useState('');
  const [adding, setAdding] = useState<{ status: 'idle' | 'busy' } | { status: 'failed'; error: unknown }>({
    status: 'idle',
  });
  const [completing, setCompleting] = useState<Record<string, 'busy' | { error: unknown }>>({});
  const typeLabel = (value: string) => {
    const known = TYPES.find((x) => x.value === value);
    return known ? t(known.key) : value;
  };

  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (!subject.trim() || adding.status === 'busy') return;
    setAdding({ status: 'busy' });
    try {
      await api.addActivity(caseId, {
        Activity_Type: kind,
        Subject: subject.trim(),
        ...(due ? { Due_Date: due } : {}),
        ...(me ? { Owner: { id: me.id } } : {}),
      });
      setSubject('');
      setDue('');
      setAdding({ status: 'idle' });
      onChanged();
    } catch (error) {
      setAdding({ status: 'failed', error });
    }
  };

  const complete = async (activity: ActivityRecord) => {
    setCompleting((c) => ({ ...c, [activity.id]: 'busy' }));
    try {
      await api.completeActivity(activity.id);
      setCompleting((c) => {
        const next = { ...c };
        delete next[activity.id];
        return next;
      });
      onChanged();
    } catch (error) {
      setCompleting((c) => ({ ...c, [activity.id]: { error } }));
    }
  };

  const row = (a: ActivityRecord, isOpen: boolean) => {
    const state = completing[a.id];
    return (
      <li key={a.id} className={styles.item} data-testid={`activity-${a.id}`}>
        <div className={styles.row}>
          <Badge appearance="outline">{typeLabel(a.Activity_Type)}</Badge>
          <Text weight="semibold" className={styles.text}>
            {a.Subject}
          </Text>
        </div>
        <Text size={200} className={styles.muted}>
          {isOpen
            ? a.Due_Date
              ? t('dueOn', { time: formatDateTime(a.Due_Date) })
              : t('noDueDate')
            : t('completedOn', { time: formatDateTime(a.Closed_Time) })}
          {a.Owner?.name ? ` · ${a.Owner.name}` : ''}
        </Text>
        {typeof state === 'object' && (
          <Text size={200} role="alert">
            {t('completeError', { message: failureText(t, state.error) })}
          </Text>
        )}
        {isOpen && (
          <div className={styles.row}>
            <Button
              size="small"
              data-testid={`activity-complete-${a.id}`}
              aria-label={t('completeLabel', { subject: a.Subject })}
              disabled={state === 'busy'}
              onClick={() => void complete(a)}
            >
              {t('complete')}
            </Button>
          </div>
        )}
      </li>
    );
  };

  return (
    <section className={styles.section} data-testid="case-activities" aria-label={t('sectionActivities')}>
      <Text as="h3" weight="semibold">
        {t('openActivities')}
      </Text>
      <div data-testid="open-activities">
        <Loaded
          state={open.state}
          reload={open.reload}
          loadingLabel={t('loading')}
          emptyText={t('activitiesNone')}
        >
          {(items) => <ul className={styles.list}>{items.map((a) => row(a, true))}</ul>}
        </Loaded>
      </div>
      <form className={styles.form} onSubmit={(e) => void add(e)} aria-label={t('addActivity')}>
        <Field label={t('activityType')}>
          <Dropdown
            data-testid="activity-type"
            value={typeLabel(kind)}
            selectedOptions={[kind]}
            onOptionSelect={(_, d) => setKind((d.optionValue as ActivityType) ?? 'Tasks')}
          >
            {TYPES.map((x) => (
              <Option key={x.value} value={x.value} text={t(x.key)}>
                {t(x.key)}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Field label={t('activitySubject')} required>
          <Input
            data-testid="activity-subject"
            value={subject}
            maxLength={255}
            onChange={(_, d) => setSubject(d.value)}
          />
        </Field>
        <Field label={t('dueDate')}>
          <Input data-testid="activity-due" type="date" value={due} onChange={(_, d) => setDue(d.value)} />
        </Field>
        {adding.status === 'failed' && (
          <MessageBar intent="error" data-testid="activity-error" role="alert">
            <MessageBarBody>{t('activityError', { message: failureText(t, adding.error) })}</MessageBarBody>
          </MessageBar>
        )}
        <div className={styles.row}>
          <Button
            type="submit"
            data-testid="activity-add"
            disabled={!subject.trim() || adding.status === 'busy'}
          >
            {adding.status === 'busy' ? t('adding') : t('addActivity')}
          </Button>
        </div>
      </form>
      <Text as="h3" weight="semibold">
        {t('closedActivities')}
      </Text>
      <div data-testid="closed-activities">
        <Loaded
          state={closed.state}
          reload={closed.reload}
          loadingLabel={t('loading')}
          emptyText={t('activitiesNone')}
        >
          {(items) => <ul className={styles.list}>{items.map((a) => row(a, false))}</ul>}
        </Loaded>
      </div>
    </section>
  );
}
