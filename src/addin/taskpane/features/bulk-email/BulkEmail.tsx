import {
  Button,
  Checkbox,
  Dropdown,
  Field,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Option,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { MAX_RECORDS_PER_CALL, type CaseRecord } from '../../../../shared/api-types';
import { withCaseReference } from '../../../../shared/case-reference';
import type { EmailTemplate } from '../../../../shared/followup-types';
import { ApiFailure } from '../../../api/errors';
import type { BulkMailResult } from '../../../api/records';
import { useI18n, type Translate } from '../../../i18n';
import { useCaseSearch } from '../../components/case-search';
import { CaseSearchPanel } from '../../components/CaseSearchPanel';
import { failureText } from '../../components/failure';
import { renderTemplate } from '../../components/merge-fields';
import { StatusBadge } from '../../components/StatusBadge';
import { useLoad } from '../../hooks/useLoad';
import { useApi } from '../../services';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  top: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalS },
  section: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS },
  list: { listStyleType: 'none', margin: '0', padding: '0', display: 'flex', flexDirection: 'column' },
  item: {
    display: 'flex',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalS,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  text: { overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' },
  preview: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  body: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', maxHeight: '12em', overflowY: 'auto' },
  result: {
    display: 'flex',
    flexDirection: 'column',
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    borderLeft: `${tokens.strokeWidthThicker} solid ${tokens.colorNeutralStroke1}`,
  },
  resultOk: { borderLeftColor: tokens.colorPaletteGreenBorder2 },
  resultFailed: { borderLeftColor: tokens.colorPaletteRedBorder2 },
  actions: { display: 'flex', columnGap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

/** One recipient's outcome, with the case it belongs to (when the pane still knows it). */
export interface BulkOutcome {
  caseId: string;
  record: CaseRecord | undefined;
  result: BulkMailResult;
}

type SendState =
  | { status: 'idle' }
  | { status: 'confirming' }
  | { status: 'sending' }
  | { status: 'done'; outcomes: BulkOutcome[]; error: unknown };

/** What the agent reads for one recipient's result; the server's code decides, never the HTTP status. */
export function outcomeText(t: Translate, result: BulkMailResult): string {
  if (result.status === 'success') {
    const to = result.details.to;
    return t('bulkSentTo', { to: typeof to === 'string' ? to : '' });
  }
  if (result.code === 'MANDATORY_NOT_FOUND') return t('bulkNoContactEmail');
  return t('bulkNotSent', { message: result.message });
}

/** The address the server will write to: the case's email, else its contact's. */
function recipientOf(record: CaseRecord): string | null {
  return record.Email || record.Related_To?.email || null;
}

/**
 * Bulk email: find cases, tick several, pick a template, preview it for the first one, send one email per case's
 * contact (POST /Cases/actions/send_mail), and list each recipient's result. Message text is shown as text only.
 */
export function BulkEmail({ onBack }: { onBack(): void }) {
  const api = useApi();
  const styles = useStyles();
  const { t } = useI18n();
  const search = useCaseSearch(api);
  const templates = useLoad('templates', () => api.emailTemplates());
  const [selected, setSelected] = useState<CaseRecord[]>([]);
  const [templateId, setTemplateId] = useState<string | null>(null);
  const [send, setSend] = useState<SendState>({ status: 'idle' });

  const list: EmailTemplate[] = templates.state.status === 'ready' ? templates.state.value : [];
  const template = list.find((x) => x.id === templateId);
  const selectedIds = new Set(selected.map((c) => c.id));
  const found = search.results.status === 'ready' ? search.results.cases : [];
  const foundIds = new Set(found.map((c) => c.id));
  // Each case is listed once (its checkbox's test id is unique): this search's results, then earlier choices.
  const earlier = selected.filter((c) => !foundIds.has(c.id));
  const first = selected[0];
  const busy = send.status === 'sending';

  const toggle = (record: CaseRecord, on: boolean) => {
    setSelected((list) =>
      on
        ? list.some((c) => c.id === record.id)
          ? list
          : [...list, record]
        : list.filter((c) => c.id !== record.id),
    );
    if (send.status === 'confirming') setSend({ status: 'idle' });
  };

  const sendAll = async () => {
    if (!template || selected.length === 0 || busy) return;
    const cases = selected;
    const byId = new Map(cases.map((c) => [c.id, c]));
    setSend({ status: 'sending' });
    const outcomes: BulkOutcome[] = [];
    let error: unknown = null;
    // The API takes at most MAX_RECORDS_PER_CALL records per request.
    for (let i = 0; i < cases.length && error === null; i += MAX_RECORDS_PER_CALL) {
      const chunk = cases.slice(i, i + MAX_RECORDS_PER_CALL).map((c) => c.id);
      try {
        const results = await api.sendBulkMail(template.id, chunk);
        results.forEach((result, j) => {
          const detailId = result.details?.id;
          const caseId = typeof detailId === 'string' ? detailId : chunk[j];
          outcomes.push({ caseId, record: byId.get(caseId), result });
        });
      } catch (e) {
        error = e;
      }
    }
    // Cases whose email went out leave the selection; the others stay, to send again after fixing them.
    const sent = new Set(outcomes.filter((o) => o.result.status === 'success').map((o) => o.caseId));
    setSelected((list) => list.filter((c) => !sent.has(c.id)));
    setSend({ status: 'done', outcomes, error });
  };

  const renderRow = (record: CaseRecord) => (
    <li key={record.id} className={styles.item}>
      <Checkbox
        data-testid={`bulk-select-${record.Case_Number}`}
        checked={selectedIds.has(record.id)}
        disabled={busy}
        aria-label={t('bulkSelectLabel', { number: record.Case_Number, subject: record.Subject })}
        label={
          <span className={styles.section}>
            <Text weight="semibold">{record.Case_Number}</Text>
            <Text className={styles.text}>{record.Subject}</Text>
          </span>
        }
        onChange={(_, d) => toggle(record, d.checked === true)}
      />
      <StatusBadge status={record.Status} />
    </li>
  );

  const failed = send.status === 'done' ? send.error : null;
  const notConfigured = failed instanceof ApiFailure && failed.details.code === 'NOT_SUPPORTED';
  const outcomes = send.status === 'done' ? send.outcomes : [];
  const sentCount = outcomes.filter((o) => o.result.status === 'success').length;

  return (
    <section className={styles.root} data-testid="bulk-email" aria-labelledby="bulk-title">
      <div className={styles.top}>
        <Button data-testid="bulk-back" appearance="subtle" onClick={onBack}>
          {t('back')}
        </Button>
      </div>
      <Text as="h1" id="bulk-title" size={500} weight="semibold">
        {t('bulkTitle')}
      </Text>
      <Text className={styles.muted}>{t('bulkIntro')}</Text>

      <CaseSearchPanel idPrefix="bulk" search={search} renderCase={renderRow} />
      {earlier.length > 0 && (
        <section
          className={styles.section}
          aria-labelledby="bulk-earlier-title"
          data-testid="bulk-selected-earlier"
        >
          <Text as="h3" id="bulk-earlier-title" weight="semibold">
            {t('bulkSelectedEarlier')}
          </Text>
          <ul className={styles.list}>{earlier.map(renderRow)}</ul>
        </section>
      )}
      <Text data-testid="bulk-selected-count" aria-live="polite">
        {t('bulkSelectedCount', { count: selected.length })}
      </Text>

      <Field label={t('template')} required>
        <Dropdown
          data-testid="bulk-template"
          placeholder={templates.state.status === 'loading' ? t('loading') : t('bulkChooseTemplate')}
          value={template?.name ?? ''}
          selectedOptions={templateId ? [templateId] : []}
          disabled={busy}
          onOptionSelect={(_, d) => setTemplateId(d.optionValue ?? null)}
        >
          {list.map((x) => (
            <Option key={x.id} value={x.id} text={x.name}>
              {x.name}
            </Option>
          ))}
        </Dropdown>
      </Field>
      {templates.state.status === 'ready' && list.length === 0 && (
        <Text className={styles.muted}>{t('bulkNoTemplates')}</Text>
      )}
      {templates.state.status === 'error' && (
        <MessageBar intent="error">
          <MessageBarBody>
            {t('listError', { message: failureText(t, templates.state.error) })}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={templates.reload}>{t('retry')}</Button>
          </MessageBarActions>
        </MessageBar>
      )}

      {template && first && (
        <section className={styles.preview} data-testid="bulk-preview" aria-labelledby="bulk-preview-title">
          <Text as="h3" id="bulk-preview-title" weight="semibold">
            {t('bulkPreviewTitle', { number: first.Case_Number })}
          </Text>
          {/* Merged text from case data: plain text only. */}
          <Text data-testid="bulk-preview-to" className={styles.text}>
            {recipientOf(first)
              ? t('bulkPreviewTo', { to: recipientOf(first) ?? '' })
              : t('bulkPreviewNoAddress')}
          </Text>
          <Text data-testid="bulk-preview-subject" weight="semibold" className={styles.text}>
            {withCaseReference(renderTemplate(template.subject, first), first.Case_Number)}
          </Text>
          <Text data-testid="bulk-preview-body" className={styles.body}>
            {renderTemplate(template.body, first)}
          </Text>
        </section>
      )}

      {send.status === 'confirming' ? (
        <MessageBar intent="warning" data-testid="bulk-confirm">
          <MessageBarBody>{t('bulkConfirm', { count: selected.length })}</MessageBarBody>
          <MessageBarActions>
            <Button appearance="primary" data-testid="bulk-send-confirm" onClick={() => void sendAll()}>
              {t('bulkConfirmSend')}
            </Button>
            <Button data-testid="bulk-send-cancel" onClick={() => setSend({ status: 'idle' })}>
              {t('cancel')}
            </Button>
          </MessageBarActions>
        </MessageBar>
      ) : (
        <div className={styles.actions}>
          <Button
            appearance="primary"
            data-testid="bulk-send"
            disabled={!template || selected.length === 0 || busy}
            onClick={() => setSend({ status: 'confirming' })}
          >
            {busy ? t('sending') : t('bulkSend', { count: selected.length })}
          </Button>
        </div>
      )}

      {failed !== null && (
        <MessageBar intent="error" data-testid="bulk-error" role="alert">
          <MessageBarBody>
            {notConfigured ? t('mailNotConfigured') : t('mailFailed', { message: failureText(t, failed) })}
          </MessageBarBody>
        </MessageBar>
      )}
      {outcomes.length > 0 && (
        <section className={styles.section} data-testid="bulk-results" aria-labelledby="bulk-outcomes-title">
          <Text as="h3" id="bulk-outcomes-title" weight="semibold" aria-live="polite">
            {t('bulkResultsTitle', { sent: sentCount, failed: outcomes.length - sentCount })}
          </Text>
          <ul className={styles.list}>
            {outcomes.map((o, i) => {
              const ok = o.result.status === 'success';
              const label = o.record
                ? `${o.record.Case_Number} · ${o.record.Subject}`
                : t('bulkCaseUnknown', { id: o.caseId });
              return (
                <li
                  key={`${o.caseId}-${i}`}
                  className={mergeClasses(styles.result, ok ? styles.resultOk : styles.resultFailed)}
                  data-testid={`bulk-result-${o.record?.Case_Number ?? o.caseId}`}
                  data-code={o.result.code}
                >
                  <Text weight="semibold" className={styles.text}>
                    {label}
                  </Text>
                  <Text size={200} className={ok ? styles.text : styles.muted}>
                    {outcomeText(t, o.result)}
                  </Text>
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </section>
  );
}
