import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Button,
  Dropdown,
  Field,
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
import type { CaseRecord } from '../../../../shared/api-types';
import { fieldByApiName, labelOf } from '../../../../shared/case-fields';
import { ApiFailure } from '../../../api/errors';
import { useI18n } from '../../../i18n';
import { failureText } from '../../components/failure';
import { StatusBadge, picklistLabel } from '../../components/StatusBadge';
import { useLoad } from '../../hooks/useLoad';
import { FieldControl } from '../new-case/FieldControl';
import { fieldErrorText } from '../new-case/form-model';
import { CaseAttachments } from './CaseAttachments';
import { CaseActivities } from './CaseActivities';
import { CaseEmails } from './CaseEmails';
import { CaseNotes } from './CaseNotes';
import { CaseSolutions } from './CaseSolutions';
import { CaseTimeline } from './CaseTimeline';
import { SendEmail } from './SendEmail';
import {
  CaseEdits,
  NO_EDITS,
  changesOf,
  detailFields,
  draftToEdits,
  editsToDraft,
  overlappingChanges,
  shownOwner,
  shownValues,
  validateChanges,
} from './case-edit-model';
import { usePaneSession, useServices } from '../../services';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  header: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS },
  headRow: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  subject: { overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' },
  description: {
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    maxHeight: '12em',
    overflowY: 'auto',
    color: tokens.colorNeutralForeground2,
  },
  form: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  actions: {
    display: 'flex',
    columnGap: tokens.spacingHorizontalS,
    rowGap: tokens.spacingVerticalS,
    alignItems: 'center',
    flexWrap: 'wrap',
  },
});

export interface CaseDetailProps {
  caseId: string;
  onBack(): void;
  /** Open another case (a clone, the target of a moved email). */
  onOpenCase(caseId: string): void;
  /** A message was unlinked from this case (toCaseNumber null) or moved to another one (the Outlook category follows). */
  onMessageMoved?(internetMessageId: string, fromCaseNumber: string, toCaseNumber: string | null): void;
}

type SaveState =
  | { status: 'idle' }
  | { status: 'saving' }
  | { status: 'saved' }
  | { status: 'failed'; error: unknown }
  | { status: 'conflict'; error: ApiFailure }
  | { status: 'reloading' };

type ActionState =
  | { status: 'idle' }
  | { status: 'busy' }
  | { status: 'done'; text: string }
  | { status: 'failed'; error: unknown };

