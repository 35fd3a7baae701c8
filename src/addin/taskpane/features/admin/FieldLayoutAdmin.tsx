import {
  Button,
  Checkbox,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Option,
  Spinner,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { FormEvent, useState } from 'react';
import type { FieldMetadata } from '../../../../shared/api-types';
import {
  CUSTOM_FIELD_TYPES,
  CUSTOM_TEXTAREA_MAX_LIMIT,
  CustomFieldType,
  LAYOUT_LOCKED_FIELDS,
  STANDARD_FIELDS,
} from '../../../../shared/case-fields';
import type { LayoutEntry } from '../../../api/records';
import { usePartI18n } from '../../../i18n';
import { ADMIN_TEXT } from '../../../i18n/catalogs/admin';
import { failureText } from '../../components/failure';
import { useLoad } from '../../hooks/useLoad';
import { useApi } from '../../services';
import { ArrowDownRegular, ArrowUpRegular } from '@fluentui/react-icons';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  list: { listStyleType: 'none', margin: '0', padding: '0', display: 'flex', flexDirection: 'column' },
  item: {
    display: 'flex',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalS,
    flexWrap: 'wrap',
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  name: { flexGrow: 1, minWidth: '8em', display: 'flex', flexDirection: 'column' },
  muted: { color: tokens.colorNeutralForeground3 },
  form: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS },
  row: { display: 'flex', columnGap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
});

type Row = { meta: FieldMetadata; hidden: boolean; readOnly: boolean; quick: boolean };
type Status =
  { status: 'idle' | 'busy' } | { status: 'done'; text: string } | { status: 'failed'; error: unknown };

const systemReadOnly = new Set(STANDARD_FIELDS.filter((f) => f.readOnly).map((f) => f.apiName));
const locked = new Set(LAYOUT_LOCKED_FIELDS);
const API_NAME = /^[A-Za-z][A-Za-z0-9_]{0,49}$/;

function rowsOf(fields: FieldMetadata[]): Row[] {
  return fields.map((meta) => ({
    meta,
    hidden: meta.visible === false,
    readOnly: meta.read_only && !systemReadOnly.has(meta.api_name),
    quick: meta.quick_create === true,
  }));
}

