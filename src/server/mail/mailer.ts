import nodemailer from 'nodemailer';

export interface OutgoingMail {
  from: string;
  to: { name: string | null; email: string }[];
  cc: { name: string | null; email: string }[];
  subject: string;
  text: string;
}

/** Sends through the SMTP server in SMTP_URL; the one place that speaks SMTP. */
export interface Mailer {
  readonly from: string;
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    from,
    async send(mail) {
      const address = (a: { name: string | null; email: string }) =>
        a.name ? { name: a.name, address: a.email } : a.email;
      const info = await transport.sendMail({
        from: mail.from,
        to: mail.to.map(address),
        cc: mail.cc.map(address),
        subject: mail.subject,
        text: mail.text,
      });
      return { messageId: info.messageId };
    },
  };
}
