import { Button, Field, Text, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { NOTE_LIMITS } from '../../../../shared/followup-types';
import { useI18n } from '../../../i18n';
import { useAnnouncer } from '../../components/Announcer';
import { failureText } from '../../components/failure';
import { useApi } from '../../services';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS },
  row: { display: 'flex', columnGap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

/** "Add a note" on the status view: one text box, saved as a note of the case (the detail has the full list). */
export function QuickNote({ caseId, caseNumber }: { caseId: string; caseNumber: string }) {
  const api = useApi();
  const styles = useStyles();
  const { t } = useI18n();
  const announce = useAnnouncer();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [state, setState] = useState<{ status: 'idle' | 'saving' } | { status: 'failed'; error: unknown }>({
    status: 'idle',
  });

  const save = async () => {
    if (!text.trim() || state.status === 'saving') return;
    setState({ status: 'saving' });
    try {
      await api.addNote(caseId, { Note_Content: text });
      setText('');
      setOpen(false);
      setState({ status: 'idle' });
      announce(t('noteAdded', { number: caseNumber }));
    } catch (error) {
      setState({ status: 'failed', error });
      announce(t('noteFailed', { message: failureText(t, error) }));
    }
  };

  if (!open)
    return (
      <Button data-testid="status-add-note" onClick={() => setOpen(true)}>
        {t('addNote')}
      </Button>
    );
  return (
    <div className={styles.form}>
      <Field label={t('noteLabel', { number: caseNumber })}>
        <Textarea
          data-testid="status-note-text"
          autoFocus
          value={text}
          maxLength={NOTE_LIMITS.Note_Content}
          onChange={(_, d) => setText(d.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void save();
          }}
        />
      </Field>
      {state.status === 'failed' && (
        <Text size={200}>{t('noteFailed', { message: failureText(t, state.error) })}</Text>
      )}
      <div className={styles.row}>
        <Button
          appearance="primary"
          data-testid="status-note-save"
          disabled={!text.trim() || state.status === 'saving'}
          onClick={() => void save()}
        >
          {t('saveNote')}
        </Button>
        <Button onClick={() => setOpen(false)}>{t('cancel')}</Button>
      </div>
    </div>
  );
}
