import { Button, Field, Input, MessageBar, MessageBarBody, Text, Textarea } from '@fluentui/react-components';
import { FormEvent, useState } from 'react';
import { characterCount } from '../../../../shared/case-fields';
import { NOTE_LIMITS } from '../../../../shared/followup-types';
import { useI18n } from '../../../i18n';
import { Loaded } from '../../components/Loaded';
import { failureText } from '../../components/failure';
import { useCaseChanged, useCaseData, useCaseId } from './case-context';
import { useListStyles } from './styles';
import { useApi } from '../../services';

export function CaseNotes() {
  const caseId = useCaseId();
  const onChanged = useCaseChanged();
  const api = useApi();
  const styles = useListStyles();
  const { t, formatDateTime } = useI18n();
  const notes = useCaseData('notes', (id, signal) => api.notes(id, signal));
  const [title, setTitle] = useState('');
  const [content, setContent] = useState('');
  const [adding, setAdding] = useState<{ status: 'idle' | 'busy' } | { status: 'failed'; error: unknown }>({
    status: 'idle',
  });
  const titleOver = characterCount(title) > NOTE_LIMITS.Note_Title;
  const contentOver = characterCount(content) > NOTE_LIMITS.Note_Content;

  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (!content.trim() || titleOver || contentOver || adding.status === 'busy') return;
    setAdding({ status: 'busy' });
    try {
      await api.addNote(caseId, {
        ...(title.trim() ? { Note_Title: title.trim() } : {}),
        Note_Content: content,
      });
      setTitle('');
      setContent('');
      setAdding({ status: 'idle' });
      onChanged();
    } catch (error) {
      // The typed note stays in the form.
      setAdding({ status: 'failed', error });
    }
  };

  return (
    <section className={styles.section} data-testid="case-notes" aria-label={t('sectionNotes')}>
      <Loaded
        state={notes.state}
        reload={notes.reload}
        loadingLabel={t('loading')}
        emptyText={t('notesNone')}
      >
        {(items) => (
          <ul className={styles.list}>
            {items.map((note) => (
              <li key={note.id} className={styles.item} data-testid={`note-${note.id}`}>
                {note.Note_Title && (
                  <Text weight="semibold" className={styles.text}>
                    {note.Note_Title}
                  </Text>
                )}
                <Text className={styles.body}>{note.Note_Content}</Text>
                <Text size={200} className={styles.muted}>
                  {t('byAt', { name: note.Created_By?.name ?? '', time: formatDateTime(note.Created_Time) })}
                </Text>
              </li>
            ))}
          </ul>
        )}
      </Loaded>
      <form className={styles.form} onSubmit={(e) => void add(e)} aria-label={t('addNote')}>
        <Field
          label={t('noteTitle')}
          hint={t('counter', { count: characterCount(title), max: NOTE_LIMITS.Note_Title })}
          validationState={titleOver ? 'error' : 'none'}
          validationMessage={
            titleOver
              ? t('counter', { count: characterCount(title), max: NOTE_LIMITS.Note_Title })
              : undefined
          }
        >
          <Input data-testid="note-title-input" value={title} onChange={(_, d) => setTitle(d.value)} />
        </Field>
        <Field
          label={t('noteContent')}
          required
          hint={t('counter', { count: characterCount(content), max: NOTE_LIMITS.Note_Content })}
          validationState={contentOver ? 'error' : 'none'}
          validationMessage={
            contentOver
              ? t('counter', { count: characterCount(content), max: NOTE_LIMITS.Note_Content })
              : undefined
          }
        >
          <Textarea
            data-testid="note-content-input"
            resize="vertical"
            value={content}
            onChange={(_, d) => setContent(d.value)}
          />
        </Field>
        {adding.status === 'failed' && (
          <MessageBar intent="error" data-testid="note-error" role="alert">
            <MessageBarBody>{t('noteError', { message: failureText(t, adding.error) })}</MessageBarBody>
          </MessageBar>
        )}
        <div className={styles.row}>
          <Button
            type="submit"
            data-testid="note-add"
            disabled={!content.trim() || titleOver || contentOver || adding.status === 'busy'}
          >
            {adding.status === 'busy' ? t('adding') : t('addNote')}
          </Button>
        </div>
      </form>
    </section>
  );
}
