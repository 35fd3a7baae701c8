import {
  MessageBar,
  MessageBarBody,
  Tab,
  TabList,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { type ReactNode, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { LinkedCaseSummary } from '../../shared/api-types';
import type { CreatedCase } from '../api/client';
import { useI18n } from '../i18n';
import type { OpenMessage } from '../office/types';
import { failureText } from './components/failure';
import {
  AttachmentPicker,
  AttachmentUploads,
  choosableAttachments,
  defaultChoice,
} from './features/attachments/MessageAttachments';
import type { BoundActions } from './bound-actions';
import { ItemLimits } from './features/item-state/ItemState';
import { LinkedCases, type QuickLinkState } from './features/linked-cases/LinkedCases';
import { replyBodyHtml } from './features/linked-cases/reply-body';
import { useLinkedCases } from './features/linked-cases/useLinkedCases';
import { NewCaseForm } from './features/new-case/NewCaseForm';
import { lazyPart } from './components/lazyPart';
import { useAnnouncer } from './components/Announcer';
import { messageKey } from './hooks/useOpenMessage';
import { sameMessageId, toEmailMessageInput } from './message-input';
import { useServices, usePaneSession } from './services';
import { tagThreadStatus } from './thread-status';

// Loaded on first use: a case's detail, Link to case and the status card are not on the first paint of a new email.
const CaseDetail = lazyPart(() => import('./features/case-detail/CaseDetail').then((m) => m.CaseDetail));
const LinkCase = lazyPart(() => import('./features/link-case/LinkCase').then((m) => m.LinkCase));
const CaseStatusCard = lazyPart(() =>
  import('./features/linked-cases/CaseStatusCard').then((m) => m.CaseStatusCard),
);

const useStyles = makeStyles({
  header: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXXS },
  // A real h1 (it was a span): no browser margin, so it looks as before.
  subject: { overflowWrap: 'anywhere', margin: '0' },
  muted: { color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' },
  panel: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
});

type Tab = 'new-case' | 'link-case';
const TABS: Tab[] = ['new-case', 'link-case'];

/** The tab an arrow, Home or End key moves to (circular, as the WAI-ARIA tabs pattern has it); null for other keys. */
function tabByKey(current: Tab, key: string): Tab | null {
  const i = TABS.indexOf(current);
  if (key === 'ArrowRight') return TABS[(i + 1) % TABS.length];
  if (key === 'ArrowLeft') return TABS[(i + TABS.length - 1) % TABS.length];
  if (key === 'Home') return TABS[0];
  if (key === 'End') return TABS[TABS.length - 1];
  return null;
}

/**
 * One open message: its cases (a status view when it has one), the create form and Link to case in tabs, and the
 * cases opened from it over the view, which stays mounted underneath so nothing typed is lost.
 */
export function MessagePane({ message, actions }: { message: OpenMessage; actions: BoundActions }) {
  const { host, api } = useServices();
  const { me } = usePaneSession();
  const styles = useStyles();
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('new-case');
  // Cases opened from this message, innermost last (a clone opened from a case: Back returns to the case).
  const [opened, setOpened] = useState<string[]>([]);
  const [chosen, setChosen] = useState<Set<string>>(() => defaultChoice(message.attachments));
  useSyncExternalStore(actions.subscribe, actions.snapshot);
  const uploads = actions.uploadsOf(message.itemId);
  const [quickLinks, setQuickLinks] = useState<Record<string, QuickLinkState>>({});
  const key = messageKey(message);
  const linked = useLinkedCases(api, {
    key,
    internetMessageId: message.internetMessageId,
    conversationId: message.conversationId,
    subject: message.subject,
  });
  const convertedAs =
    linked.state.status === 'ready' ? linked.state.cases.find((c) => c.match === 'message') : undefined;
  // A linked email is a status view of its case; the create form only when asked (issue 16, item 2).
  const [justCreated, setJustCreated] = useState<CreatedCase | null>(null);
  const [another, setAnother] = useState(false);
  const [formRun, setFormRun] = useState(0);
  // Linked from this view (Link here, Link to case): its own result bar keeps the focus; the status view is for next time.
  const [linkedHere, setLinkedHere] = useState(false);
  const statusCase = justCreated
    ? { id: justCreated.id, number: justCreated.caseNumber }
    : convertedAs && !linkedHere
      ? { id: convertedAs.id, number: convertedAs.Case_Number }
      : null;
  const statusView = statusCase !== null && !another;
  // The message list shows the case's status (issue 16, item 6): set whenever the pane shows a message of a case.
  const shownStatus = convertedAs?.Status;
  useEffect(() => {
    if (shownStatus)
      void host.setCaseStatusCategory(
        { itemId: message.itemId, internetMessageId: message.internetMessageId },
        shownStatus,
      );
  }, [host, shownStatus, message.itemId, message.internetMessageId]);
  useEffect(() => {
    // "Create another case": the agent goes on in the fresh form.
    if (another) document.querySelector<HTMLElement>('[data-testid="field-Subject"]')?.focus();
  }, [another, formRun]);
  // A message in a shared or delegated mailbox records that mailbox, not the agent's own.
  const mailbox = message.sharedMailbox ?? host.userProfile()?.email ?? null;
  const announce = useAnnouncer();
  // Where each Open case was pressed: Back returns the focus there (issue 16, item 3).
  const openers = useRef<(Element | null)[]>([]);
  const returnTo = useRef<Element | null>(null);
  const openCase = (caseId: string) => {
    openers.current.push(document.activeElement);
    setOpened((o) => [...o, caseId]);
  };
  const back = () => {
    returnTo.current = openers.current.pop() ?? null;
    setOpened((o) => o.slice(0, -1));
  };
  const current = opened[opened.length - 1];
  useEffect(() => {
    const to = returnTo.current;
    returnTo.current = null;
    // Still in the page (the message view stays mounted); a case's opener that is gone leaves focus to that case.
    if (to instanceof HTMLElement && to.isConnected) to.focus();
  }, [current]);

  // Bound now, while this message is open: whatever runs after an await acts on this message and no other.
  const ref = { itemId: message.itemId, internetMessageId: message.internetMessageId };
  const category = (op: 'add' | 'remove', caseNumber: string) =>
    actions.category(ref, message.subject, { op, caseNumber });

  /** After the message became part of a case: its chosen attachments go to the case, and it gets the case's category. */
  const afterSave = (caseId: string, caseNumber: string, copyAttachments: boolean) => {
    linked.reload();
    void category('add', caseNumber); // best effort, never blocks or fails the save
    const files = choosableAttachments(message.attachments).filter((a) => chosen.has(a.id));
    if (copyAttachments && files.length && host.canCopyAttachments()) {
      actions.upload({
        key: `${caseId}:${message.itemId}:${Date.now()}`,
        caseId,
        caseNumber,
        source: ref,
        subject: message.subject,
        attachments: files,
      });
    }
  };

  const quickLink = async (item: LinkedCaseSummary) => {
    if (quickLinks[item.id] === 'linking' || quickLinks[item.id] === 'linked') return;
    setQuickLinks((q) => ({ ...q, [item.id]: 'linking' }));
    try {
      await api.linkEmailToCase(item.id, toEmailMessageInput(message, mailbox));
      setQuickLinks((q) => ({ ...q, [item.id]: 'linked' }));
      setLinkedHere(true);
      announce(t('linkedSuccess', { number: item.Case_Number }));
      afterSave(item.id, item.Case_Number, true);
    } catch (error) {
      setQuickLinks((q) => ({ ...q, [item.id]: { error } }));
      announce(t('linkFailedAnnounce', { number: item.Case_Number, message: failureText(t, error) }));
    }
  };

  return (
    <>
      {current && (
        <CaseDetail
          key={current}
          caseId={current}
          onBack={back}
          onOpenCase={openCase}
          onMessageMoved={(messageId, from, to) => {
            // The open message left a case: its Outlook category follows (best effort), and its cases change.
            if (!sameMessageId(messageId, message.internetMessageId)) return;
            void category('remove', from).then(() => (to ? category('add', to) : undefined));
            linked.reload();
          }}
        />
      )}
      {/* The message view stays mounted under an open case, so nothing typed there is lost. */}
      <div hidden={current !== undefined} className={current === undefined ? styles.panel : undefined}>
        <header className={styles.header} data-testid="message-header">
          {/* Message content is untrusted: plain text only. */}
          <Text as="h1" weight="semibold" size={500} className={styles.subject}>
            {message.subject}
          </Text>
          <Text size={200} className={styles.muted}>
            {message.from.name ? `${message.from.name} <${message.from.email}>` : message.from.email}
          </Text>
        </header>
        <LinkedCases
          statusCaseId={statusView ? statusCase.id : undefined}
          statusCard={
            statusView ? (
              <CaseStatusCard
                key={statusCase.id}
                caseId={statusCase.id}
                caseNumber={statusCase.number}
                created={justCreated}
                canEdit={me?.role?.name !== 'viewer'}
                onOpen={openCase}
                onCreateAnother={() => {
                  setAnother(true);
                  setJustCreated(null);
                  setFormRun((n) => n + 1);
                }}
                onStatusChanged={(status) => {
                  void host.setCaseStatusCategory(ref, status);
                  void tagThreadStatus(host, api, {
                    caseId: statusCase.id,
                    status,
                    mailbox,
                    openItemId: message.itemId,
                  });
                  linked.reload();
                }}
                onReply={
                  host.canReply()
                    ? () =>
                        host.displayReply(
                          ref,
                          replyBodyHtml(statusCase.number, (reference) =>
                            t('replyReferenceBody', { reference }),
                          ),
                        )
                    : undefined
                }
              />
            ) : undefined
          }
          state={linked.state}
          onRetry={linked.reload}
          onOpen={openCase}
          onLink={message.internetMessageId ? (item) => void quickLink(item) : undefined}
          linkStates={quickLinks}
        />
        <ItemLimits limit={message.limit} />
        {/* Once copied (or on a status view) the files are shown as copied, not offered again. */}
        {!statusView && uploads.length === 0 && (
          <AttachmentPicker
            attachments={message.attachments}
            chosen={chosen}
            onChange={setChosen}
            canCopy={host.canCopyAttachments()}
          />
        )}
        {uploads.map((run) => (
          <AttachmentUploads key={run.job.key} run={run} />
        ))}
        <div hidden={statusView} className={statusView ? undefined : styles.panel}>
          {/* No tabster mover (data-tabster unset): its focus guards are aria-hidden Tab stops inside the tab list
            (axe aria-hidden-focus); a roving tabindex and our arrow keys do the same job without them. */}
          <TabList
            selectedValue={tab}
            onTabSelect={(_, data) => setTab(data.value as Tab)}
            aria-label={t('tabsLabel')}
            data-tabster={undefined}
            onKeyDown={(event) => {
              const next = tabByKey(tab, event.key);
              if (!next) return;
              event.preventDefault();
              setTab(next);
              document.getElementById(`tab-${next}`)?.focus();
            }}
          >
            {paneTab('new-case', t('tabNewCase'), tab)}
            {paneTab('link-case', t('tabLinkCase'), tab)}
          </TabList>
          {/* Both panels stay mounted so switching tabs never loses what was typed; the key resets them per message. */}
          <TabPanel value="new-case" shown={tab}>
            {convertedAs && another && (
              // Saving again would only return that case (conversion is idempotent): say so before the agent types.
              // Labelled by its own text: a MessageBar without a title points aria-labelledby at a title id that is absent.
              <MessageBar intent="info" data-testid="already-linked" aria-labelledby="already-linked-text">
                <MessageBarBody id="already-linked-text">
                  {t('messageAlreadyLinked', { number: convertedAs.Case_Number })}
                </MessageBarBody>
              </MessageBar>
            )}
            <NewCaseForm
              key={`${key}#${formRun}`}
              message={message}
              draftKey={key}
              mailbox={mailbox}
              showResult={false}
              onCreated={(created) => {
                setJustCreated(created);
                setAnother(false);
                afterSave(created.id, created.caseNumber, !created.duplicate);
              }}
            />
          </TabPanel>
          <TabPanel value="link-case" shown={tab}>
            <LinkCase
              key={key}
              message={message}
              linked={linked.state}
              mailbox={mailbox}
              onLinked={(caseId, caseNumber) => {
                setLinkedHere(true);
                afterSave(caseId, caseNumber, true);
              }}
              onOpenCase={openCase}
              readSelected={
                host.supportsMultiSelect()
                  ? () =>
                      host
                        .readSelectedMessages()
                        .then((all) => all.flatMap((r) => (r.message ? [r.message] : [])))
                  : undefined
              }
            />
          </TabPanel>
        </div>
      </div>
    </>
  );
}

/** A tab of the message's pane, with the roving tabindex of the ARIA tabs pattern (only the selected one is a stop). */
function paneTab(value: Tab, label: string, selected: Tab) {
  return (
    <Tab
      value={value}
      id={`tab-${value}`}
      data-testid={`tab-${value}`}
      aria-controls={`panel-${value}`}
      tabIndex={selected === value ? 0 : -1}
    >
      {label}
    </Tab>
  );
}

/** The panel of one tab; hidden, not unmounted, while another tab is shown. */
function TabPanel({ value, shown, children }: { value: Tab; shown: Tab; children: ReactNode }) {
  const styles = useStyles();
  return (
    <div
      role="tabpanel"
      id={`panel-${value}`}
      aria-labelledby={`tab-${value}`}
      hidden={shown !== value}
      className={shown === value ? styles.panel : undefined}
    >
      {children}
    </div>
  );
}
