import { Button, Field, Input, Select, Switch, Text, Textarea } from '@fluentui/react-components';
import { FormEvent, useState } from 'react';
import type { EmailTemplate } from '../../../../shared/followup-types';
import type { MailboxInput, MailboxRecord } from '../../../../shared/mailbox-types';
import { usePartI18n } from '../../../i18n';
import { ADMIN_TEXT } from '../../../i18n/catalogs/admin';
import { type MailboxDraft as Draft, draftOf, hasSignIn, inputOf } from './mailbox-draft';
import { MailboxSignInFields } from './MailboxSignInFields';
import { useAdminStyles } from './admin-styles';

/** Add or edit one support mailbox; `editing` null adds one. */
export function MailboxForm(props: {
  editing: MailboxRecord | null;
  templates: EmailTemplate[];
  busy: boolean;
  onSave(id: string | null, input: MailboxInput, name: string): void;
  onCancel(): void;
}) {
  const { editing, templates, busy } = props;
  const styles = useAdminStyles();
  const { t } = usePartI18n(ADMIN_TEXT);
  const [d, setD] = useState<Draft>(() => draftOf(editing));
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setD((old) => ({ ...old, [key]: value }));
  const canSave =
    d.name.trim() !== '' && d.host.trim() !== '' && d.user.trim() !== '' && hasSignIn(d, editing) && !busy;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (canSave) props.onSave(editing?.id ?? null, inputOf(d, editing), d.name.trim());
  };
  const text = (key: keyof Draft, label: Parameters<typeof t>[0], extra: object = {}) => (
    <Field label={t(label)} required={['name', 'host', 'user'].includes(key)} {...extra}>
      <Input
        data-testid={`mailbox-${key}`}
        value={String(d[key])}
        onChange={(_, v) => set(key, v.value as never)}
      />
    </Field>
  );
  return (
    <form
      className={styles.form}
      onSubmit={submit}
      aria-labelledby="mailbox-form-title"
      data-testid="mailbox-form"
    >
      <Text as="h3" id="mailbox-form-title" weight="semibold">
        {editing ? t('mailboxEditTitle', { name: editing.name }) : t('mailboxAdd')}
      </Text>
      {text('name', 'mailboxName')}
      {text('host', 'mailboxHost')}
      {text('port', 'mailboxPort')}
      <Switch
        data-testid="mailbox-secure"
        label={t('mailboxTls')}
        checked={d.secure}
        onChange={(_, v) => set('secure', v.checked)}
      />
      {!d.secure && (
        <Switch
          data-testid="mailbox-starttls"
          label={t('mailboxStarttls')}
          checked={d.starttls}
          onChange={(_, v) => set('starttls', v.checked)}
        />
      )}
      {text('user', 'mailboxUser')}
      <MailboxSignInFields draft={d} stored={editing} set={set} />
      {text('folder', 'mailboxFolder')}
      <Switch
        data-testid="mailbox-enabled"
        label={t('mailboxEnabled')}
        checked={d.enabled}
        onChange={(_, v) => set('enabled', v.checked)}
      />
      <Field label={t('mailboxNeverCapture')} hint={t('mailboxNeverCaptureHint')}>
        <Textarea
          data-testid="mailbox-never-capture"
          resize="vertical"
          rows={3}
          value={d.neverCapture}
          onChange={(_, v) => set('neverCapture', v.value)}
        />
      </Field>
      <Switch
        data-testid="mailbox-ack"
        label={t('mailboxAck')}
        checked={d.ackEnabled}
        onChange={(_, v) => set('ackEnabled', v.checked)}
      />
      {d.ackEnabled && (
        <Field label={t('mailboxAckTemplate')} required>
          <Select
            data-testid="mailbox-ack-template"
            value={d.ackTemplateId}
            onChange={(_, v) => set('ackTemplateId', v.value)}
          >
            <option value="">{t('mailboxAckChoose')}</option>
            {templates.map((tpl) => (
              <option key={tpl.id} value={tpl.id}>
                {tpl.name}
              </option>
            ))}
          </Select>
        </Field>
      )}
      <div className={styles.row}>
        <Button appearance="primary" type="submit" data-testid="mailbox-save" disabled={!canSave}>
          {busy ? t('saving') : editing ? t('templateSaveChanges') : t('mailboxAdd')}
        </Button>
        {editing && (
          <Button data-testid="mailbox-cancel" onClick={props.onCancel}>
            {t('cancel')}
          </Button>
        )}
      </div>
    </form>
  );
}
