import { Checkbox, Dropdown, Field, Input, Option, Textarea, makeStyles } from '@fluentui/react-components';
import { FieldDefinition, characterCount, labelOf } from '../../../../shared/case-fields';
import { useI18n } from '../../../i18n';
import { useState } from 'react';
import { nearLimit, overLimit } from './form-model';

const useStyles = makeStyles({
  textarea: { minHeight: '6em' },
  description: { minHeight: '12em' },
  // The quick form's Description: a few lines of the prefilled body until the agent goes into it.
  preview: { minHeight: '4.5em', height: '4.5em' },
});

export interface FieldControlProps {
  field: FieldDefinition;
  value: string;
  error?: string;
  /** Overrides the field's own mandatory flag (Email is required when the origin is Email). */
  required?: boolean;
  /** The control's test id; `field-<ApiName>` unless given (the case detail uses its own prefix). */
  testId?: string;
  /** Shown, not editable (read-only in the organisation's layout). */
  readOnly?: boolean;
  /** A long text shown as a short preview that grows when focused (the quick form's Description). */
  preview?: boolean;
  /** Show the counter only from this share of the limit (the new-case form: COUNTER_FROM); always when unset. */
  counterFrom?: number;
  onChange(apiName: string, value: string): void;
}

/** One field of the case, as a Fluent Field with its character counter; text is always plain text. */
export function FieldControl({
  field,
  value,
  error,
  required,
  testId: givenTestId,
  readOnly,
  preview,
  counterFrom,
  onChange,
}: FieldControlProps) {
  const styles = useStyles();
  const [expanded, setExpanded] = useState(false);
  const { t, language } = useI18n();
  const label = labelOf(field, language);
  const testId = givenTestId ?? `field-${field.apiName}`;
  const over = overLimit(field, value);
  // On the new-case form only near the limit: a counter on every field is noise the agent reads eighty times a day.
  const counter =
    field.maxLength === undefined || (counterFrom !== undefined && !nearLimit(field, value, counterFrom))
      ? undefined
      : over > 0
        ? t('counterOver', { count: characterCount(value), max: field.maxLength, over })
        : t('counter', { count: characterCount(value), max: field.maxLength });
  const message = error ?? (over > 0 ? counter : undefined);
  const fieldProps = {
    label,
    required: required ?? field.mandatory === true,
    validationState: message ? ('error' as const) : ('none' as const),
    validationMessage: message,
    hint: over > 0 ? undefined : counter,
  };

  if (field.type === 'picklist') {
    const options = field.picklist ?? [];
    const selected = options.find((o) => o.value === value);
    return (
      <Field {...fieldProps}>
        <Dropdown
          data-testid={testId}
          placeholder={t('selectPlaceholder')}
          value={selected ? (selected.label[language] ?? selected.label.en) : ''}
          selectedOptions={selected ? [selected.value] : []}
          disabled={readOnly}
          onOptionSelect={(_, data) => onChange(field.apiName, data.optionValue ?? '')}
          clearable={!field.mandatory}
        >
          {options.map((o) => (
            <Option key={o.value} value={o.value} text={o.label[language] ?? o.label.en}>
              {o.label[language] ?? o.label.en}
            </Option>
          ))}
        </Dropdown>
      </Field>
    );
  }
  if (field.type === 'boolean') {
    return (
      <Field validationState={fieldProps.validationState} validationMessage={message}>
        <Checkbox
          data-testid={testId}
          label={label}
          checked={value === 'true'}
          onChange={(_, data) => onChange(field.apiName, data.checked === true ? 'true' : 'false')}
        />
      </Field>
    );
  }
  if (field.type === 'textarea') {
    return (
      <Field {...fieldProps}>
        <Textarea
          data-testid={testId}
          resize="vertical"
          readOnly={readOnly}
          textarea={{
            className:
              preview && !expanded
                ? styles.preview
                : field.apiName === 'Description'
                  ? styles.description
                  : styles.textarea,
          }}
          onFocus={preview ? () => setExpanded(true) : undefined}
          value={value}
          onChange={(_, data) => onChange(field.apiName, data.value)}
        />
      </Field>
    );
  }
  const type =
    field.type === 'number'
      ? 'number'
      : field.type === 'date'
        ? 'date'
        : field.type === 'url'
          ? 'url'
          : field.type === 'phone'
            ? 'tel'
            : 'text';
  return (
    <Field {...fieldProps}>
      <Input
        data-testid={testId}
        type={type}
        inputMode={field.type === 'email' ? 'email' : undefined}
        autoComplete="off"
        spellCheck={field.type === 'text'}
        readOnly={readOnly}
        value={value}
        onChange={(_, data) => onChange(field.apiName, data.value)}
      />
    </Field>
  );
}
