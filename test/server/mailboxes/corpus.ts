import iconv from 'iconv-lite';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';

/** .eml files for the mailbox tests, written by nodemailer's MailComposer (and by hand where it cannot). */
export const SUPPORT = 'support@casepane.test';

export async function eml(options: Mail.Options): Promise<Buffer> {
  return new MailComposer({ to: SUPPORT, date: new Date('2026-11-30T10:00:00Z'), ...options })
    .compile()
    .build();
}

const b64 = (buffer: Buffer) => buffer.toString('base64').replace(/.{76}/g, '$&\r\n');

/** A body in a legacy charset (ISO-8859-2, GB18030) with an RFC 2047 subject in that charset, as old clients send. */
export function legacyCharsetEml(o: {
  from: string;
  messageId: string;
  subject: string;
  body: string;
  charset: 'ISO-8859-2' | 'GB18030' | 'GBK';
}): Buffer {
  const subject = `=?${o.charset}?B?${iconv.encode(o.subject, o.charset).toString('base64')}?=`;
  return Buffer.from(
    [
      `From: ${o.from}`,
      `To: ${SUPPORT}`,
      `Subject: ${subject}`,
      `Message-ID: <${o.messageId}>`,
      'Date: Mon, 30 Nov 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
      `Content-Type: text/plain; charset=${o.charset}`,
      'Content-Transfer-Encoding: base64',
      '',
      b64(iconv.encode(o.body, o.charset)),
      '',
    ].join('\r\n'),
  );
}

/** A delivery status notification (RFC 3464) from MAILER-DAEMON. */
export function bounceEml(messageId: string, original: string): Buffer {
  return Buffer.from(
    [
      'From: Mail Delivery System <MAILER-DAEMON@mx.casepane.test>',
      `To: ${SUPPORT}`,
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <${messageId}>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'The mail could not be delivered.',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.casepane.test',
      '',
      `Original-Recipient: rfc822; ${original}`,
      'Action: failed',
      'Status: 5.1.1',
      '--b1--',
      '',
    ].join('\r\n'),
  );
}

/** The same bounce type, but sent by a "postmaster" with a plain body (some MTAs do). */
export function postmasterEml(messageId: string): Buffer {
  return Buffer.from(
    [
      'From: postmaster@mx.other.test',
      `To: ${SUPPORT}`,
      'Subject: Delivery failure',
      `Message-ID: <${messageId}>`,
      '',
      'Your message could not be delivered.',
      '',
    ].join('\r\n'),
  );
}
