import { Badge, Button, Field, Input, Text } from '@fluentui/react-components';
import { FormEvent, useState } from 'react';
import type { CaseEmailRecord } from '../../../api/records';
import { useAnnouncer } from '../../components/Announcer';
import { useI18n } from '../../../i18n';
import { Loaded } from '../../components/Loaded';
import { failureText } from '../../components/failure';
import { useCaseChanged, useCaseData, useCaseId } from './case-context';
import { useListStyles } from './styles';
import { useApi } from '../../services';

type RowState =
  | { status: 'idle' }
  | { status: 'confirm-unlink' }
  | { status: 'move'; number: string }
  | { status: 'busy' }
  | { status: 'failed'; message: string };

/** The case's Emails list: messages linked from Outlook and emails sent from the case; unlink one or move it. */
export function CaseEmails(props: {
  onOpenCase(caseId: string): void;
  /** A message left this case: unlinked (target null) or moved to another case. */
  onMessageMoved?(internetMessageId: string, target: { id: string; caseNumber: string } | null): void;
}) {
  const caseId = useCaseId();
  const onChanged = useCaseChanged();
  const api = useApi();
  const styles = useListStyles();
  const { t, formatDateTime } = useI18n();
  const emails = useCaseData('emails', (id, signal) => api.caseEmails(id, signal));
  const [rows, setRows] = useState<Record<string, RowState>>({});
  const [done, setDone] = useState<string | null>(null);
  const announce = useAnnouncer();
  const set = (id: string, state: RowState) => setRows((r) => ({ ...r, [id]: state }));

  const unlink = async (email: CaseEmailRecord) => {
    set(email.id, { status: 'busy' });
    try {
      await api.unlinkEmail(caseId, email.id);
      set(email.id, { status: 'idle' });
      setDone(t('emailUnlinked'));
      announce(t('emailUnlinked'));
      onChanged();
      props.onMessageMoved?.(email.internet_message_id, null);
    } catch (error) {
      set(email.id, { status: 'failed', message: failureText(t, error) });
      announce(failureText(t, error));
    }
  };

  const move = async (event: FormEvent, email: CaseEmailRecord, number: string) => {
    event.preventDefault();
    const digits = /^#?(\d{1,16})$/.exec(number.trim())?.[1];
    if (!digits) return set(email.id, { status: 'failed', message: t('moveNeedsNumber') });
    set(email.id, { status: 'busy' });
    try {
      const [target] = await api.searchCases({ criteria: `(Case_Number:equals:${digits})` });
      if (!target) return set(email.id, { status: 'failed', message: t('moveNoCase', { number: digits }) });
      await api.moveEmail(caseId, email.id, target.id);
      set(email.id, { status: 'idle' });
      setDone(t('emailMoved', { number: target.Case_Number }));
      onChanged();
      props.onMessageMoved?.(email.internet_message_id, { id: target.id, caseNumber: target.Case_Number });
    } catch (error) {
      set(email.id, { status: 'failed', message: failureText(t, error) });
    }
  };

  const row = (email: CaseEmailRecord) => {
    const state = rows[email.id] ?? { status: 'idle' };
    const sent = email.direction === 'sent';
    return (
      <li key={email.id} className={styles.item} data-testid={`case-email-${email.id}`}>
        <div className={styles.row}>
          <Badge appearance="tint" color={sent ? 'brand' : 'informative'}>
            {sent ? t('emailSent') : t('emailReceived')}
          </Badge>
          {/* Email content is untrusted: plain text only. */}
          <Text weight="semibold" className={styles.text}>
            {email.subject ?? t('noSubject')}
          </Text>
        </div>
        <Text size={200} className={styles.muted}>
          {sent
            ? t('emailTo', { to: email.to.map((a) => a.email).join(', ') })
            : t('emailFrom', {
                from: email.from.name ? `${email.from.name} <${email.from.email}>` : email.from.email,
              })}
          {' · '}
          {formatDateTime(email.sent_time ?? email.linked_time)}
        </Text>
        {state.status === 'failed' && (
          <Text size={200} role="alert">
            {state.message}
          </Text>
        )}
        {state.status === 'move' ? (
          <form className={styles.row} onSubmit={(e) => void move(e, email, state.number)}>
            <Field label={t('moveToCase')} className={styles.grow}>
              <Input
                data-testid={`email-move-input-${email.id}`}
                value={state.number}
                onChange={(_, d) => set(email.id, { status: 'move', number: d.value })}
              />
            </Field>
            <Button
              type="submit"
              size="small"
              appearance="primary"
              data-testid={`email-move-confirm-${email.id}`}
            >
              {t('move')}
            </Button>
            <Button size="small" onClick={() => set(email.id, { status: 'idle' })}>
              {t('cancel')}
            </Button>
          </form>
        ) : state.status === 'confirm-unlink' ? (
          <div className={styles.row}>
            <Text size={200}>{t('unlinkConfirm')}</Text>
            <Button
              size="small"
              appearance="primary"
              data-testid={`email-unlink-confirm-${email.id}`}
              onClick={() => void unlink(email)}
            >
              {t('unlink')}
            </Button>
            <Button size="small" onClick={() => set(email.id, { status: 'idle' })}>
              {t('cancel')}
            </Button>
          </div>
        ) : (
          !sent && (
            <div className={styles.row}>
              <Button
                size="small"
                data-testid={`email-unlink-${email.id}`}
                aria-label={t('unlinkLabel', { subject: email.subject ?? '' })}
                disabled={state.status === 'busy'}
                onClick={() => set(email.id, { status: 'confirm-unlink' })}
              >
                {t('unlink')}
              </Button>
              <Button
                size="small"
                data-testid={`email-move-${email.id}`}
                aria-label={t('moveLabel', { subject: email.subject ?? '' })}
                disabled={state.status === 'busy'}
                onClick={() => set(email.id, { status: 'move', number: '' })}
              >
                {t('moveEllipsis')}
              </Button>
            </div>
          )
        )}
      </li>
    );
  };

  return (
    <section className={styles.section} data-testid="case-emails" aria-label={t('sectionEmails')}>
      {done && (
        <Text role="status" data-testid="case-email-done">
          {done}
        </Text>
      )}
      <Loaded
        state={emails.state}
        reload={emails.reload}
        loadingLabel={t('loading')}
        emptyText={t('emailsNone')}
      >
        {(items) => <ul className={styles.list}>{items.map(row)}</ul>}
      </Loaded>
    </section>
  );
}