/** A case opened from the pane: edit its working fields, follow its related lists and history, act on it. */
export function CaseDetail({ caseId, onBack, onOpenCase, onMessageMoved }: CaseDetailProps) {
  // Unsaved edits live per case id in the case draft store (createCaseDraftStore).
  const { api, caseDrafts: drafts } = useServices();
  const { fields, me, users } = usePaneSession();
  const styles = useStyles();
  const { t, language, formatDateTime } = useI18n();
  const descriptionField = fieldByApiName(fields, 'Description');
  const descriptionLabel = descriptionField ? labelOf(descriptionField, language) : 'Description';
  const loaded = useLoad(caseId, (signal) => api.getCase(caseId, signal));
  // The case as loaded, until a save or a reload here replaces it.
  const [replaced, setRecord] = useState<CaseRecord | null>(null);
  const record = replaced ?? (loaded.state.status === 'ready' ? loaded.state.value : null);
  const [restored] = useState(() => draftToEdits(drafts.load(caseId)));
  const [edits, setEdits] = useState<CaseEdits>(restored ?? NO_EDITS);
  const [showRestored, setShowRestored] = useState(restored !== null);
  const [persist, setPersist] = useState<'clean' | 'dirty' | 'cleared'>('clean');
  const [save, setSave] = useState<SaveState>({ status: 'idle' });
  const [overlap, setOverlap] = useState<{ apiName: string; now: string }[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [clone, setClone] = useState<ActionState>({ status: 'idle' });
  const [publish, setPublish] = useState<ActionState>({ status: 'idle' });
  // Bumped after every change made here, so the timeline and related lists show it.
  const [revision, setRevision] = useState(0);
  const refreshRelated = () => setRevision((n) => n + 1);
  const saving = useRef(false);
  const heading = useRef<HTMLElement>(null);
  const hasRecord = record !== null;
  // Open case lands on the case heading (once it is there), so a screen reader starts at the case.
  useEffect(() => {
    if (hasRecord) heading.current?.focus();
  }, [hasRecord]);

  // Written only from committed state (as the new-case form does), so a save can never be undone by a late render.
  useEffect(() => {
    if (persist === 'dirty') drafts.save(caseId, editsToDraft(edits));
    else if (persist === 'cleared') drafts.remove(caseId);
  }, [drafts, caseId, edits, persist]);

  const back = (
    <Button appearance="subtle" data-testid="case-back" onClick={onBack}>
      {t('back')}
    </Button>
  );

  if (!record) {
    if (loaded.state.status === 'error' || (loaded.state.status === 'ready' && loaded.state.value === null)) {
      const error =
        loaded.state.status === 'error' ? loaded.state.error : new ApiFailure('not-found', 'no such case');
      return (
        <div className={styles.root} data-testid="case-detail">
          {back}
          <MessageBar intent="error" data-testid="case-load-error">
            <MessageBarBody>{t('caseLoadError', { message: failureText(t, error) })}</MessageBarBody>
            <MessageBarActions>
              <Button onClick={loaded.reload}>{t('retry')}</Button>
            </MessageBarActions>
          </MessageBar>
        </div>
      );
    }
    return (
      <div className={styles.root} data-testid="case-detail" aria-busy="true">
        {back}
        <Spinner label={t('caseLoading')} />
      </div>
    );
  }

  const shown = detailFields(fields);
  const values = shownValues(record, edits);
  const owner = shownOwner(record, edits);
  const changes = changesOf(record, edits);
  const dirty = Object.keys(changes).length > 0;
  const busy = save.status === 'saving' || save.status === 'reloading';
  const ownerOptions = users.length ? users : me ? [me] : [];
  const label = (apiName: string) => {
    const f = fieldByApiName(fields, apiName);
    return f ? labelOf(f, language) : apiName;
  };

  const edit = (apiName: string, value: string) => {
    setEdits((e) => ({ ...e, values: { ...e.values, [apiName]: value } }));
    setPersist('dirty');
    if (save.status === 'saved' || save.status === 'failed') setSave({ status: 'idle' });
    setErrors((e) => {
      if (!(apiName in e)) return e;
      const next = { ...e };
      delete next[apiName];
      return next;
    });
  };

  const submit = async () => {
    if (saving.current || !dirty) return;
    const problems = validateChanges(record, changes, fields);
    if (problems.length) {
      setErrors(
        Object.fromEntries(problems.map((e) => [e.api_name, fieldErrorText(t, e, fields, language)])),
      );
      return;
    }
    saving.current = true;
    setErrors({});
    setSave({ status: 'saving' });
    try {
      const { version } = await api.updateCase(record.id, changes, record.$version);
      const fresh = await api.getCase(record.id).catch(() => null);
      setRecord(
        fresh ??
          ({
            ...record,
            ...changes,
            Owner: owner ? { id: owner.id, name: owner.name } : null,
            $version: version,
          } as CaseRecord),
      );
      setEdits(NO_EDITS);
      setPersist('cleared');
      setOverlap([]);
      setShowRestored(false);
      setSave({ status: 'saved' });
      refreshRelated();
    } catch (error) {
      if (error instanceof ApiFailure && error.kind === 'conflict') setSave({ status: 'conflict', error });
      else {
        setSave({ status: 'failed', error });
        if (error instanceof ApiFailure && error.fieldErrors.length)
          setErrors(
            Object.fromEntries(
              error.fieldErrors.map((e) => [e.api_name, fieldErrorText(t, e, fields, language)]),
            ),
          );
      }
    } finally {
      saving.current = false;
    }
  };

  /** After a conflict: take the stored case as it is now, keep the agent's edits on top, show what overlapped. */
  const reloadAfterConflict = async () => {
    setSave({ status: 'reloading' });
    try {
      const fresh = await api.getCase(record.id);
      if (!fresh) throw new ApiFailure('not-found', 'the case no longer exists');
      setOverlap(overlappingChanges(record, fresh, edits));
      setRecord(fresh);
      setSave({ status: 'idle' });
      refreshRelated();
    } catch (error) {
      setSave({ status: 'failed', error });
    }
  };

  const discard = () => {
    setEdits(NO_EDITS);
    setPersist('cleared');
    setShowRestored(false);
    setOverlap([]);
    setErrors({});
    setSave({ status: 'idle' });
  };

  const doClone = async () => {
    setClone({ status: 'busy' });
    try {
      const created = await api.cloneCase(record.id);
      setClone({ status: 'done', text: t('cloned', { number: created.caseNumber }) });
      onOpenCase(created.id);
    } catch (error) {
      setClone({ status: 'failed', error });
    }
  };

  const doPublish = async () => {
    setPublish({ status: 'busy' });
    try {
      const solution = await api.publishSolution(record.id, { Status: 'Published' });
      setPublish({ status: 'done', text: t('solutionPublished', { number: solution.number }) });
      refreshRelated();
    } catch (error) {
      setPublish({ status: 'failed', error });
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit();
  };

  const savedSolution = (record.Solution ?? '').trim() !== '';
  const solutionEdited = 'Solution' in changes;
  const failed = save.status === 'failed' ? save.error : null;

  return (
    <div
      className={styles.root}
      data-testid="case-detail"
      data-case-number={record.Case_Number}
      data-case-version={record.$version}
    >
      {back}
      <header className={styles.header} data-testid="case-header">
        <div className={styles.headRow}>
          {/* Opening a case moves focus here (tabIndex -1: focusable by script, not a Tab stop). */}
          <Text as="h1" weight="semibold" size={500} tabIndex={-1} ref={heading} data-testid="case-heading">
            {t('caseTitle', { number: record.Case_Number })}
          </Text>
          <StatusBadge status={record.Status} />
        </div>
        {/* Case text comes from customers: plain text only. */}
        <Text weight="semibold" className={styles.subject}>
          {record.Subject}
        </Text>
        <Text size={200} className={styles.muted}>
          {[record.Related_To?.name ?? record.Reported_By, record.Email].filter(Boolean).join(' · ')}
        </Text>
        <Text size={200} className={styles.muted}>
          {t('lastChange', { time: formatDateTime(record.Modified_Time) })}
          {record.Modified_By?.name ? ` · ${record.Modified_By.name}` : ''}
        </Text>
        {record.Description && (
          // It scrolls, so keyboard users must be able to reach it: a labelled, focusable region.
          <Text
            size={200}
            className={styles.description}
            data-testid="case-description"
            role="region"
            tabIndex={0}
            aria-label={descriptionLabel}
          >
            {record.Description}
          </Text>
        )}
      </header>

      {showRestored && (
        <MessageBar intent="info" data-testid="case-draft-restored">
          <MessageBarBody>{t('caseDraftRestored')}</MessageBarBody>
          <MessageBarActions>
            <Button data-testid="case-discard-draft" onClick={discard}>
              {t('discardChanges')}
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}

      <form
        className={styles.form}
        onSubmit={onSubmit}
        noValidate
        aria-label={t('caseEditLabel')}
        data-testid="case-edit-form"
      >
        {shown.map(({ field, editable }) => {
          if (field.apiName === 'Owner') {
            return (
              <Field
                key="Owner"
                label={label('Owner')}
                validationMessage={errors.Owner}
                validationState={errors.Owner ? 'error' : 'none'}
              >
                <Dropdown
                  data-testid="case-field-Owner"
                  disabled={!editable}
                  placeholder={t('selectPlaceholder')}
                  value={owner?.name ?? ''}
                  selectedOptions={owner ? [owner.id] : []}
                  onOptionSelect={(_, data) => {
                    const user = ownerOptions.find((u) => u.id === data.optionValue);
                    setEdits((e) => ({ ...e, owner: user ? { id: user.id, name: user.full_name } : null }));
                    setPersist('dirty');
                  }}
                >
                  {ownerOptions.map((u) => (
                    <Option key={u.id} value={u.id} text={u.full_name}>
                      {u.full_name}
                    </Option>
                  ))}
                </Dropdown>
              </Field>
            );
          }
          return (
            <FieldControl
              key={field.apiName}
              field={field}
              value={values[field.apiName] ?? ''}
              error={errors[field.apiName]}
              testId={`case-field-${field.apiName}`}
              readOnly={!editable}
              onChange={edit}
            />
          );
        })}

        {save.status === 'conflict' && (
          <MessageBar intent="warning" data-testid="case-conflict" role="alert">
            <MessageBarBody>
              <MessageBarTitle>{t('conflictTitle')}</MessageBarTitle>
              {t('conflictText')}
            </MessageBarBody>
            <MessageBarActions>
              <Button data-testid="case-reload" onClick={() => void reloadAfterConflict()}>
                {t('reload')}
              </Button>
            </MessageBarActions>
          </MessageBar>
        )}
        {overlap.length > 0 && (
          <MessageBar intent="info" data-testid="case-reloaded">
            <MessageBarBody>
              <MessageBarTitle>{t('reloadedTitle')}</MessageBarTitle>
              {overlap
                .map((o) =>
                  t('reloadedField', {
                    field: label(o.apiName),
                    value: picklistLabel(o.apiName, o.now, language) || t('emptyValue'),
                  }),
                )
                .join(' ')}
            </MessageBarBody>
          </MessageBar>
        )}
        {failed !== null && (
          <MessageBar intent="error" data-testid="case-save-error" role="alert">
            <MessageBarBody>
              <MessageBarTitle>{t('caseSaveErrorTitle')}</MessageBarTitle>
              {failureText(t, failed)} {t('changesKept')}
            </MessageBarBody>
          </MessageBar>
        )}
        {save.status === 'saved' && (
          <MessageBar intent="success" data-testid="case-saved">
            <MessageBarBody>{t('caseSaved', { number: record.Case_Number })}</MessageBarBody>
          </MessageBar>
        )}
        <div className={styles.actions}>
          <Button
            type="submit"
            appearance="primary"
            data-testid="case-save"
            disabled={busy || !dirty}
            icon={busy ? <Spinner size="tiny" /> : undefined}
          >
            {save.status === 'saving' ? t('saving') : t('saveChanges')}
          </Button>
          {dirty && (
            <Button data-testid="case-discard" disabled={busy} onClick={discard}>
              {t('discardChanges')}
            </Button>
          )}
        </div>
      </form>

      <div className={styles.actions}>
        <Button data-testid="case-clone" disabled={clone.status === 'busy'} onClick={() => void doClone()}>
          {clone.status === 'busy' ? t('cloning') : t('cloneCase')}
        </Button>
        <Button
          data-testid="case-publish-solution"
          disabled={!savedSolution || solutionEdited || publish.status === 'busy'}
          title={
            !savedSolution ? t('publishNeedsSolution') : solutionEdited ? t('publishSaveFirst') : undefined
          }
          onClick={() => void doPublish()}
        >
          {publish.status === 'busy' ? t('publishing') : t('publishSolution')}
        </Button>
      </div>
      {!savedSolution && (
        <Text size={200} className={styles.muted}>
          {t('publishNeedsSolution')}
        </Text>
      )}
      {clone.status === 'failed' && (
        <MessageBar intent="error" data-testid="case-clone-error">
          <MessageBarBody>{t('cloneError', { message: failureText(t, clone.error) })}</MessageBarBody>
        </MessageBar>
      )}
      {publish.status === 'done' && (
        <MessageBar intent="success" data-testid="solution-published">
          <MessageBarBody>{publish.text}</MessageBarBody>
        </MessageBar>
      )}
      {publish.status === 'failed' && (
        <MessageBar intent="error" data-testid="publish-error">
          <MessageBarBody>{t('publishError', { message: failureText(t, publish.error) })}</MessageBarBody>
        </MessageBar>
      )}

      <Accordion multiple collapsible defaultOpenItems={['history']}>
        <AccordionItem value="emails">
          <AccordionHeader button={{ id: 'case-section-emails' }}>{t('sectionEmails')}</AccordionHeader>
          <AccordionPanel>
            <CaseEmails
              caseId={record.id}
              revision={revision}
              onChanged={refreshRelated}
              onOpenCase={onOpenCase}
              onMessageMoved={(messageId, target) =>
                onMessageMoved?.(messageId, record.Case_Number, target?.caseNumber ?? null)
              }
            />
          </AccordionPanel>
        </AccordionItem>
        <AccordionItem value="send">
          <AccordionHeader button={{ id: 'case-section-send' }}>{t('sectionSend')}</AccordionHeader>
          <AccordionPanel>
            <SendEmail record={record} onSent={refreshRelated} />
          </AccordionPanel>
        </AccordionItem>
        <AccordionItem value="notes">
          <AccordionHeader button={{ id: 'case-section-notes' }}>{t('sectionNotes')}</AccordionHeader>
          <AccordionPanel>
            <CaseNotes caseId={record.id} revision={revision} onChanged={refreshRelated} />
          </AccordionPanel>
        </AccordionItem>
        <AccordionItem value="activities">
          <AccordionHeader button={{ id: 'case-section-activities' }}>
            {t('sectionActivities')}
          </AccordionHeader>
          <AccordionPanel>
            <CaseActivities caseId={record.id} revision={revision} onChanged={refreshRelated} />
          </AccordionPanel>
        </AccordionItem>
        <AccordionItem value="attachments">
          <AccordionHeader button={{ id: 'case-section-attachments' }}>
            {t('sectionAttachments')}
          </AccordionHeader>
          <AccordionPanel>
            <CaseAttachments caseId={record.id} revision={revision} onChanged={refreshRelated} />
          </AccordionPanel>
        </AccordionItem>
        <AccordionItem value="solutions">
          <AccordionHeader button={{ id: 'case-section-solutions' }}>{t('sectionSolutions')}</AccordionHeader>
          <AccordionPanel>
            <CaseSolutions caseId={record.id} revision={revision} />
          </AccordionPanel>
        </AccordionItem>
        <AccordionItem value="history">
          <AccordionHeader button={{ id: 'case-section-history' }}>{t('sectionHistory')}</AccordionHeader>
          <AccordionPanel>
            <CaseTimeline caseId={record.id} revision={revision} />
          </AccordionPanel>
        </AccordionItem>
      </Accordion>
    </div>
  );
}
