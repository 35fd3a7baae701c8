import {
  Button,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Option,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { FormEvent, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { ContactRecord } from '../../../../shared/api-types';
import { FieldDefinition, fieldByApiName, labelOf } from '../../../../shared/case-fields';
import { isValidEmail } from '../../../../shared/validation';
import type { CreatedCase } from '../../../api/client';
import { ApiFailure } from '../../../api/errors';
import { useI18n } from '../../../i18n';
import type { OpenMessage } from '../../../office/types';
import type { DraftLookup } from '../../../storage/drafts';
import { asStored, usePersistentDraft } from '../../hooks/usePersistentDraft';
import { useAnnouncer } from '../../components/Announcer';
import { failureText } from '../../components/failure';
import { statusLabel } from '../../components/StatusBadge';
import { toEmailMessageInput } from '../../message-input';
import { usePaneSession, useServices } from '../../services';
import { FieldControl } from './FieldControl';
import { formKeyDown } from './form-keys';
import { MoreFields } from './MoreFields';
import {
  COUNTER_FROM,
  FormDraft,
  contactNameParts,
  fieldErrorText,
  formFields,
  prefillDraft,
  splitQuick,
  validateDraft,
} from './form-model';
import { DismissRegular } from '@fluentui/react-icons';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  // Sticky: Save is on screen at every width and height, however long the form (issue 16, item 1).
  actions: {
    position: 'sticky',
    bottom: '0',
    zIndex: 1,
    display: 'flex',
    columnGap: tokens.spacingHorizontalS,
    alignItems: 'center',
    flexWrap: 'wrap',
    paddingTop: tokens.spacingVerticalS,
    paddingBottom: tokens.spacingVerticalS,
    backgroundColor: tokens.colorNeutralBackground1,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  hint: { color: tokens.colorNeutralForeground3 },
  contactRow: {
    display: 'flex',
    columnGap: tokens.spacingHorizontalS,
    alignItems: 'center',
    flexWrap: 'wrap',
  },
  muted: { color: tokens.colorNeutralForeground3 },
  created: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS },
});

export interface NewCaseFormProps {
  message: OpenMessage;
  /** The message's key in draft storage (its internet message id). */
  draftKey: string;
  /** The signed-in mailbox, recorded with the linked message. */
  mailbox: string | null;
  onCreated?(created: CreatedCase): void;
  /** Open the saved case in the detail view. */
  onOpenCase?(caseId: string): void;
  /** False where the pane shows the saved case itself (its status view): the form then shows nothing. */
  showResult?: boolean;
}

type SaveState =
  | { status: 'idle' }
  | { status: 'saving'; slow?: boolean }
  | { status: 'failed'; error: unknown; timedOut?: boolean }
  | { status: 'created'; created: CreatedCase; caseStatus: string };

type ContactState =
  | { status: 'idle' }
  | { status: 'searching' }
  | { status: 'found'; contact: ContactRecord }
  | { status: 'none' }
  | { status: 'creating' }
  | { status: 'failed'; error: unknown };

function contactLookups(contact: ContactRecord): Record<string, DraftLookup | null> {
  return {
    Related_To: {
      id: contact.id,
      name: contact.Full_Name || [contact.First_Name, contact.Last_Name].filter(Boolean).join(' '),
    },
    Account_Name: contact.Account_Name
      ? { id: contact.Account_Name.id, name: contact.Account_Name.name }
      : null,
  };
}

/** After this long a save says it is still trying; after GIVE_UP_MS it stops and offers Retry. */
const STILL_TRYING_MS = 3_000;
const GIVE_UP_MS = 10_000;

/** The call's own answer, or a rejection as soon as `signal` aborts (even if the call ignores its signal). */
function withDeadline<T>(call: Promise<T>, signal: AbortSignal): Promise<T> {
  return Promise.race([
    call,
    new Promise<never>((_, reject) =>
      signal.addEventListener('abort', () => reject(new ApiFailure('network', 'no answer in time')), {
        once: true,
      }),
    ),
  ]);
}

/** The Owner option that leaves the choice to the server's assignment rules (no user has an empty id). */
const AUTOMATIC_OWNER = '';

