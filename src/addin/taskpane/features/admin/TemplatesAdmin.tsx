import { Button, Field, Input, Text, Textarea } from '@fluentui/react-components';
import { FormEvent, useState } from 'react';
import type { EmailTemplate } from '../../../../shared/followup-types';
import { usePartI18n } from '../../../i18n';
import { ADMIN_TEXT } from '../../../i18n/catalogs/admin';
import { MERGE_FIELDS } from '../../components/merge-fields';
import { useLoad } from '../../hooks/useLoad';
import { useAdminStyles } from './admin-styles';
import { ActionOutcome, LoadOutcome, useAdminAction } from './admin-parts';
import { useApi } from '../../services';

// The server's limits (MAIL_LIMITS), so the form stops where the API would refuse.
const LIMITS = { name: 120, subject: 998, body: 100_000 };
const EMPTY = { id: '', name: '', subject: '', body: '' };

/** Email templates for single and bulk emails from cases: add, edit, delete; merge fields filled when sent. */
export function TemplatesAdmin() {
  const api = useApi();
  const styles = useAdminStyles();
  const { t } = usePartI18n(ADMIN_TEXT);
  const loaded = useLoad('templates', () => api.emailTemplates());
  const [form, setForm] = useState<EmailTemplate>(EMPTY);
  const { status, act, busy } = useAdminAction(loaded.reload);
  const templates = loaded.state.status === 'ready' ? loaded.state.value : [];
  const editing = form.id !== '';
  const canSave = form.name.trim() !== '' && form.subject.trim() !== '' && form.body.trim() !== '' && !busy;

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (!canSave) return;
    const name = form.name.trim();
    void act(
      async () => {
        if (editing) await api.updateEmailTemplate({ ...form, name });
        else await api.addEmailTemplate({ name, subject: form.subject, body: form.body });
        setForm(EMPTY);
      },
      t(editing ? 'templateUpdated' : 'templateAdded', { name }),
    );
  };

  return (
    <section className={styles.section} aria-labelledby="templates-title" data-testid="templates-admin">
      <Text as="h2" id="templates-title" weight="semibold" size={400}>
        {t('templatesTitle')}
      </Text>
      <LoadOutcome state={loaded.state} />
      {loaded.state.status === 'ready' && templates.length === 0 && <Text>{t('templatesNone')}</Text>}
      {templates.length > 0 && (
        <ul className={styles.list} aria-label={t('templatesTitle')}>
          {templates.map((template) => (
            <li key={template.id} className={styles.item} data-testid={`template-${template.id}`}>
              <div className={styles.name}>
                <Text weight="semibold">{template.name}</Text>
                <Text size={200} className={styles.muted}>
                  {template.subject}
                </Text>
              </div>
              <Button
                size="small"
                data-testid={`template-edit-${template.id}`}
                aria-label={t('templateEdit', { name: template.name })}
                disabled={busy}
                onClick={() => setForm(template)}
              >
                {t('edit')}
              </Button>
              <Button
                size="small"
                data-testid={`template-delete-${template.id}`}
                aria-label={t('templateDelete', { name: template.name })}
                disabled={busy}
                onClick={() =>
                  void act(
                    async () => {
                      await api.deleteEmailTemplate(template.id);
                      setForm((f) => (f.id === template.id ? EMPTY : f));
                    },
                    t('templateDeleted', { name: template.name }),
                  )
                }
              >
                {t('delete')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <ActionOutcome status={status} testIdPrefix="template" errorKey="templateError" />

      <form
        className={styles.form}
        onSubmit={save}
        aria-labelledby="template-form-title"
        data-testid="template-form"
      >
        <Text as="h3" id="template-form-title" weight="semibold">
          {editing ? t('templateEditTitle', { name: form.name }) : t('templateAdd')}
        </Text>
        <Field label={t('templateName')} required>
          <Input
            data-testid="template-name"
            value={form.name}
            maxLength={LIMITS.name}
            onChange={(_, d) => setForm((f) => ({ ...f, name: d.value }))}
          />
        </Field>
        <Field label={t('templateSubject')} required>
          <Input
            data-testid="template-subject"
            value={form.subject}
            maxLength={LIMITS.subject}
            onChange={(_, d) => setForm((f) => ({ ...f, subject: d.value }))}
          />
        </Field>
        <Field
          label={t('templateBody')}
          required
          hint={t('templateMergeHint', { fields: MERGE_FIELDS.map((m) => `{{${m}}}`).join(' ') })}
        >
          <Textarea
            data-testid="template-body"
            resize="vertical"
            rows={6}
            value={form.body}
            maxLength={LIMITS.body}
            onChange={(_, d) => setForm((f) => ({ ...f, body: d.value }))}
          />
        </Field>
        <div className={styles.row}>
          <Button appearance="primary" type="submit" data-testid="template-save" disabled={!canSave}>
            {busy ? t('saving') : editing ? t('templateSaveChanges') : t('templateAdd')}
          </Button>
          {editing && (
            <Button data-testid="template-cancel" onClick={() => setForm(EMPTY)}>
              {t('cancel')}
            </Button>
          )}
        </div>
      </form>
    </section>
  );
}
