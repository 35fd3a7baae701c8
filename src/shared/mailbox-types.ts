/** A support mailbox as the admin API (/crm/v6/settings/mailboxes) shows it: secrets only as `*_set` flags. */
export interface MailboxRecord {
  id: string;
  name: string;
  host: string;
  port: number;
  secure: boolean;
  starttls: boolean;
  user: string;
  folder: string;
  enabled: boolean;
  never_capture: string[];
  password_set: boolean;
  access_token_set: boolean;
  /** OAuth2 client credentials the server signs in with (it fetches and renews the token); the secret never shown. */
  oauth: { token_url: string; client_id: string; scope: string; client_secret_set: boolean } | null;
  /** An email to the customer of each new case captured, from this template (with the case reference). */
  acknowledgement: { enabled: boolean; template_id: string | null };
  status: {
    last_poll_time: string | null;
    messages_captured: number;
    last_error: string | null;
    last_error_time: string | null;
  };
  created_time: string;
  modified_time: string;
}

/**
 * What a create or update sends: every setting (an update may leave any out). Secrets are write-only: left out,
 * the stored one stays; null or "" clears it.
 */
export interface MailboxInput {
  name?: string;
  host?: string;
  port?: number;
  secure?: boolean;
  starttls?: boolean;
  user?: string;
  password?: string | null;
  access_token?: string | null;
  /** null turns client credentials off; client_secret left out keeps the stored one. */
  oauth?: { token_url?: string; client_id?: string; client_secret?: string; scope?: string } | null;
  folder?: string;
  enabled?: boolean;
  never_capture?: string[];
  acknowledgement?: { enabled?: boolean; template_id?: string | null };
}
