import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { FormEvent, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { FieldDefinition, fieldByApiName, labelOf } from '../../../../shared/case-fields';
import type { FieldError } from '../../../../shared/validation';
import type { CreatedCase } from '../../../api/client';
import { useI18n } from '../../../i18n';
import type { OpenMessage } from '../../../office/types';
import type { DraftLookup } from '../../../storage/drafts';
import { asStored, usePersistentDraft } from '../../hooks/usePersistentDraft';
import { usePaneSession, useServices } from '../../services';
import { CreatedCaseBar, SaveFailureBar } from './SaveOutcome';
import { FieldControl } from './FieldControl';
import { LookupField, OwnerPicker, RelatedToField } from './LookupFields';
import { MoreFields } from './MoreFields';
import { formKeyDown } from './form-keys';
import { COUNTER_FROM, FormDraft, formFields, prefillDraft, splitQuick } from './form-model';
import { useCreateCase } from './useCreateCase';
import { useFieldErrors } from './useFieldErrors';
import { contactLookups, useSenderContact } from './useSenderContact';

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

/** The case form for the open message: prefilled from it, kept as a draft, saved once whatever the retries. */
export function NewCaseForm(props: NewCaseFormProps) {
  const { message, draftKey, mailbox, onCreated, onOpenCase } = props;
  const { drafts } = useServices();
  const { fields } = usePaneSession();
  const styles = useStyles();
  const { t, language } = useI18n();
  const formRef = useRef<HTMLFormElement>(null);
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
  const { errors, show: showErrors, clear: clearError } = useFieldErrors();
  const setLookup = (apiName: string, value: DraftLookup | null) =>
    editDraft((d) => ({ ...d, lookups: { ...d.lookups, [apiName]: value } }));
  // Related To / Account: the contact with the sender's address, unless the agent already chose (or cleared) one.
  const { contact, createContact } = useSenderContact(message, start.value, adjustDraft, setLookup);

  const shown = formFields(fields);
  const { quick, more } = splitQuick(shown);
  const [moreOpen, setMoreOpen] = useState(false);
  const field = (apiName: string) => fieldByApiName(fields, apiName);
  const label = (apiName: string) => {
    const f = field(apiName);
    return f ? labelOf(f, language) : apiName;
  };

  const focusField = (apiName: string) => {
    // A field under "More fields" is shown first (rendered now, so it can take the focus).
    if (more.some((f) => f.apiName === apiName)) flushSync(() => setMoreOpen(true));
    formRef.current?.querySelector<HTMLElement>(`[data-testid="field-${apiName}"]`)?.focus();
  };
  const showFieldErrors = (list: readonly FieldError[]) => {
    showErrors(list);
    if (list[0]) focusField(list[0].api_name);
  };
  const { save, submit } = useCreateCase({
    message,
    mailbox,
    draft,
    editDraft,
    clearDraft,
    showFieldErrors,
    onCreated,
  });

  const change = (apiName: string, value: string) => {
    editDraft((d) => ({ ...d, values: { ...d.values, [apiName]: value } }));
    clearError(apiName);
  };

  const fieldErrorShown = Object.keys(errors).length > 0;
  useEffect(() => {
    // A field error already has the focus (on that field); any other result takes it.
    if (save.status === 'created' || (save.status === 'failed' && !fieldErrorShown)) result.current?.focus();
    // Only a change of outcome moves focus, not the later refresh of the created case's status.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [save.status]);

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
    showErrors([]);
  };

  if (save.status === 'created')
    return props.showResult === false ? null : (
      <CreatedCaseBar
        ref={result}
        created={save.created}
        caseStatus={save.caseStatus}
        onOpenCase={onOpenCase}
      />
    );

  const busy = save.status === 'saving';
  const canSave = Boolean(message.internetMessageId);

  const renderField = (f: FieldDefinition) => {
    const lookup = (apiName: string) => ({
      label: label(apiName),
      value: draft.lookups[apiName] ?? null,
      onChange: (value: DraftLookup | null) => setLookup(apiName, value),
    });
    if (f.apiName === 'Owner') return <OwnerPicker key="Owner" {...lookup('Owner')} />;
    if (f.apiName === 'Related_To')
      return (
        <RelatedToField
          key="Related_To"
          {...lookup('Related_To')}
          sender={message.from.email}
          contact={contact}
          onCreateContact={() => void createContact()}
        />
      );
    if (f.apiName === 'Account_Name')
      return (
        <div key="Account_Name">
          <LookupField apiName="Account_Name" {...lookup('Account_Name')} />
        </div>
      );
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

      {save.status === 'failed' && (
        <SaveFailureBar
          ref={result}
          error={save.error}
          timedOut={save.timedOut ?? false}
          onRetry={() => void submit()}
        />
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
