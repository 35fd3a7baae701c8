/**
 * Office.context.partitionKey: present where several add-in instances (mailboxes, accounts) share the pane's origin
 * and so its localStorage (Outlook on the web, new Outlook on Windows); prefix stored keys with it
 * (https://learn.microsoft.com/javascript/api/office/office.context#office-office-context-partitionkey-member).
 * Absent elsewhere (classic Outlook, Mac, mobile): null.
 */
export function partitionKey(office: typeof Office | undefined = globalThis.Office): string | null {
  try {
    const key: unknown = office?.context?.partitionKey;
    return typeof key === 'string' && key !== '' ? key : null;
  } catch {
    return null;
  }
}
