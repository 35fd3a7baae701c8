/**
 * office-addin-mock, loadable under jest: it imports office-addin-manifest only for the OfficeApp enum, and that
 * package drags in ESM-only dependencies jest cannot parse. Replace it with the enum before loading the mock.
 */
jest.mock('office-addin-manifest', () => ({
  OfficeApp: {
    Excel: 'excel',
    OneNote: 'onenote',
    Outlook: 'outlook',
    PowerPoint: 'powerpoint',
    Project: 'project',
    Word: 'word',
  },
}));

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { OfficeMockObject } = require('office-addin-mock') as typeof import('office-addin-mock');

/** isSetSupported of a host at Mailbox `version` (for example '1.14'): every Mailbox set up to it, nothing else. */
export function mailboxUpTo(version: string) {
  const [major, minor] = version.split('.').map(Number);
  return (name: string, asked: string) => {
    if (name !== 'Mailbox') return false;
    const [a, b] = asked.split('.').map(Number);
    return a < major || (a === major && (b ?? 0) <= minor);
  };
}

/** Outlook (read mode, signed in as Agent) at Mailbox `version`, with the given members of Office.context.mailbox. */
export function mockOutlook(mailbox: Record<string, unknown>, version = '1.15'): typeof Office {
  const data = {
    host: 'outlook',
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    onReady: async () => ({}),
    context: {
      displayLanguage: 'en-US',
      requirements: { isSetSupported: mailboxUpTo(version) },
      mailbox: { userProfile: { displayName: 'Agent', emailAddress: 'agent@casepane.test' }, ...mailbox },
    },
  };
  return new OfficeMockObject(data) as unknown as typeof Office;
}
