/**
 * Issue 9, item 9: officeTheme and OfficeThemeChanged are Mailbox 1.14; below it the adapter must not read
 * them nor register the event (real Outlook throws or hands back nothing there).
 */
import { OfficeMockObject, mailboxUpTo } from './office-mock';
import { createMailHost } from '../../../src/addin/office/mail-host';

const DARK = {
  bodyBackgroundColor: '#1f1f1f',
  bodyForegroundColor: '#ffffff',
  controlBackgroundColor: '#292929',
  controlForegroundColor: '#ffffff',
};

function office(mailboxVersion: string) {
  const handlers: string[] = [];
  const data = {
    host: 'outlook',
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    EventType: { ItemChanged: 'olkItemSelectedChanged', OfficeThemeChanged: 'officeThemeChanged' },
    context: {
      officeTheme: DARK,
      requirements: { isSetSupported: mailboxUpTo(mailboxVersion) },
      mailbox: {
        addHandlerAsync: (type: string, _handler: () => void, callback?: (r: { status: string }) => void) => {
          handlers.push(type);
          callback?.({ status: 'succeeded' });
        },
      },
    },
  };
  return { office: new OfficeMockObject(data) as unknown as typeof Office, handlers };
}

describe('Office theme behind its requirement set (Mailbox 1.14)', () => {
  it.each(['1.5', '1.8', '1.13'])('Mailbox %s: no theme read, no OfficeThemeChanged handler', (version) => {
    const { office: o, handlers } = office(version);
    const host = createMailHost(o);
    expect(host.theme()).toBeNull();
    host.onThemeChanged(() => undefined);
    expect(handlers).not.toContain('officeThemeChanged');
  });

  it.each(['1.14', '1.15'])('Mailbox %s: the theme is read and followed', (version) => {
    const { office: o, handlers } = office(version);
    const host = createMailHost(o);
    expect(host.theme()).toEqual(DARK);
    host.onThemeChanged(() => undefined);
    expect(handlers).toContain('officeThemeChanged');
  });
});
