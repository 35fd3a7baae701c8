/**
 * The case's status in Outlook's message list (issue 16, item 6): besides "Case 00001234" a message of a case
 * carries one status category, each a master category with its own colour preset. The presets are
 * Office.MailboxEnums.CategoryColor (https://learn.microsoft.com/javascript/api/outlook/office.mailboxenums.categorycolor):
 * Preset0 red, Preset3 yellow, Preset5 teal, Preset12 gray.
 */
export const STATUS_CATEGORY_PREFIX = 'Case: ';

/** Each status bucket's category. A status outside these (a custom picklist value) gets no status category. */
export const STATUS_CATEGORIES: Readonly<Record<string, { name: string; color: string }>> = {
  New: { name: 'Case: New', color: 'Preset5' },
  'On Hold': { name: 'Case: On Hold', color: 'Preset3' },
  Escalated: { name: 'Case: Escalated', color: 'Preset0' },
  Closed: { name: 'Case: Closed', color: 'Preset12' },
};

/** The status categories on an item that are not `keep` (the one to leave or add). */
export function staleStatusCategories(current: readonly string[], keep: string | null): string[] {
  return current.filter((name) => name.startsWith(STATUS_CATEGORY_PREFIX) && name !== keep);
}
