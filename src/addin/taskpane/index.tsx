import { FluentProvider, MessageBar, MessageBarBody, webLightTheme } from '@fluentui/react-components';
import { createRoot } from 'react-dom/client';
import { CasepaneApi } from '../api/client';
import { createAuthSession } from '../auth/session';
import { whenOfficeReady } from '../office';
import { createDraftStore, pruneDrafts } from '../storage/drafts';
import { Root } from './App';

async function start(): Promise<void> {
  const container = document.getElementById('container');
  if (!container) throw new Error('taskpane.html has no #container');
  const root = createRoot(container);
  try {
    const host = await whenOfficeReady();
    const api = new CasepaneApi();
    api.useTokens(createAuthSession({ endpoints: api, host }));
    pruneDrafts();
    root.render(<Root host={host} api={api} drafts={createDraftStore()} />);
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
