import {
  Button,
  Dropdown,
  Field,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Option,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { BUILT_IN_VIEW_IDS } from '../../../../shared/view-types';
import { useI18n } from '../../../i18n';
import { useAnnouncer } from '../../components/Announcer';
import { failureText } from '../../components/failure';
import { lazyPart } from '../../components/lazyPart';
import { useLoad } from '../../hooks/useLoad';
import { QueueList, QueueMore } from './QueueList';
import { useQueuePages } from './useQueuePages';
import { viewName } from './queue-text';
import { SaveView } from './SaveView';
import { viewColumns } from './view-columns';
import { useApi, usePaneSession } from '../../services';

const CaseDetail = lazyPart(() => import('../case-detail/CaseDetail').then((m) => m.CaseDetail));

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  top: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalS },
});

export interface MyCasesProps {
  /** The agent's own mailbox address (where stored item ids can be opened). */
  mailbox: string | null;
  /** Opens a message of this mailbox in Outlook; false when the host cannot. */
  openEmail: ((itemId: string) => boolean) | null;
  onBack(): void;
}

/**
 * My cases: a view picker (built-in and saved views), the view's cases in the server's order (priority, then oldest,
 * unless the view sorts otherwise) with status, last customer message and time left before escalation; a row opens
 * the case detail, "Open email" the case's last customer message in Outlook.
 */
export function MyCases({ mailbox, openEmail, onBack }: MyCasesProps) {
  const api = useApi();
  const { fields, me } = usePaneSession();
  const styles = useStyles();
  const { t } = useI18n();
  const announce = useAnnouncer();
  const [cvid, setCvid] = useState<string>(BUILT_IN_VIEW_IDS.my_open);
  const [opened, setOpened] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  const views = useLoad('views', (signal) => api.customViews(signal));
  const queue = useQueuePages(api, cvid);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  const list = views.state.status === 'ready' ? views.state.value : [];
  const current = list.find((v) => v.id === cvid);
  const isAdmin = me?.role?.name === 'admin';
  // Saving is a write: viewers read views but cannot save one (the API refuses them too).
  const canSave = me !== null && me.role?.name !== 'viewer';
  const caseId = opened[opened.length - 1];
  const first = queue.first.state;

  return (
    <>
      {caseId && (
        <CaseDetail
          key={caseId}
          caseId={caseId}
          onBack={() => {
            setOpened((o) => o.slice(0, -1));
            queue.first.reload();
          }}
          onOpenCase={(id) => setOpened((o) => [...o, id])}
        />
      )}
      <section
        hidden={caseId !== undefined}
        className={caseId ? undefined : styles.root}
        data-testid="my-cases"
      >
        <div className={styles.top}>
          <Button appearance="subtle" onClick={onBack} data-testid="my-cases-back">
            {t('back')}
          </Button>
          <Text as="h1" size={500} weight="semibold">
            {t('myCasesTitle')}
          </Text>
        </div>
        <Field label={t('viewPicker')}>
          <Dropdown
            data-testid="view-picker"
            value={current ? viewName(t, current) : ''}
            selectedOptions={[cvid]}
            onOptionSelect={(_, d) => d.optionValue && setCvid(d.optionValue)}
          >
            {list.map((v) => (
              <Option key={v.id} value={v.id}>
                {viewName(t, v)}
              </Option>
            ))}
          </Dropdown>
        </Field>
        {first.status === 'loading' && <Spinner size="small" label={t('loading')} />}
        {first.status === 'error' && (
          <MessageBar intent="error" data-testid="queue-error">
            <MessageBarBody>{failureText(t, first.error)}</MessageBarBody>
            <MessageBarActions>
              <Button onClick={queue.first.reload}>{t('retry')}</Button>
            </MessageBarActions>
          </MessageBar>
        )}
        {first.status === 'ready' &&
          (queue.rows.length === 0 ? (
            <Text data-testid="queue-empty">{t('queueEmpty')}</Text>
          ) : (
            <QueueList
              rows={queue.rows}
              columns={viewColumns(current, fields)}
              mailbox={mailbox}
              canOpenEmail={openEmail !== null}
              now={now}
              onOpenCase={(id) => setOpened([id])}
              onOpenEmail={(itemId) => {
                if (!openEmail?.(itemId)) announce(t('queueOpenEmailFailed'));
              }}
            />
          ))}
        {queue.hasMore && (
          <QueueMore
            loading={queue.loadingMore}
            error={queue.moreError}
            onMore={async () => {
              const added = await queue.loadMore();
              if (added) announce(t('queueMoreShown', { count: added }));
            }}
          />
        )}
        {canSave && (
          <Button appearance="subtle" data-testid="save-view-toggle" onClick={() => setSaving((s) => !s)}>
            {t('saveViewTitle')}
          </Button>
        )}
        {canSave && saving && (
          <SaveView
            key={cvid}
            base={current}
            fields={fields}
            isAdmin={isAdmin}
            save={(view) => api.createCustomView(view)}
            onSaved={(id, name) => {
              announce(t('saveViewSaved', { name }));
              setSaving(false);
              views.reload();
              setCvid(id);
            }}
          />
        )}
      </section>
    </>
  );
}
