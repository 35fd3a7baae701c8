/**
 * Function file for ribbon commands. The manifest's button opens the task pane (ShowTaskpane), so no
 * ExecuteFunction action is needed yet; this registers a no-op placeholder through the Office adapter.
 */
import { associateCommandActions } from '../office';

void associateCommandActions({
  // Placeholder for a future "quick create" command; completes immediately so Outlook does not wait.
  casepaneNoop: (event) => event.completed(),
}).catch(() => undefined);
