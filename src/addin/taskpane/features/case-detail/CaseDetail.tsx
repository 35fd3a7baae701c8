import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Spinner,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { CaseRecord } from '../../../../shared/api-types';
import { ApiFailure } from '../../../api/errors';
import { useI18n } from '../../../i18n';
import { failureText } from '../../components/failure';
import { useLoad } from '../../hooks/useLoad';
import { useApi } from '../../services';
import { CaseActions } from './CaseActions';
import { CaseEditForm } from './CaseEditForm';
import { CaseHeader } from './CaseHeader';
import { CaseRelatedLists, type CaseRelatedListsProps } from './CaseRelatedLists';
import { CaseProvider } from './case-context';
import { useCaseEditor } from './useCaseEditor';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
});

export interface CaseDetailProps {
  caseId: string;
  onBack(): void;
  /** Open another case (a clone, the target of a moved email). */
  onOpenCase(caseId: string): void;
  /** A message was unlinked from this case (toCaseNumber null) or moved to another one (the Outlook category follows). */
  onMessageMoved?: CaseRelatedListsProps['onMessageMoved'];
}

/** A case opened from the pane: edit its working fields, follow its related lists and history, act on it. */
export function CaseDetail({ caseId, onBack, ...rest }: CaseDetailProps) {
  const api = useApi();
  const styles = useStyles();
  const { t } = useI18n();
  const loaded = useLoad(caseId, (signal) => api.getCase(caseId, signal));
  const back = (
    <Button appearance="subtle" data-testid="case-back" onClick={onBack}>
      {t('back')}
    </Button>
  );

  if (loaded.state.status === 'ready' && loaded.state.value) {
    return (
      <CaseProvider caseId={caseId}>
        <OpenedCase loaded={loaded.state.value} back={back} {...rest} />
      </CaseProvider>
    );
  }
  if (loaded.state.status === 'loading') {
    return (
      <div className={styles.root} data-testid="case-detail" aria-busy="true">
        {back}
        <Spinner label={t('caseLoading')} />
      </div>
    );
  }
  const error =
    loaded.state.status === 'error' ? loaded.state.error : new ApiFailure('not-found', 'no such case');
  return (
    <div className={styles.root} data-testid="case-detail">
      {back}
      <MessageBar intent="error" data-testid="case-load-error">
        <MessageBarBody>{t('caseLoadError', { message: failureText(t, error) })}</MessageBarBody>
        <MessageBarActions>
          <Button onClick={loaded.reload}>{t('retry')}</Button>
        </MessageBarActions>
      </MessageBar>
    </div>
  );
}

function OpenedCase(
  props: { loaded: CaseRecord; back: JSX.Element } & Omit<CaseDetailProps, 'caseId' | 'onBack'>,
) {
  const { loaded, back, onOpenCase, onMessageMoved } = props;
  const styles = useStyles();
  const { t } = useI18n();
  // The case as loaded, until a save or a reload after a conflict replaces it.
  const [record, setRecord] = useState(loaded);
  const editor = useCaseEditor(record, setRecord);
  return (
    <div
      className={styles.root}
      data-testid="case-detail"
      data-case-number={record.Case_Number}
      data-case-version={record.$version}
    >
      {back}
      <CaseHeader record={record} />
      {editor.showRestored && (
        <MessageBar intent="info" data-testid="case-draft-restored">
          <MessageBarBody>{t('caseDraftRestored')}</MessageBarBody>
          <MessageBarActions>
            <Button data-testid="case-discard-draft" onClick={editor.discard}>
              {t('discardChanges')}
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      <CaseEditForm record={record} editor={editor} />
      <CaseActions record={record} solutionEdited={'Solution' in editor.changes} onOpenCase={onOpenCase} />
      <CaseRelatedLists record={record} onOpenCase={onOpenCase} onMessageMoved={onMessageMoved} />
    </div>
  );
}
