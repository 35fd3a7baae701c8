import {
  Button,
  Checkbox,
  Dropdown,
  Field,
  Input,
  Option,
  Select,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { type FieldDefinition, fieldByApiName, labelOf } from '../../../../shared/case-fields';
import type { CustomView, CustomViewInput } from '../../../../shared/view-types';
import { useI18n } from '../../../i18n';
import { ApiFailure } from '../../../api/errors';
import { failureText } from '../../components/failure';
import { ROW_FIELDS, columnChoices, viewColumns } from './view-columns';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS },
  sort: { display: 'flex', columnGap: tokens.spacingHorizontalS },
});

/** What the server sorts a list by (case.query.ts SORTABLE, less the id). */
const SORT_FIELDS = ['Case_Number', 'Subject', 'Status', 'Priority', 'Case_Origin', 'Type'];

export interface SaveViewProps {
  /** The view on screen: its criteria and sort are the starting point. */
  base: CustomView | undefined;
  fields: readonly FieldDefinition[];
  isAdmin: boolean;
  save(view: CustomViewInput): Promise<string>;
  onSaved(id: string, name: string): void;
}

/** Saves the criteria, sort and extra columns as a custom view: private, or shared with the team when an admin ticks it. */
export function SaveView({ base, fields, isAdmin, save, onSaved }: SaveViewProps) {
  const styles = useStyles();
  const { t, language } = useI18n();
  const [name, setName] = useState('');
  const [criteria, setCriteria] = useState(base?.search_criteria ?? '');
  const [sortBy, setSortBy] = useState(base?.sort_by?.api_name ?? '');
  const [order, setOrder] = useState<'asc' | 'desc'>(base?.sort_order ?? 'asc');
  const [share, setShare] = useState(false);
  const choices = columnChoices(fields);
  const [columns, setColumns] = useState(() => viewColumns(base, fields).map((f) => f.apiName));
  // In the layout's order, whatever order they were ticked in.
  const chosen = choices.filter((f) => columns.includes(f.apiName));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fieldError = (apiName: string) =>
    error instanceof ApiFailure
      ? error.details.fieldErrors?.find((e) => e.api_name === apiName)?.message
      : undefined;
  const sortLabel = (apiName: string) => {
    const field = fieldByApiName(fields, apiName);
    return field ? labelOf(field, language) : apiName;
  };

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const id = await save({
        name: name.trim(),
        criteria: criteria.trim() || null,
        sort_by: sortBy ? { api_name: sortBy } : null,
        sort_order: sortBy ? order : null,
        // The whole row as Zoho's view columns: what every row shows, then the chosen ones in layout order.
        fields: [...ROW_FIELDS, ...chosen.map((f) => f.apiName)].map((api_name) => ({ api_name })),
        access_type: share ? 'public' : 'only_to_me',
      });
      onSaved(id, name.trim());
      setName('');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const general = error && !fieldError('name') && !fieldError('criteria') ? failureText(t, error) : undefined;

  return (
    <form
      className={styles.form}
      data-testid="save-view"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Field label={t('saveViewName')} required validationMessage={fieldError('name') ?? general}>
        <Input
          value={name}
          maxLength={120}
          data-testid="save-view-name"
          onChange={(_, d) => setName(d.value)}
        />
      </Field>
      <Field label={t('saveViewCriteria')} validationMessage={fieldError('criteria')}>
        <Input value={criteria} data-testid="save-view-criteria" onChange={(_, d) => setCriteria(d.value)} />
      </Field>
      <div className={styles.sort}>
        <Field label={t('saveViewSort')}>
          <Select value={sortBy} data-testid="save-view-sort" onChange={(_, d) => setSortBy(d.value)}>
            <option value="">{t('saveViewSortDefault')}</option>
            {SORT_FIELDS.map((f) => (
              <option key={f} value={f}>
                {sortLabel(f)}
              </option>
            ))}
          </Select>
        </Field>
        {sortBy && (
          <Field label={t('saveViewOrder')}>
            <Select
              value={order}
              data-testid="save-view-order"
              onChange={(_, d) => setOrder(d.value === 'desc' ? 'desc' : 'asc')}
            >
              <option value="asc">{t('saveViewOrderAsc')}</option>
              <option value="desc">{t('saveViewOrderDesc')}</option>
            </Select>
          </Field>
        )}
      </div>
      <Field label={t('saveViewColumns')} hint={t('saveViewColumnsHint')}>
        <Dropdown
          multiselect
          data-testid="save-view-columns"
          placeholder={t('saveViewColumnsNone')}
          value={chosen.map((f) => labelOf(f, language)).join(', ')}
          selectedOptions={columns}
          onOptionSelect={(_, d) => setColumns(d.selectedOptions)}
        >
          {choices.map((f) => (
            <Option key={f.apiName} value={f.apiName}>
              {labelOf(f, language)}
            </Option>
          ))}
        </Dropdown>
      </Field>
      {isAdmin && (
        <Checkbox
          checked={share}
          label={t('saveViewShare')}
          data-testid="save-view-share"
          onChange={(_, d) => setShare(d.checked === true)}
        />
      )}
      <Button
        type="submit"
        appearance="primary"
        disabled={busy || !name.trim()}
        data-testid="save-view-submit"
      >
        {t('saveViewButton')}
      </Button>
    </form>
  );
}
