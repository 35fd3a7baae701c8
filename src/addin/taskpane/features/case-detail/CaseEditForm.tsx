import {
  Button,
  Dropdown,
  Field,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { FormEvent } from 'react';
import type { CaseRecord } from '../../../../shared/api-types';
import { fieldByApiName, labelOf } from '../../../../shared/case-fields';
import { useI18n } from '../../../i18n';
import { failureText } from '../../components/failure';
import { picklistLabel } from '../../components/StatusBadge';
import { usePaneSession } from '../../services';
import { FieldControl } from '../new-case/FieldControl';
import { useOwnerChoices } from '../new-case/LookupFields';
import { detailFields } from './case-edit-model';
import { useActionStyles } from './styles';
import type { CaseEditor } from './useCaseEditor';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
});

/** The opened case's working fields as a form, with what became of the last save below them. */
export function CaseEditForm({ record, editor }: { record: CaseRecord; editor: CaseEditor }) {
  const styles = useStyles();
  const actionStyles = useActionStyles();
  const { t } = useI18n();
  const { fields } = usePaneSession();
  const { save, dirty, busy } = editor;
  const label = useFieldLabel();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void editor.submit();
  };

  return (
    <form
      className={styles.form}
      onSubmit={onSubmit}
      noValidate
      aria-label={t('caseEditLabel')}
      data-testid="case-edit-form"
    >
      {detailFields(fields).map(({ field, editable }) =>
        field.apiName === 'Owner' ? (
          <OwnerField key="Owner" label={label('Owner')} editable={editable} editor={editor} />
        ) : (
          <FieldControl
            key={field.apiName}
            field={field}
            value={editor.values[field.apiName] ?? ''}
            error={editor.errors[field.apiName]}
            testId={`case-field-${field.apiName}`}
            readOnly={!editable}
            onChange={editor.edit}
          />
        ),
      )}
      <SaveOutcome record={record} editor={editor} />
      <div className={actionStyles.actions}>
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
          <Button data-testid="case-discard" disabled={busy} onClick={editor.discard}>
            {t('discardChanges')}
          </Button>
        )}
      </div>
    </form>
  );
}

/** A field's label in the agent's language, by API name (the API name where the layout has no such field). */
function useFieldLabel() {
  const { fields } = usePaneSession();
  const { language } = useI18n();
  return (apiName: string) => {
    const f = fieldByApiName(fields, apiName);
    return f ? labelOf(f, language) : apiName;
  };
}

function OwnerField({ label, editable, editor }: { label: string; editable: boolean; editor: CaseEditor }) {
  const { t } = useI18n();
  const { choices: ownerOptions, options } = useOwnerChoices();
  const { owner, errors } = editor;
  return (
    <Field label={label} validationMessage={errors.Owner} validationState={errors.Owner ? 'error' : 'none'}>
      <Dropdown
        data-testid="case-field-Owner"
        disabled={!editable}
        placeholder={t('selectPlaceholder')}
        value={owner?.name ?? ''}
        selectedOptions={owner ? [owner.id] : []}
        onOptionSelect={(_, data) => editor.chooseOwner(ownerOptions.find((u) => u.id === data.optionValue))}
      >
        {options}
      </Dropdown>
    </Field>
  );
}

/** A conflict to resolve, what a reload changed under the agent's edits, a failed or a finished save. */
function SaveOutcome({ record, editor }: { record: CaseRecord; editor: CaseEditor }) {
  const { t, language } = useI18n();
  const label = useFieldLabel();
  const { save, overlap } = editor;
  return (
    <>
      {save.status === 'conflict' && (
        <MessageBar intent="warning" data-testid="case-conflict" role="alert">
          <MessageBarBody>
            <MessageBarTitle>{t('conflictTitle')}</MessageBarTitle>
            {t('conflictText')}
          </MessageBarBody>
          <MessageBarActions>
            <Button data-testid="case-reload" onClick={() => void editor.reloadAfterConflict()}>
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
      {save.status === 'failed' && (
        <MessageBar intent="error" data-testid="case-save-error" role="alert">
          <MessageBarBody>
            <MessageBarTitle>{t('caseSaveErrorTitle')}</MessageBarTitle>
            {failureText(t, save.error)} {t('changesKept')}
          </MessageBarBody>
        </MessageBar>
      )}
      {save.status === 'saved' && (
        <MessageBar intent="success" data-testid="case-saved">
          <MessageBarBody>{t('caseSaved', { number: record.Case_Number })}</MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}
