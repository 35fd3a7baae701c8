import { Checkbox, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { attachmentProblem } from '../../../../shared/attachments';
import { useI18n } from '../../../i18n';
import type { MessageAttachment } from '../../../office/types';
import type { UploadRun } from '../../bound-actions';
import { failureText } from '../../components/failure';
import { formatSize } from '../../components/save-file';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS },
  list: { listStyleType: 'none', margin: '0', padding: '0', display: 'flex', flexDirection: 'column' },
  muted: { color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' },
  problem: { color: tokens.colorPaletteRedForeground1, overflowWrap: 'anywhere' },
  row: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

/** The message's attachments an agent can choose from (inline images of signatures are left out). */
export function choosableAttachments(attachments: readonly MessageAttachment[]): MessageAttachment[] {
  return attachments.filter((a) => !a.isInline);
}

/** Attachments the backend would accept, chosen by default. */
export function defaultChoice(attachments: readonly MessageAttachment[]): Set<string> {
  return new Set(
    choosableAttachments(attachments)
      .filter((a) => !attachmentProblem(a.name, a.size))
      .map((a) => a.id),
  );
}

/**
 * Checkboxes for the open message's attachments; refused ones (too big, programs) are shown disabled with the reason.
 * Where Outlook cannot hand out contents (before Mailbox 1.8, e.g. Outlook mobile) it says the files stay in the email.
 */
export function AttachmentPicker(props: {
  attachments: readonly MessageAttachment[];
  chosen: ReadonlySet<string>;
  onChange(next: Set<string>): void;
  canCopy: boolean;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const items = choosableAttachments(props.attachments);
  if (items.length === 0) return null;
  if (!props.canCopy)
    return (
      <Text size={200} className={styles.muted} data-testid="attachments-unsupported">
        {t('attachmentsUnsupported', { count: items.length })}
      </Text>
    );
  const toggle = (id: string, on: boolean) => {
    const next = new Set(props.chosen);
    if (on) next.add(id);
    else next.delete(id);
    props.onChange(next);
  };
  return (
    <section
      className={styles.section}
      data-testid="attachment-picker"
      aria-labelledby="attachment-picker-title"
    >
      <Text id="attachment-picker-title" weight="semibold">
        {t('attachmentsToCase')}
      </Text>
      <ul className={styles.list}>
        {items.map((a, i) => {
          const problem = attachmentProblem(a.name, a.size);
          return (
            <li key={a.id}>
              <Checkbox
                data-testid={`attachment-pick-${i}`}
                checked={!problem && props.chosen.has(a.id)}
                disabled={problem !== undefined}
                label={`${a.name} (${formatSize(a.size)})`}
                onChange={(_, d) => toggle(a.id, d.checked === true)}
              />
              {problem && (
                <Text size={200} className={styles.problem}>
                  {t('attachmentRefused', { reason: problem })}
                </Text>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/**
 * A job's files as they are copied to the case (the copying itself runs in BoundActions, outside this view, so it
 * finishes on the message it started from even when the agent moves on).
 */
export function AttachmentUploads({ run }: { run: UploadRun }) {
  const styles = useStyles();
  const { t } = useI18n();
  const { job, states } = run;
  const fileError = (error: unknown) =>
    error instanceof Error && error.name === 'OfficeError' ? error.message : failureText(t, error);
  return (
    <section
      className={styles.section}
      data-testid="attachment-uploads"
      aria-live="polite"
      aria-label={t('attachmentUploadsTitle', { number: job.caseNumber })}
    >
      <Text weight="semibold">{t('attachmentUploadsTitle', { number: job.caseNumber })}</Text>
      <ul className={styles.list}>
        {job.attachments.map((a, i) => {
          const s = states[i];
          return (
            <li
              key={a.id}
              className={styles.row}
              data-testid={`attachment-progress-${i}`}
              data-state={s.status}
            >
              {s.status === 'uploading' && <Spinner size="extra-tiny" />}
              <Text>{a.name}</Text>
              <Text
                size={200}
                className={s.status === 'failed' ? styles.problem : styles.muted}
                role={s.status === 'failed' ? 'alert' : undefined}
              >
                {s.status === 'waiting'
                  ? t('uploadWaiting')
                  : s.status === 'uploading'
                    ? t('uploadRunning')
                    : s.status === 'done'
                      ? t('uploadDone')
                      : s.status === 'later'
                        ? t('uploadLater')
                        : t('uploadFailed', { message: fileError(s.error) })}
              </Text>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
