import { Button, MessageBar, MessageBarBody, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { CaseRecord } from '../../../../shared/api-types';
import { useI18n } from '../../../i18n';
import { failureText } from '../../components/failure';
import { useApi } from '../../services';
import { useCaseChanged } from './case-context';
import { useActionStyles } from './styles';

const useStyles = makeStyles({
  muted: { color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' },
});

type ActionState =
  | { status: 'idle' }
  | { status: 'busy' }
  | { status: 'done'; text: string }
  | { status: 'failed'; error: unknown };

/**
 * What an agent does with the whole case: clone it (and open the clone), publish its saved Solution to the
 * knowledge base. Publishing waits for an edited Solution to be saved, so what is published is what is stored.
 */
export function CaseActions(props: {
  record: CaseRecord;
  solutionEdited: boolean;
  onOpenCase(caseId: string): void;
}) {
  const { record, solutionEdited, onOpenCase } = props;
  const styles = useStyles();
  const actionStyles = useActionStyles();
  const api = useApi();
  const { t } = useI18n();
  const caseChanged = useCaseChanged();
  const [clone, setClone] = useState<ActionState>({ status: 'idle' });
  const [publish, setPublish] = useState<ActionState>({ status: 'idle' });
  const savedSolution = (record.Solution ?? '').trim() !== '';

  const doClone = async () => {
    setClone({ status: 'busy' });
    try {
      const created = await api.cloneCase(record.id);
      setClone({ status: 'done', text: t('cloned', { number: created.caseNumber }) });
      onOpenCase(created.id);
    } catch (error) {
      setClone({ status: 'failed', error });
    }
  };

  const doPublish = async () => {
    setPublish({ status: 'busy' });
    try {
      const solution = await api.publishSolution(record.id, { Status: 'Published' });
      setPublish({ status: 'done', text: t('solutionPublished', { number: solution.number }) });
      caseChanged();
    } catch (error) {
      setPublish({ status: 'failed', error });
    }
  };

  return (
    <>
      <div className={actionStyles.actions}>
        <Button data-testid="case-clone" disabled={clone.status === 'busy'} onClick={() => void doClone()}>
          {clone.status === 'busy' ? t('cloning') : t('cloneCase')}
        </Button>
        <Button
          data-testid="case-publish-solution"
          disabled={!savedSolution || solutionEdited || publish.status === 'busy'}
          title={
            !savedSolution ? t('publishNeedsSolution') : solutionEdited ? t('publishSaveFirst') : undefined
          }
          onClick={() => void doPublish()}
        >
          {publish.status === 'busy' ? t('publishing') : t('publishSolution')}
        </Button>
      </div>
      {!savedSolution && (
        <Text size={200} className={styles.muted}>
          {t('publishNeedsSolution')}
        </Text>
      )}
      {clone.status === 'failed' && (
        <MessageBar intent="error" data-testid="case-clone-error">
          <MessageBarBody>{t('cloneError', { message: failureText(t, clone.error) })}</MessageBarBody>
        </MessageBar>
      )}
      {publish.status === 'done' && (
        <MessageBar intent="success" data-testid="solution-published">
          <MessageBarBody>{publish.text}</MessageBarBody>
        </MessageBar>
      )}
      {publish.status === 'failed' && (
        <MessageBar intent="error" data-testid="publish-error">
          <MessageBarBody>{t('publishError', { message: failureText(t, publish.error) })}</MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}
