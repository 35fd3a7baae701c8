/**
 * The add-in's function file and launch-event runtime: commands.html in Outlook on the web, new Outlook and Mac, and
 * the same code as launchevent.js in classic Outlook on Windows (the manifest's <Runtime> and its javascript
 * Override). It registers the launch-event handlers (launch-events.ts) and the ribbon's placeholder command through
 * the Office adapter. Sign-in here has no UI: the local issuer's token from the Outlook profile, or MSAL's cached
 * account; without either the handlers still let the message go and leave the record for the pane.
 */
import { CasepaneApi } from '../api/client';
import { createAuthSession } from '../auth/session';
import { associateCommandActions } from '../office';
import { associateLaunchEvents, type LaunchEvent, type SendEventHost } from '../office/send-events';
import { roamingStorage, type RoamingStorage } from '../office/roaming-storage';
import { createPendingLinks, pendingLinksStorage } from '../storage/pending-links';
import { createLaunchHandlers, SEND_TIMEOUT_MS } from './launch-events';

void associateCommandActions({
  // Placeholder for a future "quick create" command; completes immediately so Outlook does not wait.
  casepaneNoop: (event) => event.completed(),
}).catch(() => undefined);

const api = new CasepaneApi({ timeoutMs: SEND_TIMEOUT_MS });
let signedIn = false;
// Roaming settings exist only once Office.js is ready; the handlers run after that (associateLaunchEvents waits).
let roaming: RoamingStorage | null | undefined;
const store = () => (roaming === undefined ? (roaming = roamingStorage()) : roaming);
const handlers = createLaunchHandlers({
  api,
  pending: createPendingLinks({
    getItem: (key) => (store() ?? pendingLinksStorage())?.getItem(key) ?? null,
    setItem: (key, value) => (store() ?? pendingLinksStorage())?.setItem(key, value),
  }),
  persisted: () => store()?.saved() ?? Promise.resolve(),
});
/** One session for the runtime's life (its token is cached); made with the first event's host, no dialog. */
const withSession =
  (handler: (event: LaunchEvent, host: SendEventHost) => void) =>
  (event: LaunchEvent, host: SendEventHost) => {
    if (!signedIn)
      api.useTokens(createAuthSession({ endpoints: api, host, dialog: null, interactive: false }));
    signedIn = true;
    handler(event, host);
  };
void associateLaunchEvents({
  onNewMessageComposeHandler: withSession(handlers.onNewMessageComposeHandler),
  onMessageSendHandler: withSession(handlers.onMessageSendHandler),
}).catch(() => undefined);