export function NewCaseForm(props: NewCaseFormProps) {
  const { message, draftKey, mailbox, onCreated, onOpenCase } = props;
  const { api, drafts } = useServices();
  const { fields, me, users } = usePaneSession();
  const styles = useStyles();
  const { t, language } = useI18n();
  const formRef = useRef<HTMLFormElement>(null);
  const saving = useRef(false);
  // Set when a save was given up on: the server may still have made the case, so its retry is no duplicate.
  const gaveUp = useRef(false);
  const announce = useAnnouncer();
  // The result of a save (the case, or why it failed) takes the focus, so keyboard and screen reader land on it.
  const result = useRef<HTMLDivElement>(null);

  const [start] = useState(() => {
    const prefill = prefillDraft(message, fields);
    const restored = drafts.load(draftKey);
    if (!restored) return { value: prefill, dirty: false };
    // A draft kept from before, over what the message prefills now: written back at once.
    return {
      value: {
        values: { ...prefill.values, ...restored.values },
        lookups: restored.lookups,
        descriptionTruncated: restored.descriptionTruncated,
        unsent: restored.unsent,
      },
      dirty: true,
    };
  });
  // Nothing typed is lost: every change of an edited form is kept for this message until the case is saved.
  const {
    value: draft,
    edit: editDraft,
    adjust: adjustDraft,
    clear: clearDraft,
  } = usePersistentDraft<FormDraft>(drafts, draftKey, () => start, asStored);
  const [restored, setRestored] = useState(start.dirty);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [save, setSave] = useState<SaveState>({ status: 'idle' });
  const sender = message.from.email;
  const [searchContact] = useState(
    () => start.value.lookups.Related_To === undefined && isValidEmail(sender),
  );
  const [contact, setContact] = useState<ContactState>(
    searchContact ? { status: 'searching' } : { status: 'idle' },
  );

  // Related To / Account: the contact with the sender's address, unless the agent already chose (or cleared) one.
  useEffect(() => {
    if (!searchContact) return;
    let active = true;
    api.searchContacts(sender).then(
      (found) => {
        if (!active) return;
        const match = found.find((c) => c.Email?.toLowerCase() === sender.toLowerCase()) ?? found[0];
        if (!match) return setContact({ status: 'none' });
        setContact({ status: 'found', contact: match });
        adjustDraft((d) =>
          d.lookups.Related_To === undefined
            ? { ...d, lookups: { ...contactLookups(match), ...d.lookups } }
            : d,
        );
      },
      (error: unknown) => {
        if (active) setContact({ status: 'failed', error });
      },
    );
    return () => {
      active = false;
    };
  }, [api, sender, searchContact, adjustDraft]);

  const shown = formFields(fields);
  const { quick, more } = splitQuick(shown);
  const [moreOpen, setMoreOpen] = useState(false);
  const field = (apiName: string) => fieldByApiName(fields, apiName);
  const label = (apiName: string) => {
    const f = field(apiName);
    return f ? labelOf(f, language) : apiName;
  };

  const change = (apiName: string, value: string) => {
    editDraft((d) => ({ ...d, values: { ...d.values, [apiName]: value } }));
    setErrors((e) => {
      if (!(apiName in e)) return e;
      const next = { ...e };
      delete next[apiName];
      return next;
    });
  };
  const setLookup = (apiName: string, value: DraftLookup | null) => {
    editDraft((d) => ({ ...d, lookups: { ...d.lookups, [apiName]: value } }));
  };

  const fieldErrorShown = Object.keys(errors).length > 0;
  useEffect(() => {
    // A field error already has the focus (on that field); any other result takes it.
    if (save.status === 'created' || (save.status === 'failed' && !fieldErrorShown)) result.current?.focus();
    // Only a change of outcome moves focus, not the later refresh of the created case's status.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [save.status]);

  const focusField = (apiName: string) => {
    // A field under "More fields" is shown first (rendered now, so it can take the focus).
    if (more.some((f) => f.apiName === apiName)) flushSync(() => setMoreOpen(true));
    formRef.current?.querySelector<HTMLElement>(`[data-testid="field-${apiName}"]`)?.focus();
  };

  const submit = async () => {
    if (saving.current) return; // a double click sends once
    const checked = validateDraft(draft, fields);
    if (!checked.ok) {
      setErrors(
        Object.fromEntries(checked.errors.map((e) => [e.api_name, fieldErrorText(t, e, fields, language)])),
      );
      setSave({ status: 'idle' });
      focusField(checked.errors[0].api_name);
      return;
    }
    saving.current = true;
    setErrors({});
    setSave({ status: 'saving' });
    // Kept until the server confirms, so closing the pane mid-save loses nothing.
    editDraft((d) => ({ ...d, unsent: true }));
    const deadline = new AbortController();
    const slow = setTimeout(
      () => setSave((s) => (s.status === 'saving' ? { ...s, slow: true } : s)),
      STILL_TRYING_MS,
    );
    const giveUp = setTimeout(() => deadline.abort(), GIVE_UP_MS);
    try {
      const sent = await withDeadline(
        api.createCaseFromEmail(checked.input, toEmailMessageInput(message, mailbox), deadline.signal),
        deadline.signal,
      );
      // A "duplicate" right after a save we gave up on is that save's own case (the server kept it), not someone else's.
      const created = sent.duplicate && gaveUp.current ? { ...sent, duplicate: false } : sent;
      gaveUp.current = false;
      clearDraft();
      setSave({ status: 'created', created, caseStatus: draft.values.Status || 'New' });
      announce(
        created.duplicate
          ? t('createdDuplicate', { number: created.caseNumber })
          : t('createdTitle', { number: created.caseNumber }),
      );
      onCreated?.(created);
      // The case may have existed already (duplicate) with another status: show the stored one.
      api.getCase(created.id).then(
        (record) => {
          if (record) setSave({ status: 'created', created, caseStatus: record.Status });
        },
        () => undefined,
      );
    } catch (error) {
      const timedOut = deadline.signal.aborted;
      gaveUp.current ||= timedOut;
      setSave({ status: 'failed', error, timedOut });
      announce(`${t('saveErrorTitle')}. ${timedOut ? t('saveTimedOut') : failureText(t, error)}`);
      if (error instanceof ApiFailure && error.fieldErrors.length) {
        const known = error.fieldErrors.filter((e) => shown.some((f) => f.apiName === e.api_name));
        setErrors(Object.fromEntries(known.map((e) => [e.api_name, fieldErrorText(t, e, fields, language)])));
        if (known[0]) focusField(known[0].api_name);
      }
    } finally {
      clearTimeout(slow);
      clearTimeout(giveUp);
      saving.current = false;
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit();
  };

  const discardDraft = () => {
    const fresh = prefillDraft(message, fields);
    clearDraft(
      contact.status === 'found'
        ? { ...fresh, lookups: { ...fresh.lookups, ...contactLookups(contact.contact) } }
        : fresh,
    );
    setRestored(false);
    setErrors({});
  };

  const createContact = async () => {
    setContact({ status: 'creating' });
    try {
      const parts = contactNameParts(message.from.name, sender);
      const id = await api.createContact({ ...parts, Email: sender });
      const contactRecord: ContactRecord = {
        id,
        First_Name: parts.First_Name ?? null,
        Last_Name: parts.Last_Name,
        Full_Name: [parts.First_Name, parts.Last_Name].filter(Boolean).join(' '),
        Email: sender,
        Phone: null,
        Account_Name: null,
      };
      setContact({ status: 'found', contact: contactRecord });
      setLookup('Related_To', contactLookups(contactRecord).Related_To);
    } catch (error) {
      setContact({ status: 'failed', error });
    }
  };

  if (save.status === 'created' && props.showResult === false) return null;
  if (save.status === 'created') {
    const { created, caseStatus } = save;
    return (
      <MessageBar
        ref={result}
        tabIndex={-1}
        intent="success"
        data-testid="created-case"
        data-case-number={created.caseNumber}
        data-case-status={caseStatus}
      >
        <MessageBarBody className={styles.created}>
          <MessageBarTitle>
            {created.duplicate
              ? t('createdDuplicate', { number: created.caseNumber })
              : t('createdTitle', { number: created.caseNumber })}
          </MessageBarTitle>
          <Text>{t('createdStatus', { status: statusLabel(caseStatus, language) })}</Text>
        </MessageBarBody>
        {onOpenCase && (
          <MessageBarActions>
            <Button data-testid="open-created-case" onClick={() => onOpenCase(created.id)}>
              {t('openCase')}
            </Button>
          </MessageBarActions>
        )}
      </MessageBar>
    );
  }

  const busy = save.status === 'saving';
  const failed = save.status === 'failed' ? save.error : null;
  const retryable = failed instanceof ApiFailure ? failed.retryable : failed !== null;
  const ownerOptions = users.length ? users : me ? [me] : [];
  const owner = draft.lookups.Owner ?? null;
  const canSave = Boolean(message.internetMessageId);

  const lookupField = (apiName: 'Related_To' | 'Account_Name') => {
    const value = draft.lookups[apiName] ?? null;
    return (
      <Field label={label(apiName)}>
        {/* Filled from the contact, never typed: readable, but no Tab stop (issue 16, item 1). */}
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
                aria-label={t('clearValue', { field: label(apiName) })}
                onClick={() => setLookup(apiName, null)}
              />
            ) : undefined
          }
        />
      </Field>
    );
  };

  const renderField = (f: FieldDefinition) => {
    if (f.apiName === 'Owner') {
      return (
        <Field key="Owner" label={label('Owner')}>
          <Dropdown
            data-testid="field-Owner"
            placeholder={t('ownerAutomatic')}
            value={owner?.name ?? ''}
            selectedOptions={owner ? [owner.id] : [AUTOMATIC_OWNER]}
            onOptionSelect={(_, data) => {
              const user = ownerOptions.find((u) => u.id === data.optionValue);
              setLookup('Owner', user ? { id: user.id, name: user.full_name } : null);
            }}
          >
            <Option key={AUTOMATIC_OWNER} value={AUTOMATIC_OWNER} text={t('ownerAutomatic')}>
              {t('ownerAutomatic')}
            </Option>
            {ownerOptions.map((u) => (
              <Option key={u.id} value={u.id} text={u.full_name}>
                {u.full_name}
              </Option>
            ))}
          </Dropdown>
        </Field>
      );
    }
    if (f.apiName === 'Related_To') {
      return (
        <div key="Related_To">
          {lookupField('Related_To')}
          <div className={styles.contactRow} aria-live="polite">
            {contact.status === 'searching' && <Spinner size="extra-tiny" label={t('contactSearching')} />}
            {(contact.status === 'none' || contact.status === 'creating') && !draft.lookups.Related_To && (
              <>
                <Text size={200} className={styles.muted}>
                  {t('contactNone', { email: sender })}
                </Text>
                <Button
                  size="small"
                  data-testid="create-contact"
                  disabled={contact.status === 'creating'}
                  onClick={() => void createContact()}
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
    if (f.apiName === 'Account_Name') return <div key="Account_Name">{lookupField('Account_Name')}</div>;
    return (
      <FieldControl
        key={f.apiName}
        field={f}
        value={draft.values[f.apiName] ?? ''}
        error={errors[f.apiName]}
        required={f.apiName === 'Email' ? draft.values.Case_Origin === 'Email' : undefined}
        preview={f.apiName === 'Description' && quick.includes(f)}
        counterFrom={COUNTER_FROM}
        onChange={change}
      />
    );
  };

  return (
    <form
      ref={formRef}
      className={styles.form}
      data-testid="new-case-form"
      onSubmit={onSubmit}
      onKeyDown={(event) => formKeyDown(event, () => void submit())}
      noValidate
      aria-labelledby="new-case-title"
    >
      <Text as="h2" id="new-case-title" weight="semibold" size={400}>
        {t('newCaseTitle')}
      </Text>
      {restored && (
        <MessageBar intent="info" data-testid="draft-restored">
          <MessageBarBody>{t('draftRestored')}</MessageBarBody>
          <MessageBarActions>
            <Button onClick={discardDraft} data-testid="discard-draft">
              {t('discardDraft')}
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {draft.descriptionTruncated && (
        <MessageBar intent="warning" data-testid="description-truncated-notice">
          <MessageBarBody>
            {t('descriptionTruncated', { limit: field('Description')?.maxLength ?? '' })}
          </MessageBarBody>
        </MessageBar>
      )}
      {!canSave && (
        <MessageBar intent="warning">
          <MessageBarBody>{t('noMessageId')}</MessageBarBody>
        </MessageBar>
      )}

      {quick.map(renderField)}
      {more.length > 0 && (
        <MoreFields open={moreOpen} onToggle={() => setMoreOpen((o) => !o)} count={more.length}>
          {more.map(renderField)}
        </MoreFields>
      )}

      {failed !== null && (
        // Not role=alert: the pane's live region says it once (an alert would say it twice).
        <MessageBar ref={result} tabIndex={-1} intent="error" data-testid="save-error">
          <MessageBarBody>
            <MessageBarTitle>{t('saveErrorTitle')}</MessageBarTitle>
            {save.status === 'failed' && save.timedOut ? t('saveTimedOut') : failureText(t, failed)}{' '}
            {retryable ? t('draftKept') : ''}
          </MessageBarBody>
          {retryable && (
            <MessageBarActions>
              <Button data-testid="retry-save" disabled={busy} onClick={() => void submit()}>
                {t('retry')}
              </Button>
            </MessageBarActions>
          )}
        </MessageBar>
      )}
      <div className={styles.actions}>
        <Button
          type="submit"
          appearance="primary"
          data-testid="save-case"
          disabled={busy || !canSave}
          icon={busy ? <Spinner size="tiny" /> : undefined}
        >
          {save.status === 'saving' ? (save.slow ? t('stillTrying') : t('saving')) : t('saveCase')}
        </Button>
        <Text size={200} className={styles.hint} aria-hidden="true">
          {t('saveShortcut')}
        </Text>
      </div>
    </form>
  );
}
