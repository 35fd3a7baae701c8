import nodemailer from 'nodemailer';

export interface OutgoingMail {
  from: string;
  to: { name: string | null; email: string }[];
  cc: { name: string | null; email: string }[];
  subject: string;
  text: string;
  /** Fixed before the first attempt, so a retry is recognisably the same message. */
  messageId: string;
  /** Extra header fields (an acknowledgement's Auto-Submitted), and the message this one answers. */
  headers?: Record<string, string>;
  inReplyTo?: string;
}

/** Sends through the SMTP server in SMTP_URL; the one place that speaks SMTP. */
export interface Mailer {
  readonly from: string;
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

export function smtpMailer(url: string, from: string): Mailer {
  // Bounded waits: the outbox's lease (120 s by default) must outlast any one attempt, or a second process could
  // send the message while the first is still waiting for the server.
  const transport = nodemailer.createTransport({
    url,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 45_000,
  } as Parameters<typeof nodemailer.createTransport>[0]);
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
        messageId: mail.messageId,
        ...(mail.headers ? { headers: mail.headers } : {}),
        ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo, references: [mail.inReplyTo] } : {}),
      });
      return { messageId: info.messageId };
    },
  };
}
