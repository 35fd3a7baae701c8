import {
  Button,
  Dropdown,
  Field,
  Input,
  Option,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons';
import { useI18n } from '../../../i18n';
import type { DraftLookup } from '../../../storage/drafts';
import { failureText } from '../../components/failure';
import { usePaneSession } from '../../services';
import type { ContactState } from './useSenderContact';

const useStyles = makeStyles({
  contactRow: {
    display: 'flex',
    columnGap: tokens.spacingHorizontalS,
    alignItems: 'center',
    flexWrap: 'wrap',
  },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** The Owner option that leaves the choice to the server's assignment rules (no user has an empty id). */
const AUTOMATIC_OWNER = '';

interface LookupProps {
  label: string;
  value: DraftLookup | null;
  onChange(value: DraftLookup | null): void;
}

/** Who can own a case: the active users, or at least the agent where the user list could not be read. */
export function useOwnerChoices() {
  const { me, users } = usePaneSession();
  const choices = users.length ? users : me ? [me] : [];
  const options = choices.map((u) => (
    <Option key={u.id} value={u.id} text={u.full_name}>
      {u.full_name}
    </Option>
  ));
  return { choices, options };
}

/** The case owner: one of the active users, or the server's assignment rules (the default). */
export function OwnerPicker({ label, value, onChange }: LookupProps) {
  const { t } = useI18n();
  const { choices: ownerOptions, options } = useOwnerChoices();
  return (
    <Field label={label}>
      <Dropdown
        data-testid="field-Owner"
        placeholder={t('ownerAutomatic')}
        value={value?.name ?? ''}
        selectedOptions={value ? [value.id] : [AUTOMATIC_OWNER]}
        onOptionSelect={(_, data) => {
          const user = ownerOptions.find((u) => u.id === data.optionValue);
          onChange(user ? { id: user.id, name: user.full_name } : null);
        }}
      >
        <Option key={AUTOMATIC_OWNER} value={AUTOMATIC_OWNER} text={t('ownerAutomatic')}>
          {t('ownerAutomatic')}
        </Option>
        {options}
      </Dropdown>
    </Field>
  );
}

/** A lookup filled from the contact, never typed: readable, but no Tab stop (issue 16, item 1); it can be cleared. */
export function LookupField({ apiName, label, value, onChange }: LookupProps & { apiName: string }) {
  const { t } = useI18n();
  return (
    <Field label={label}>
      <Input
        data-testid={`field-${apiName}`}
        tabIndex={-1}
        readOnly
        value={value?.name ?? ''}
        contentAfter={
          value ? (
            <Button
              size="small"
              appearance="transparent"
              icon={<DismissRegular />}
              aria-label={t('clearValue', { field: label })}
              onClick={() => onChange(null)}
            />
          ) : undefined
        }
      />
    </Field>
  );
}

/** Related To, with how the search for the sender's contact went and a way to create one when there is none. */
export function RelatedToField(
  props: LookupProps & { sender: string; contact: ContactState; onCreateContact(): void },
) {
  const { sender, contact, onCreateContact, ...lookup } = props;
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <div>
      <LookupField apiName="Related_To" {...lookup} />
      <div className={styles.contactRow} aria-live="polite">
        {contact.status === 'searching' && <Spinner size="extra-tiny" label={t('contactSearching')} />}
        {(contact.status === 'none' || contact.status === 'creating') && !lookup.value && (
          <>
            <Text size={200} className={styles.muted}>
              {t('contactNone', { email: sender })}
            </Text>
            <Button
              size="small"
              data-testid="create-contact"
              disabled={contact.status === 'creating'}
              onClick={onCreateContact}
            >
              {contact.status === 'creating' ? t('creatingContact') : t('createContact')}
            </Button>
          </>
        )}
        {contact.status === 'failed' && (
          <Text size={200} role="alert">
            {t('contactCreateFailed', { message: failureText(t, contact.error) })}
          </Text>
        )}
      </div>
    </div>
  );
}
