import {
  Button,
  FluentProvider,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  Theme,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { servesReports, type CasesApi } from '../api/client';
import { I18nProvider, isCatalogLoaded, loadCatalog, pickLanguage, useI18n } from '../i18n';
import type { MailHost } from '../office/types';
import { createCaseDraftStore, type DraftStore } from '../storage/drafts';
import { failureText } from './components/failure';
import { BoundActions } from './bound-actions';
import { PendingActions } from './features/item-state/ItemState';
import { messageKey, useOpenMessage } from './hooks/useOpenMessage';
import { lazyPart } from './components/lazyPart';
import { AnnouncerProvider } from './components/Announcer';
import { ServiceDown } from './components/ServiceDown';
import { SignedOut } from './components/SignedOut';
import { MessagePane } from './MessagePane';
import {
  ServicesProvider,
  SessionProvider,
  useServices,
  type PaneServices,
  type PaneSession,
} from './services';
import { themeFor } from './theme';
import { useSession } from './useSession';

// Views an agent opens later (the admin screen, the compose view, My cases, the reports) load on first use, so the pane's first
// paint — the open message, its cases and the prefilled form — downloads less.
const AdminView = lazyPart(() => import('./features/admin/AdminView').then((m) => m.AdminView));
const ComposePane = lazyPart(() => import('./features/compose/ComposePane').then((m) => m.ComposePane));
const BulkEmail = lazyPart(() => import('./features/bulk-email/BulkEmail').then((m) => m.BulkEmail));
const MyCases = lazyPart(() => import('./features/my-cases/MyCases').then((m) => m.MyCases));
// The charts library comes with this chunk only: the pane's first download does not carry it.
const ReportsView = lazyPart(() => import('./features/reports/ReportsView').then((m) => m.ReportsView));
const LinkSelected = lazyPart(() =>
  import('./features/link-selected/LinkSelected').then((m) => m.LinkSelected),
);

const useStyles = makeStyles({
  root: {
    minHeight: '100vh',
    boxSizing: 'border-box',
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM}`,
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalL,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
  },
  adminButton: { alignSelf: 'flex-end' },
  // The no-message screen's one line is its h1 (every screen has one), styled as the plain text it was.
  noMessage: { margin: '0' },
  toolbar: {
    display: 'flex',
    justifyContent: 'flex-end',
    flexWrap: 'wrap',
    columnGap: tokens.spacingHorizontalS,
  },
  stack: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalL },
});

export interface AppServices {
  host: MailHost;
  api: CasesApi;
  drafts: DraftStore;
  /** Unsaved edits of opened cases; memory only when not given. */
  caseDrafts?: DraftStore;
  /** Forgets the sign-in and this user's drafts on this device (the auth session's signOut); no button without it. */
  signOut?: () => Promise<void>;
}

/** The task pane with its providers: Fluent theme from Office's theme, strings from Office's display language. */
export function Root(services: AppServices) {
  const { host } = services;
  const [theme, setTheme] = useState<Theme>(() => themeFor(host.theme()));
  useEffect(() => host.onThemeChanged((next) => setTheme(themeFor(next))), [host]);
  const language = useMemo(() => pickLanguage(host.displayLanguage()), [host]);
  const [catalogReady, setCatalogReady] = useState(() => isCatalogLoaded(language));
  const { api, drafts, caseDrafts, signOut } = services;
  const [memoryCaseDrafts] = useState(() => caseDrafts ?? createCaseDraftStore(null));
  const paneServices = useMemo<PaneServices>(
    () => ({ api, host, drafts, caseDrafts: caseDrafts ?? memoryCaseDrafts }),
    [api, host, drafts, caseDrafts, memoryCaseDrafts],
  );
  useEffect(() => {
    if (catalogReady) return;
    // A catalog that cannot be fetched leaves the pane in English rather than blank.
    void loadCatalog(language).finally(() => setCatalogReady(true));
  }, [language, catalogReady]);
  return (
    <FluentProvider theme={theme} lang={language}>
      {catalogReady ? (
        <I18nProvider language={language}>
          <ServicesProvider services={paneServices}>
            <AnnouncerProvider>
              <App signOut={signOut} />
            </AnnouncerProvider>
          </ServicesProvider>
        </I18nProvider>
      ) : (
        <Spinner />
      )}
    </FluentProvider>
  );
}

function App({ signOut }: Pick<AppServices, 'signOut'>) {
  const styles = useStyles();
  const { host, api } = useServices();
  const [admin, setAdmin] = useState(false);
  const [bulkMail, setBulkMail] = useState(false);
  const [signedOut, setSignedOut] = useState(false);
  const [myCases, setMyCases] = useState(false);
  const [reports, setReports] = useState(false);
  const { t } = useI18n();
  const session = useSession(api);
  const { state: open, reload } = useOpenMessage(host);
  // Outlives every message view: a save's category and files finish on its own message (issue 9, defect 1).
  const [actions] = useState(() => new BoundActions(host, api));
  const openRef =
    open.status === 'ready'
      ? { itemId: open.message.itemId, internetMessageId: open.message.internetMessageId }
      : null;
  const openItemId = openRef?.itemId ?? null;
  useEffect(() => {
    if (openRef) void actions.messageOpened(openRef);
    // openRef is derived from openItemId and the open message.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [actions, openItemId]);
  const signedIn = session.state;
  // What the views below the sign-in read from SessionProvider; also while the service is down (standard fields).
  const sessionData = useMemo<PaneSession | null>(
    () =>
      signedIn.status === 'ready' || signedIn.status === 'unreachable'
        ? { me: signedIn.me, users: signedIn.users, fields: signedIn.fields }
        : null,
    [signedIn],
  );
  const down = session.state.status === 'unreachable' ? <ServiceDown onRetry={session.retry} /> : null;
  const pending = (
    <>
      {down}
      <PendingActions actions={actions} openItemId={openItemId} />
    </>
  );

  if (signedOut) {
    return (
      <SignedOut
        onSignIn={() => {
          setSignedOut(false);
          session.retry();
        }}
      />
    );
  }
  if (session.state.status === 'error') {
    return (
      <main className={styles.root}>
        <MessageBar intent="error" data-testid="sign-in-error" role="alert">
          <MessageBarBody>
            <MessageBarTitle>{t('signInTitle')}</MessageBarTitle>
            {failureText(t, session.state.error)}
          </MessageBarBody>
          <MessageBarActions>
            <Button appearance="primary" onClick={session.retry}>
              {t('signInButton')}
            </Button>
          </MessageBarActions>
        </MessageBar>
      </main>
    );
  }
  if (sessionData === null || open.status === 'loading') {
    return (
      <main className={styles.root} aria-busy="true">
        <Spinner label={t('loading')} />
      </main>
    );
  }
  const inSession = (view: ReactNode) => <SessionProvider session={sessionData}>{view}</SessionProvider>;
  const isAdmin = session.state.status === 'ready' && session.state.me?.role?.name === 'admin';
  if (isAdmin && admin) {
    return inSession(
      <main className={styles.root}>
        <AdminView onBack={() => setAdmin(false)} />
      </main>,
    );
  }
  const adminButton = isAdmin ? (
    <Button
      appearance="subtle"
      size="small"
      className={styles.adminButton}
      data-testid="open-admin"
      onClick={() => setAdmin(true)}
    >
      {t('openAdmin')}
    </Button>
  ) : null;
  // Bulk email (agents and up): opened over the message view, which stays mounted (hidden) underneath.
  const canSendMail = session.state.status === 'ready' && session.state.me?.role?.name !== 'viewer';
  const toolbar = (
    <div className={styles.toolbar}>
      {session.state.status === 'ready' && (
        <Button appearance="subtle" size="small" data-testid="open-my-cases" onClick={() => setMyCases(true)}>
          {t('openMyCases')}
        </Button>
      )}
      {canSendMail && (
        <Button
          appearance="subtle"
          size="small"
          data-testid="open-bulk-email"
          onClick={() => setBulkMail(true)}
        >
          {t('openBulkEmail')}
        </Button>
      )}
      {canSendMail && servesReports(api) && (
        <Button appearance="subtle" size="small" data-testid="open-reports" onClick={() => setReports(true)}>
          {t('openReports')}
        </Button>
      )}
      {adminButton}
      {signOut && session.state.status === 'ready' && (
        <Button
          appearance="subtle"
          size="small"
          data-testid="sign-out"
          onClick={() => void signOut().finally(() => setSignedOut(true))}
        >
          {t('signOut')}
        </Button>
      )}
    </div>
  );
  // My cases and the reports, like bulk email, open over the message view, which stays mounted underneath.
  const bulkView = bulkMail ? (
    <BulkEmail onBack={() => setBulkMail(false)} />
  ) : myCases && session.state.status === 'ready' ? (
    <MyCases
      mailbox={host.userProfile()?.email ?? null}
      openEmail={(itemId) => host.displayMessageForm(itemId)}
      onBack={() => setMyCases(false)}
    />
  ) : reports && servesReports(api) ? (
    <ReportsView onBack={() => setReports(false)} />
  ) : null;
  // Writing a message (a reply, or a new one opened with the Casepane button): the compose view.
  if (host.itemMode() === 'compose') {
    return inSession(
      <main className={styles.root}>
        <ComposePane />
      </main>,
    );
  }
  if (open.status === 'error') {
    return inSession(
      <main className={styles.root}>
        <MessageBar intent="error" data-testid="message-error">
          <MessageBarBody>
            {t('officeError', {
              message: open.error instanceof Error ? open.error.message : String(open.error),
            })}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={reload}>{t('retry')}</Button>
          </MessageBarActions>
        </MessageBar>
      </main>,
    );
  }
  if (open.status === 'none') {
    return inSession(
      <main className={styles.root}>
        {bulkView}
        <div hidden={bulkView !== null} className={bulkView ? undefined : styles.stack}>
          {toolbar}
          {pending}
          <Text as="h1" data-testid="no-message" className={styles.noMessage}>
            {t('noMessage')}
          </Text>
          {/* Several emails selected: Outlook gives no open item (office-js#3680), but the selection can be linked. */}
          {host.supportsMultiSelect() && (
            <LinkSelected
              readSelected={() => host.readSelectedMessages()}
              mailbox={host.userProfile()?.email ?? null}
            />
          )}
        </div>
      </main>,
    );
  }
  return inSession(
    <main className={styles.root}>
      {bulkView}
      <div hidden={bulkView !== null} className={bulkView ? undefined : styles.stack}>
        {toolbar}
        {pending}
        <MessagePane key={messageKey(open.message)} actions={actions} message={open.message} />
      </div>
    </main>,
  );
}
