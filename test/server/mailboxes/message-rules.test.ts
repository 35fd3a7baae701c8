import { simpleParser } from 'mailparser';
import { listed, refusalOf } from '../../../src/server/mailboxes/message-rules';

const mail = (headers: string, body = 'hello') =>
  simpleParser(Buffer.from(`${headers}\r\nTo: support@casepane.test\r\nSubject: s\r\n\r\n${body}\r\n`));
const from = 'From: Anna <anna@klient.pl>';

describe('what is never captured', () => {
  it.each([
    [`${from}\r\nAuto-Submitted: auto-replied`, 'skipped_auto_reply'],
    [`${from}\r\nAuto-Submitted: auto-generated`, 'skipped_auto_reply'],
    [`${from}\r\nPrecedence: junk`, 'skipped_auto_reply'],
    [`${from}\r\nPrecedence: list`, 'skipped_auto_reply'],
    [`${from}\r\nX-Autorespond: yes`, 'skipped_auto_reply'],
    [`${from}\r\nX-Autoreply: yes`, 'skipped_auto_reply'],
    ['From: MAILER-DAEMON@mx.example', 'skipped_bounce'],
    ['From: Postmaster <postmaster@mx.example>', 'skipped_bounce'],
    [
      `${from}\r\nContent-Type: multipart/report; report-type="delivery-status"; boundary=x`,
      'skipped_bounce',
    ],
    [`${from}\r\nX-Casepane-Case: 00000012`, 'skipped_own_mail'],
  ])('%s → %s', async (headers, expected) => {
    expect(refusalOf(await mail(headers), [])).toBe(expected);
  });

  it('captures ordinary mail, Auto-Submitted: no, other report types and other precedences', async () => {
    for (const headers of [
      from,
      `${from}\r\nAuto-Submitted: no`,
      `${from}\r\nPrecedence: first-class`,
      `${from}\r\nContent-Type: multipart/report; report-type=disposition-notification; boundary=x`,
    ])
      expect(refusalOf(await mail(headers), [])).toBeUndefined();
  });

  it('matches the never-capture list by address, domain and subdomain, not by suffix', () => {
    const list = ['casepane.com', 'boss@partner.example'];
    expect(listed('Agent@Casepane.com', list)).toBe(true);
    expect(listed('agent@eu.casepane.com', list)).toBe(true);
    expect(listed('agent@notcasepane.com', list)).toBe(false);
    expect(listed('boss@partner.example', list)).toBe(true);
    expect(listed('clerk@partner.example', list)).toBe(false);
  });

  it('refuses a listed sender', async () => {
    expect(refusalOf(await mail('From: agent@casepane.com'), ['casepane.com'])).toBe('skipped_never_capture');
  });
});
