import { mockOutlook } from './office-mock';
import { createMailHost } from '../../../src/addin/office/mail-host';

const office = (mailbox: Record<string, unknown>) => mockOutlook(mailbox);

describe('Office adapter: displayMessageForm', () => {
  it('hands Outlook the stored item id and says it did', () => {
    const opened: string[] = [];
    const host = createMailHost(office({ displayMessageForm: (id: string) => opened.push(id) }));
    expect(host.displayMessageForm('AAMk-1')).toBe(true);
    expect(opened).toEqual(['AAMk-1']);
  });

  it('says false where the host has no displayMessageForm, or it throws, and for an empty id', () => {
    expect(createMailHost(office({})).displayMessageForm('AAMk-1')).toBe(false);
    const throwing = createMailHost(
      office({
        displayMessageForm: () => {
          throw new Error('not in this mode');
        },
      }),
    );
    expect(throwing.displayMessageForm('AAMk-1')).toBe(false);
    const opened: string[] = [];
    expect(
      createMailHost(office({ displayMessageForm: (id: string) => opened.push(id) })).displayMessageForm(''),
    ).toBe(false);
    expect(opened).toEqual([]);
  });
});
