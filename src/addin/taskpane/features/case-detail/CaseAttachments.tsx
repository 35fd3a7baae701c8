import { Button, MessageBar, MessageBarBody, Text, mergeClasses } from '@fluentui/react-components';
import { ChangeEvent, useRef, useState } from 'react';
import { attachmentProblem } from '../../../../shared/attachments';
import type { AttachmentRecord } from '../../../../shared/followup-types';
import { useI18n } from '../../../i18n';
import { Loaded } from '../../components/Loaded';
import { failureText } from '../../components/failure';
import { formatSize, saveFile } from '../../components/save-file';
import { useCaseChanged, useCaseData, useCaseId } from './case-context';
import { useListStyles } from './styles';
import { useApi } from '../../services';

type Upload =
  | { status: 'idle' }
  | { status: 'busy'; name: string }
  | { status: 'done'; name: string }
  | { status: 'failed'; name: string; message: string };

export function CaseAttachments() {
  const caseId = useCaseId();
  const onChanged = useCaseChanged();
  const api = useApi();
  const styles = useListStyles();
  const { t, formatDateTime } = useI18n();
  const list = useCaseData('attachments', (id, signal) => api.attachments(id, signal));
  const input = useRef<HTMLInputElement>(null);
  const [upload, setUpload] = useState<Upload>({ status: 'idle' });
  const [downloads, setDownloads] = useState<Record<string, unknown>>({});

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    const problem = attachmentProblem(file.name, file.size);
    if (problem)
      return setUpload({
        status: 'failed',
        name: file.name,
        message: t('attachmentRefused', { reason: problem }),
      });
    setUpload({ status: 'busy', name: file.name });
    try {
      await api.uploadAttachment(caseId, { name: file.name, contentType: file.type, data: file });
      setUpload({ status: 'done', name: file.name });
      onChanged();
    } catch (error) {
      setUpload({ status: 'failed', name: file.name, message: failureText(t, error) });
    }
  };

  const download = async (a: AttachmentRecord) => {
    setDownloads((d) => ({ ...d, [a.id]: null }));
    try {
      saveFile(await api.downloadAttachment(caseId, a.id), a.File_Name);
    } catch (error) {
      setDownloads((d) => ({ ...d, [a.id]: error }));
    }
  };

  return (
    <section className={styles.section} data-testid="case-attachments" aria-label={t('sectionAttachments')}>
      <Loaded
        state={list.state}
        reload={list.reload}
        loadingLabel={t('loading')}
        emptyText={t('attachmentsNone')}
      >
        {(items) => (
          <ul className={styles.list}>
            {items.map((a) => (
              <li key={a.id} className={styles.item} data-testid={`attachment-${a.id}`}>
                <div className={styles.row}>
                  <Text weight="semibold" className={mergeClasses(styles.text, styles.grow)}>
                    {a.File_Name}
                  </Text>
                  <Button
                    size="small"
                    data-testid={`attachment-download-${a.id}`}
                    aria-label={t('downloadLabel', { name: a.File_Name })}
                    onClick={() => void download(a)}
                  >
                    {t('download')}
                  </Button>
                </div>
                <Text size={200} className={styles.muted}>
                  {formatSize(a.Size)} ·{' '}
                  {t('byAt', { name: a.Created_By?.name ?? '', time: formatDateTime(a.Created_Time) })}
                </Text>
                {downloads[a.id] ? (
                  <Text size={200} role="alert">
                    {t('downloadError', { message: failureText(t, downloads[a.id]) })}
                  </Text>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Loaded>
      <input
        ref={input}
        type="file"
        hidden
        data-testid="attachment-file-input"
        aria-label={t('uploadFile')}
        onChange={(e) => void onFile(e)}
      />
      <div className={styles.row}>
        <Button
          data-testid="attachment-upload"
          disabled={upload.status === 'busy'}
          onClick={() => input.current?.click()}
        >
          {upload.status === 'busy' ? t('uploadingFile', { name: upload.name }) : t('uploadFile')}
        </Button>
      </div>
      {upload.status === 'done' && (
        <MessageBar intent="success" data-testid="attachment-uploaded">
          <MessageBarBody>{t('attachmentUploaded', { name: upload.name })}</MessageBarBody>
        </MessageBar>
      )}
      {upload.status === 'failed' && (
        <MessageBar intent="error" data-testid="attachment-upload-error" role="alert">
          <MessageBarBody>
            {t('attachmentUploadFailed', { name: upload.name, message: upload.message })}
          </MessageBarBody>
        </MessageBar>
      )}
    </section>
  );
}
