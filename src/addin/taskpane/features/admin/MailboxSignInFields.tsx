import { Field, Input, Radio, RadioGroup } from '@fluentui/react-components';
import type { MailboxRecord } from '../../../../shared/mailbox-types';
import { usePartI18n } from '../../../i18n';
import { type AdminKey, ADMIN_TEXT } from '../../../i18n/catalogs/admin';
import type { MailboxDraft, MailboxSignIn } from './mailbox-draft';

/** The three ways in, in the order the form offers them (the list of mailboxes names each the same way). */
export const SIGN_IN_LABELS: Record<MailboxSignIn, AdminKey> = {
  password: 'mailboxSignInPassword',
  oauth: 'mailboxSignInOauth',
  token: 'mailboxSignInToken',
};

/** How the server signs in to the mailbox, and only the fields that way needs. Secrets are write-only. */
export function MailboxSignInFields(props: {
  draft: MailboxDraft;
  stored: MailboxRecord | null;
  set<K extends keyof MailboxDraft>(key: K, value: MailboxDraft[K]): void;
}) {
  const { draft: d, stored, set } = props;
  const { t } = usePartI18n(ADMIN_TEXT);
  const secretHint = (isSet: boolean | undefined) => (isSet ? t('mailboxSecretKept') : t('mailboxSecretNew'));
  const secret = (key: 'password' | 'accessToken' | 'clientSecret', label: AdminKey, isSet?: boolean) => (
    <Field label={t(label)} hint={secretHint(isSet)} required={!isSet}>
      <Input
        type="password"
        autoComplete={key === 'password' ? 'new-password' : 'off'}
        data-testid={`mailbox-${key === 'accessToken' ? 'token' : key === 'clientSecret' ? 'client-secret' : key}`}
        placeholder={isSet ? '••••••••' : undefined}
        value={d[key]}
        onChange={(_, v) => set(key, v.value)}
      />
    </Field>
  );
  const line = (key: 'tokenUrl' | 'clientId' | 'scope', label: AdminKey, hint?: AdminKey) => (
    <Field label={t(label)} hint={hint ? t(hint) : undefined} required={key !== 'scope'}>
      <Input
        data-testid={`mailbox-${key === 'tokenUrl' ? 'token-url' : key === 'clientId' ? 'client-id' : 'scope'}`}
        value={d[key]}
        onChange={(_, v) => set(key, v.value)}
      />
    </Field>
  );
  return (
    <>
      <Field label={t('mailboxSignIn')}>
        <RadioGroup
          data-testid="mailbox-sign-in"
          value={d.signIn}
          onChange={(_, v) => set('signIn', v.value as MailboxSignIn)}
        >
          {(Object.keys(SIGN_IN_LABELS) as MailboxSignIn[]).map((way) => (
            <Radio
              key={way}
              value={way}
              label={t(SIGN_IN_LABELS[way])}
              data-testid={`mailbox-sign-in-${way}`}
            />
          ))}
        </RadioGroup>
      </Field>
      {d.signIn === 'password' && secret('password', 'mailboxPassword', stored?.password_set)}
      {d.signIn === 'token' && secret('accessToken', 'mailboxToken', stored?.access_token_set)}
      {d.signIn === 'oauth' && (
        <>
          {line('tokenUrl', 'mailboxTokenUrl', 'mailboxTokenUrlHint')}
          {line('clientId', 'mailboxClientId')}
          {secret('clientSecret', 'mailboxClientSecret', stored?.oauth?.client_secret_set)}
          {line('scope', 'mailboxScope', 'mailboxScopeHint')}
        </>
      )}
    </>
  );
}
