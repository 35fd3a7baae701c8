import {
  Button,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Option,
  Radio,
  RadioGroup,
  Textarea,
} from '@fluentui/react-components';
import { FormEvent, useState } from 'react';
import type { CaseRecord } from '../../../../shared/api-types';
import { isValidEmail } from '../../../../shared/validation';
import { ApiFailure } from '../../../api/errors';
import type { EmailTemplate } from '../../../../shared/followup-types';
import { useI18n } from '../../../i18n';
import { failureText } from '../../components/failure';
import { renderTemplate } from '../../components/merge-fields';
import { useLoad } from '../../hooks/useLoad';
import { useListStyles } from './styles';
import { useApi } from '../../services';

export { renderTemplate };

type SendState =
  | { status: 'idle' }
  | { status: 'sending' }
  | { status: 'sent'; subject: string; to: string; queued: boolean }
  | { status: 'failed'; error: unknown };

/** One email to the case's contact (or another address) through the server's SMTP, from a template or typed. */
export function SendEmail({ record, onSent }: { record: CaseRecord; onSent(): void }) {
  const api = useApi();
  const styles = useListStyles();
  const { t } = useI18n();
  const templates = useLoad('templates', () => api.emailTemplates());
  const primary = record.Email ?? '';
  const [target, setTarget] = useState<'primary' | 'other'>(primary ? 'primary' : 'other');
  const [other, setOther] = useState('');
  const [templateId, setTemplateId] = useState<string | null>(null);
  const [subject, setSubject] = useState(`Re: ${record.Subject}`);
  const [body, setBody] = useState('');
  const [send, setSend] = useState<SendState>({ status: 'idle' });
  const list: EmailTemplate[] = templates.state.status === 'ready' ? templates.state.value : [];
  const to = target === 'primary' ? primary : other.trim();
  const addressOk = isValidEmail(to);

  const pickTemplate = (id: string | undefined) => {
    const template = list.find((x) => x.id === id);
    setTemplateId(template?.id ?? null);
    if (template) {
      // What the agent sees is what is sent: merge fields filled here, editable before sending.
      setSubject(renderTemplate(template.subject, record));
      setBody(renderTemplate(template.body, record));
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!addressOk || !body.trim() || send.status === 'sending') return;
    setSend({ status: 'sending' });
    try {
      const name = target === 'primary' ? (record.Related_To?.name ?? record.Reported_By ?? null) : null;
      const sent = await api.sendCaseMail(record.id, {
        to: [{ email: to, ...(name ? { name } : {}) }],
        subject,
        content: body,
        ...(templateId ? { template_id: templateId } : {}),
      });
      setSend({ status: 'sent', subject: sent.subject || subject, to, queued: sent.queued });
      setBody('');
      onSent();
    } catch (error) {
      setSend({ status: 'failed', error });
    }
  };

  const failed = send.status === 'failed' ? send.error : null;
  const notConfigured = failed instanceof ApiFailure && failed.details.code === 'NOT_SUPPORTED';

  return (
    <form
      className={styles.form}
      data-testid="send-email-form"
      onSubmit={(e) => void submit(e)}
      aria-label={t('sectionSend')}
      noValidate
    >
      <RadioGroup
        value={target}
        onChange={(_, d) => setTarget(d.value as 'primary' | 'other')}
        aria-label={t('sendTo')}
      >
        <Radio
          value="primary"
          disabled={!primary}
          data-testid="send-to-primary"
          label={primary ? t('sendToPrimary', { email: primary }) : t('sendNoPrimary')}
        />
        <Radio value="other" data-testid="send-to-other" label={t('sendToOther')} />
      </RadioGroup>
      {target === 'other' && (
        <Field
          label={t('sendAddress')}
          required
          validationState={other && !addressOk ? 'error' : 'none'}
          validationMessage={
            other && !addressOk ? t('fieldInvalidEmail', { field: t('sendAddress') }) : undefined
          }
        >
          <Input
            data-testid="send-address"
            type="email"
            value={other}
            onChange={(_, d) => setOther(d.value)}
          />
        </Field>
      )}
      <Field label={t('template')}>
        <Dropdown
          data-testid="send-template"
          placeholder={templates.state.status === 'loading' ? t('loading') : t('noTemplate')}
          value={list.find((x) => x.id === templateId)?.name ?? ''}
          selectedOptions={templateId ? [templateId] : []}
          onOptionSelect={(_, d) => pickTemplate(d.optionValue)}
        >
          {list.map((x) => (
            <Option key={x.id} value={x.id} text={x.name}>
              {x.name}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <Field label={t('mailSubject')} hint={t('subjectReferenceHint', { number: record.Case_Number })}>
        <Input data-testid="send-subject" value={subject} onChange={(_, d) => setSubject(d.value)} />
      </Field>
      <Field label={t('mailBody')} required>
        <Textarea
          data-testid="send-body"
          resize="vertical"
          value={body}
          onChange={(_, d) => setBody(d.value)}
        />
      </Field>
      {send.status === 'sent' && (
        <MessageBar intent={send.queued ? 'warning' : 'success'} data-testid="send-result">
          <MessageBarBody>
            {t(send.queued ? 'mailQueued' : 'mailSent', { to: send.to, subject: send.subject })}
          </MessageBarBody>
        </MessageBar>
      )}
      {failed !== null && (
        <MessageBar intent="error" data-testid="send-error" role="alert">
          <MessageBarBody>
            {notConfigured ? t('mailNotConfigured') : t('mailFailed', { message: failureText(t, failed) })}
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.row}>
        <Button
          type="submit"
          appearance="primary"
          data-testid="send-email"
          disabled={!addressOk || !body.trim() || send.status === 'sending'}
        >
          {send.status === 'sending' ? t('sending') : t('send')}
        </Button>
      </div>
    </form>
  );
}
