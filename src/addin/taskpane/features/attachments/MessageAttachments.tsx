import { Checkbox, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { attachmentProblem } from '../../../../shared/attachments';
import type { CasesApi } from '../../../api/client';
import { useI18n } from '../../../i18n';
import type { MailHost, MessageAttachment } from '../../../office/types';
import { failureText } from '../../components/failure';
import { base64ToBlob, formatSize } from '../../components/save-file';

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

/** Checkboxes for the open message's attachments; refused ones (too big, programs) are shown disabled with the reason. */
export function AttachmentPicker(props: {
  attachments: readonly MessageAttachment[];
  chosen: ReadonlySet<string>;
  onChange(next: Set<string>): void;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const items = choosableAttachments(props.attachments);
  if (items.length === 0) return null;
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

export interface UploadJob {
  /** Distinguishes two jobs for the same case (linking twice). */
  key: string;
  caseId: string;
  caseNumber: string;
  sourceMessageId: string;
  attachments: MessageAttachment[];
}

type FileState =
  | { status: 'waiting' }
  | { status: 'uploading' }
  | { status: 'done' }
  | { status: 'failed'; message: string };

/**
 * Copies the chosen attachments to the case once it exists, one at a time (Outlook reads one attachment at a time
 * well; the server takes one file per request), with each file's progress and error.
 */
export function AttachmentUploads({
  job,
  host,
  api,
}: {
  job: UploadJob;
  host: Pick<MailHost, 'getAttachmentContent'>;
  api: Pick<CasesApi, 'uploadAttachment'>;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const [states, setStates] = useState<FileState[]>(() => job.attachments.map(() => ({ status: 'waiting' })));
  const started = useRef<string | null>(null);

  useEffect(() => {
    if (started.current === job.key) return; // once per job, even under StrictMode's double effects
    started.current = job.key;
    // No cleanup: the uploads run to the end even if the pane moves on (the case should get the files).
    const set = (i: number, state: FileState) => setStates((s) => s.map((x, j) => (j === i ? state : x)));
    void (async () => {
      for (const [i, a] of job.attachments.entries()) {
        set(i, { status: 'uploading' });
        try {
          const base64 = await host.getAttachmentContent(a.id);
          await api.uploadAttachment(
            job.caseId,
            { name: a.name, contentType: a.contentType, data: base64ToBlob(base64, a.contentType) },
            job.sourceMessageId,
          );
          set(i, { status: 'done' });
        } catch (error) {
          set(i, {
            status: 'failed',
            message:
              error instanceof Error && error.name === 'OfficeError' ? error.message : failureText(t, error),
          });
        }
      }
    })();
    // The job is the whole input; t is stable per language.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [job.key]);

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
                      : t('uploadFailed', { message: s.message })}
              </Text>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
