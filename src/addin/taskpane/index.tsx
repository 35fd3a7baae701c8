import { FluentProvider, MessageBar, MessageBarBody, webLightTheme } from '@fluentui/react-components';
import { createRoot } from 'react-dom/client';
import { CasepaneApi } from '../api/client';
import { createAuthSession } from '../auth/session';
import { whenOfficeReady } from '../office';
import { officeDialog } from '../office/dialog';
import { partitionKey } from '../office/partition';
import { roamingStorage } from '../office/roaming-storage';
import { clearDraftScope, createDraftScope } from '../storage/draft-scope';
import { createPendingLinks, pendingLinksStorage } from '../storage/pending-links';
import { createCaseDraftStore, createDraftStore, pruneDrafts } from '../storage/drafts';
import { Root } from './App';
import { TouchLayout } from './TouchLayout';

async function start(): Promise<void> {
  const container = document.getElementById('container');
  if (!container) throw new Error('taskpane.html has no #container');
  const root = createRoot(container);
  try {
    const host = await whenOfficeReady();
    const api = new CasepaneApi();
    // Drafts belong to whoever signed in, in this mailbox partition; nothing is stored before sign-in.
    const partition = partitionKey();
    const scope = createDraftScope();
    const auth = createAuthSession({
      endpoints: api,
      host,
      dialog: officeDialog(),
      onSignedIn: (user) => scope.set({ user, partitionKey: partition }),
      onSignedOut: () => clearDraftScope(scope),
    });
    api.useTokens(auth);
    // Replies the on-send handler could not record (API down or slow when Outlook sent them): send them now.
    const pending = createPendingLinks(roamingStorage() ?? pendingLinksStorage());
    if (pending.all().length > 0) void pending.flush((id, message) => api.recordSentEmail(id, message));
    pruneDrafts();
    root.render(
      <TouchLayout>
        <Root
          host={host}
          api={api}
          drafts={createDraftStore(undefined, undefined, undefined, scope)}
          caseDrafts={createCaseDraftStore(undefined, undefined, scope)}
          signOut={() => auth.signOut()}
        />
      </TouchLayout>,
    );
  } catch (error) {
    // Office.js failed to load or initialise: nothing else can work, say so plainly.
    root.render(
      <FluentProvider theme={webLightTheme}>
        <MessageBar intent="error" data-testid="office-error">
          <MessageBarBody>
            Casepane could not start inside Outlook: {error instanceof Error ? error.message : String(error)}
          </MessageBarBody>
        </MessageBar>
      </FluentProvider>,
    );
  }
}

void start();
