import { Button, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { MailboxInput, MailboxRecord } from '../../../../shared/mailbox-types';
import { useLoad } from '../../hooks/useLoad';
import { usePartI18n } from '../../../i18n';
import { ADMIN_TEXT } from '../../../i18n/catalogs/admin';
import { ActionOutcome, LoadOutcome, useAdminAction } from './admin-parts';
import { useAdminStyles } from './admin-styles';
import { MailboxForm } from './MailboxForm';
import { signInOf } from './mailbox-draft';
import { SIGN_IN_LABELS } from './MailboxSignInFields';
import { useApi } from '../../services';

/** One mailbox's status line: when it was last read, what it captured, the last error (kept until a good read). */
function MailboxStatus({ mailbox }: { mailbox: MailboxRecord }) {
  const styles = useAdminStyles();
  const { t, language } = usePartI18n(ADMIN_TEXT);
  const when = (iso: string) => new Date(iso).toLocaleString(language);
  const { status } = mailbox;
  const count = String(status.messages_captured);
  return (
    <div className={styles.name}>
      <Text weight="semibold">
        {mailbox.name}
        {!mailbox.enabled && ` · ${t('mailboxOff')}`}
      </Text>
      <Text size={200} className={styles.muted}>
        {mailbox.user} @ {mailbox.host}:{mailbox.port} · {mailbox.folder}
      </Text>
      <Text size={200} className={styles.muted} data-testid={`mailbox-status-${mailbox.id}`}>
        {status.last_poll_time
          ? t('mailboxStatus', { time: when(status.last_poll_time), count })
          : t('mailboxNeverPolled', { count })}
      </Text>
      <Text size={200} className={styles.muted}>
        {t('mailboxSignsInWith', { way: t(SIGN_IN_LABELS[signInOf(mailbox)]) })}
        {mailbox.acknowledgement.enabled && ` · ${t('mailboxAckOn')}`}
      </Text>
      {status.last_error && (
        <Text size={200} role="note" data-testid={`mailbox-error-${mailbox.id}`}>
          {t('mailboxLastError', {
            time: status.last_error_time ? when(status.last_error_time) : '',
            message: status.last_error,
          })}
        </Text>
      )}
    </div>
  );
}

/** Support mailboxes (issue 11): list with status, add, edit (secrets write-only), delete. */
export function MailboxesAdmin() {
  const api = useApi();
  const styles = useAdminStyles();
  const { t } = usePartI18n(ADMIN_TEXT);
  const loaded = useLoad('mailboxes', async () => {
    const [mailboxes, templates] = await Promise.all([api.mailboxes(), api.emailTemplates()]);
    return { mailboxes, templates };
  });
  const [editing, setEditing] = useState<MailboxRecord | null>(null);
  // A new key mounts a fresh form after each save, so nothing typed (a password above all) lingers in it.
  const [formKey, setFormKey] = useState(0);
  const { status, act, busy } = useAdminAction(loaded.reload);
  const { mailboxes, templates } =
    loaded.state.status === 'ready' ? loaded.state.value : { mailboxes: [], templates: [] };

  const save = (id: string | null, input: MailboxInput, name: string) =>
    void act(
      async () => {
        await api.saveMailbox(id, input);
        setEditing(null);
        setFormKey((k) => k + 1);
      },
      t(id ? 'mailboxUpdated' : 'mailboxAdded', { name }),
    );
  const remove = (m: MailboxRecord) =>
    void act(
      async () => {
        await api.deleteMailbox(m.id);
        if (editing?.id === m.id) setEditing(null);
      },
      t('mailboxDeleted', { name: m.name }),
    );

  return (
    <section className={styles.section} aria-labelledby="mailboxes-title" data-testid="mailboxes-admin">
      <Text as="h2" id="mailboxes-title" weight="semibold" size={400}>
        {t('mailboxesTitle')}
      </Text>
      <Text className={styles.muted}>{t('mailboxesHint')}</Text>
      <LoadOutcome state={loaded.state} />
      {loaded.state.status === 'ready' && mailboxes.length === 0 && <Text>{t('mailboxesNone')}</Text>}
      {mailboxes.length > 0 && (
        <ul className={styles.list} aria-label={t('mailboxesTitle')}>
          {mailboxes.map((m) => (
            <li key={m.id} className={styles.item} data-testid={`mailbox-${m.id}`}>
              <MailboxStatus mailbox={m} />
              <Button
                size="small"
                data-testid={`mailbox-edit-${m.id}`}
                aria-label={t('mailboxEdit', { name: m.name })}
                disabled={busy}
                onClick={() => (setEditing(m), setFormKey((k) => k + 1))}
              >
                {t('edit')}
              </Button>
              <Button
                size="small"
                data-testid={`mailbox-delete-${m.id}`}
                aria-label={t('mailboxDelete', { name: m.name })}
                disabled={busy}
                onClick={() => remove(m)}
              >
                {t('delete')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <div className={styles.row}>
        <Button size="small" data-testid="mailboxes-refresh" onClick={loaded.reload} disabled={busy}>
          {t('mailboxesRefresh')}
        </Button>
      </div>
      <ActionOutcome status={status} testIdPrefix="mailbox" errorKey="mailboxError" />
      <MailboxForm
        key={formKey}
        editing={editing}
        templates={templates}
        busy={busy}
        onSave={save}
        onCancel={() => (setEditing(null), setFormKey((k) => k + 1))}
      />
    </section>
  );
}