/** Administrators: the order of the case fields, which are hidden or read-only, and new custom fields. */
export function FieldLayoutAdmin() {
  const api = useApi();
  const styles = useStyles();
  const { t, language } = usePartI18n(ADMIN_TEXT);
  const [version, setVersion] = useState(0);
  const loaded = useLoad(`layout#${version}`, () => api.caseFields());
  const [edited, setEdited] = useState<Row[] | null>(null);
  const [save, setSave] = useState<Status>({ status: 'idle' });
  const [add, setAdd] = useState<Status>({ status: 'idle' });
  const [custom, setCustom] = useState({
    apiName: '',
    type: 'text' as CustomFieldType,
    en: '',
    pl: '',
    zh: '',
    length: '',
    values: '',
  });

  const rows = edited ?? (loaded.state.status === 'ready' ? rowsOf(loaded.state.value) : null);
  const label = (meta: FieldMetadata) => meta.translations?.[language] || meta.display_label || meta.api_name;

  const change = (next: Row[]) => {
    setEdited(next);
    setSave({ status: 'idle' });
  };
  const move = (index: number, by: -1 | 1) => {
    if (!rows) return;
    const next = [...rows];
    const [row] = next.splice(index, 1);
    next.splice(index + by, 0, row);
    change(next);
  };
  const toggle = (index: number, key: 'hidden' | 'readOnly' | 'quick', value: boolean) => {
    if (!rows) return;
    change(rows.map((r, i) => (i === index ? { ...r, [key]: value } : r)));
  };

  const saveLayout = async () => {
    if (!rows) return;
    setSave({ status: 'busy' });
    try {
      const entries: LayoutEntry[] = rows.map((r) => ({
        api_name: r.meta.api_name,
        ...(locked.has(r.meta.api_name) ? {} : { hidden: r.hidden }),
        ...(locked.has(r.meta.api_name) || systemReadOnly.has(r.meta.api_name)
          ? {}
          : { read_only: r.readOnly }),
        quick: r.quick,
      }));
      const saved = await api.saveLayout(entries);
      setEdited(saved.length ? rowsOf(saved) : rows);
      setSave({ status: 'done', text: t('layoutSaved') });
    } catch (error) {
      setSave({ status: 'failed', error });
    }
  };

  const needsLength = custom.type === 'text' || custom.type === 'textarea';
  const length = Number(custom.length);
  const lengthOk =
    !needsLength ||
    custom.length === '' ||
    (Number.isInteger(length) && length >= 1 && length <= CUSTOM_TEXTAREA_MAX_LIMIT);
  const values = custom.values
    .split('\n')
    .map((v) => v.trim())
    .filter(Boolean);
  const customOk =
    API_NAME.test(custom.apiName) &&
    custom.en.trim() !== '' &&
    lengthOk &&
    (custom.type !== 'picklist' || values.length > 0);

  const addField = async (event: FormEvent) => {
    event.preventDefault();
    if (!customOk) return;
    setAdd({ status: 'busy' });
    try {
      await api.addCustomField({
        api_name: custom.apiName,
        label: {
          en: custom.en.trim(),
          pl: custom.pl.trim() || custom.en.trim(),
          'zh-CN': custom.zh.trim() || custom.en.trim(),
        },
        type: custom.type,
        ...(needsLength && custom.length ? { length } : {}),
        ...(custom.type === 'picklist' ? { pick_list_values: values } : {}),
      });
      setAdd({ status: 'done', text: t('customAdded', { name: custom.en.trim() }) });
      setCustom({ apiName: '', type: 'text', en: '', pl: '', zh: '', length: '', values: '' });
      setEdited(null);
      setVersion((v) => v + 1);
    } catch (error) {
      setAdd({ status: 'failed', error });
    }
  };

  return (
    <div className={styles.root} data-testid="admin-layout">
      <Text as="h2" weight="semibold" size={500}>
        {t('layoutTitle')}
      </Text>
      {loaded.state.status === 'loading' && !rows && <Spinner label={t('loading')} />}
      {loaded.state.status === 'error' && (
        <MessageBar intent="error">
          <MessageBarBody>{t('listError', { message: failureText(t, loaded.state.error) })}</MessageBarBody>
        </MessageBar>
      )}
      {rows && (
        <ol className={styles.list} aria-label={t('layoutTitle')}>
          {rows.map((r, i) => {
            const name = label(r.meta);
            const isLocked = locked.has(r.meta.api_name);
            return (
              <li key={r.meta.api_name} className={styles.item} data-testid={`layout-row-${r.meta.api_name}`}>
                <div className={styles.name}>
                  <Text weight="semibold">{name}</Text>
                  <Text size={200} className={styles.muted}>
                    {r.meta.api_name}
                    {r.meta.custom_field ? ` · ${t('customField')}` : ''}
                  </Text>
                </div>
                <Button
                  size="small"
                  data-testid={`layout-up-${r.meta.api_name}`}
                  aria-label={t('moveUp', { field: name })}
                  icon={<ArrowUpRegular />}
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                />
                <Button
                  size="small"
                  data-testid={`layout-down-${r.meta.api_name}`}
                  aria-label={t('moveDown', { field: name })}
                  icon={<ArrowDownRegular />}
                  disabled={i === rows.length - 1}
                  onClick={() => move(i, 1)}
                />
                <Checkbox
                  data-testid={`layout-hidden-${r.meta.api_name}`}
                  label={t('hidden')}
                  aria-label={t('hiddenLabel', { field: name })}
                  checked={r.hidden}
                  disabled={isLocked}
                  onChange={(_, d) => toggle(i, 'hidden', d.checked === true)}
                />
                <Checkbox
                  data-testid={`layout-readonly-${r.meta.api_name}`}
                  label={t('readOnly')}
                  aria-label={t('readOnlyLabel', { field: name })}
                  checked={r.readOnly || systemReadOnly.has(r.meta.api_name)}
                  disabled={isLocked || systemReadOnly.has(r.meta.api_name)}
                  onChange={(_, d) => toggle(i, 'readOnly', d.checked === true)}
                />
                <Checkbox
                  data-testid={`layout-quick-${r.meta.api_name}`}
                  label={t('quick')}
                  aria-label={t('quickLabel', { field: name })}
                  checked={r.quick}
                  disabled={r.hidden || systemReadOnly.has(r.meta.api_name)}
                  onChange={(_, d) => toggle(i, 'quick', d.checked === true)}
                />
              </li>
            );
          })}
        </ol>
      )}
      {save.status === 'done' && (
        <MessageBar intent="success" data-testid="layout-saved">
          <MessageBarBody>{save.text}</MessageBarBody>
        </MessageBar>
      )}
      {save.status === 'failed' && (
        <MessageBar intent="error" data-testid="layout-error" role="alert">
          <MessageBarBody>{t('layoutError', { message: failureText(t, save.error) })}</MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.row}>
        <Button
          appearance="primary"
          data-testid="layout-save"
          disabled={!edited || save.status === 'busy'}
          onClick={() => void saveLayout()}
        >
          {save.status === 'busy' ? t('saving') : t('saveLayout')}
        </Button>
      </div>

      <form
        className={styles.form}
        onSubmit={(e) => void addField(e)}
        aria-labelledby="custom-title"
        data-testid="custom-field-form"
      >
        <Text as="h3" id="custom-title" weight="semibold">
          {t('addCustomField')}
        </Text>
        <Field
          label={t('apiName')}
          required
          hint={t('apiNameHint')}
          validationState={custom.apiName && !API_NAME.test(custom.apiName) ? 'error' : 'none'}
        >
          <Input
            data-testid="custom-api-name"
            value={custom.apiName}
            onChange={(_, d) => setCustom((c) => ({ ...c, apiName: d.value }))}
          />
        </Field>
        <Field label={t('fieldType')}>
          <Dropdown
            data-testid="custom-type"
            value={custom.type}
            selectedOptions={[custom.type]}
            onOptionSelect={(_, d) =>
              setCustom((c) => ({ ...c, type: (d.optionValue as CustomFieldType) ?? 'text' }))
            }
          >
            {CUSTOM_FIELD_TYPES.map((type) => (
              <Option key={type} value={type}>
                {type}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Field label={t('labelEn')} required>
          <Input
            data-testid="custom-label-en"
            value={custom.en}
            onChange={(_, d) => setCustom((c) => ({ ...c, en: d.value }))}
          />
        </Field>
        <Field label={t('labelPl')}>
          <Input
            data-testid="custom-label-pl"
            value={custom.pl}
            onChange={(_, d) => setCustom((c) => ({ ...c, pl: d.value }))}
          />
        </Field>
        <Field label={t('labelZh')}>
          <Input
            data-testid="custom-label-zh-CN"
            value={custom.zh}
            onChange={(_, d) => setCustom((c) => ({ ...c, zh: d.value }))}
          />
        </Field>
        {needsLength && (
          <Field
            label={t('maxLength')}
            hint={t('maxLengthHint', { max: CUSTOM_TEXTAREA_MAX_LIMIT })}
            validationState={lengthOk ? 'none' : 'error'}
          >
            <Input
              data-testid="custom-length"
              type="number"
              value={custom.length}
              onChange={(_, d) => setCustom((c) => ({ ...c, length: d.value }))}
            />
          </Field>
        )}
        {custom.type === 'picklist' && (
          <Field label={t('picklistValues')} required hint={t('picklistHint')}>
            <Textarea
              data-testid="custom-values"
              value={custom.values}
              onChange={(_, d) => setCustom((c) => ({ ...c, values: d.value }))}
            />
          </Field>
        )}
        {add.status === 'done' && (
          <MessageBar intent="success" data-testid="custom-added">
            <MessageBarBody>{add.text}</MessageBarBody>
          </MessageBar>
        )}
        {add.status === 'failed' && (
          <MessageBar intent="error" data-testid="custom-error" role="alert">
            <MessageBarBody>{t('customError', { message: failureText(t, add.error) })}</MessageBarBody>
          </MessageBar>
        )}
        <div className={styles.row}>
          <Button type="submit" data-testid="custom-add" disabled={!customOk || add.status === 'busy'}>
            {add.status === 'busy' ? t('adding') : t('addCustomField')}
          </Button>
        </div>
      </form>
    </div>
  );
}
