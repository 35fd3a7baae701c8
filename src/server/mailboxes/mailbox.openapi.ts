/** OpenAPI entries of the support mailboxes' settings (admin only), spread into src/server/openapi.ts. */

type Schema = Record<string, unknown>;

const json = (schema: Schema) => ({ content: { 'application/json': { schema } } });
const mailboxInput: Schema = {
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 255 },
    host: { type: 'string', maxLength: 253 },
    port: { type: 'integer', minimum: 1, maximum: 65535, default: 993 },
    secure: { type: 'boolean', default: true, description: 'TLS from the first byte (IMAPS)' },
    starttls: { type: 'boolean', default: true, description: 'Without secure: upgrade with STARTTLS' },
    user: { type: 'string', maxLength: 320 },
    password: { type: ['string', 'null'], writeOnly: true, description: 'Never returned: see password_set' },
    access_token: {
      type: ['string', 'null'],
      writeOnly: true,
      description: 'OAuth2 access token for XOAUTH2 (Exchange Online, Gmail); never returned',
    },
    folder: { type: 'string', default: 'INBOX' },
    enabled: { type: 'boolean', default: true },
    never_capture: {
      type: 'array',
      maxItems: 500,
      items: { type: 'string' },
      description: 'Addresses and domains whose mail is never captured (internal mail)',
    },
  },
};
const body = json({
  type: 'object',
  required: ['mailboxes'],
  properties: { mailboxes: { type: 'array', minItems: 1, maxItems: 1, items: mailboxInput } },
});
const answer = (description: string) => ({
  description,
  ...json({ type: 'object', properties: { mailboxes: { type: 'array', items: { type: 'object' } } } }),
});
const refused = {
  '400': { description: 'Invalid field (details.api_name)' },
  '403': { description: 'Not an administrator' },
};

export const mailboxPaths = {
  '/crm/v6/settings/mailboxes': {
    get: {
      summary: 'Support mailboxes read over IMAP, with status (last poll, messages captured, last error)',
      responses: { '200': answer('Mailboxes; secrets only as password_set / access_token_set'), ...refused },
    },
    post: {
      summary: 'Connect a support mailbox (password or access_token required)',
      requestBody: body,
      responses: { '201': answer('Created'), ...refused },
    },
  },
  '/crm/v6/settings/mailboxes/{id}': {
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
    get: {
      summary: 'One mailbox',
      responses: { '200': answer('Mailbox'), '404': { description: 'No such mailbox' } },
    },
    put: {
      summary: 'Change a mailbox; only the fields given change (null clears a secret)',
      requestBody: body,
      responses: { '200': answer('Updated'), ...refused },
    },
    delete: { summary: 'Disconnect a mailbox', responses: { '200': answer('Deleted'), ...refused } },
  },
};
