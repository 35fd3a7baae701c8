/**
 * Requirement-set checks, the documented way to ask whether an Office.js member exists on this client
 * (https://learn.microsoft.com/office/dev/add-ins/develop/specify-office-hosts-and-api-requirements).
 * A host that throws or lacks `requirements` counts as "not supported": the pane then takes its fallback.
 */

type OfficeApi = typeof Office;

export function isSetSupported(office: OfficeApi | undefined, name: string, version: string): boolean {
  try {
    return office?.context?.requirements?.isSetSupported(name, version) === true;
  } catch {
    return false;
  }
}

/**
 * `Office.context.officeTheme` and the `OfficeThemeChanged` event are Mailbox 1.14 in Outlook
 * (https://learn.microsoft.com/javascript/api/outlook/office.officethemechangedeventargs); older clients
 * either lack them or hand back stale values (office-js#43), so the pane stays on its light theme there.
 */
export const THEME_MAILBOX_VERSION = '1.14';

export function supportsOfficeTheme(office: OfficeApi | undefined): boolean {
  return isSetSupported(office, 'Mailbox', THEME_MAILBOX_VERSION);
}
