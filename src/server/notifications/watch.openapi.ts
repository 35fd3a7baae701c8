/** OpenAPI entries of the Notification API, spread into src/server/openapi.ts. */

type Schema = Record<string, unknown>;

const json = (schema: Schema) => ({ content: { 'application/json': { schema } } });
const watchItem: Schema = {
  type: 'object',
  required: ['channel_id', 'events', 'notify_url'],
  properties: {
    channel_id: {
      type: 'string',
      pattern: '^[1-9][0-9]{0,18}$',
      description: 'Your number for the channel (a long)',
    },
    events: {
      type: 'array',
      items: { enum: ['Cases.create', 'Cases.edit', 'Cases.delete', 'Cases.all'] },
    },
    notify_url: {
      type: 'string',
      format: 'uri',
      description:
        'http(s); loopback, link-local, private and reserved addresses are refused unless NOTIFY_ALLOW_PRIVATE_HOSTS allows them',
    },
    token: { type: ['string', 'null'], maxLength: 50, description: 'Echoed in every callback body' },
    channel_expiry: {
      type: 'string',
      format: 'date-time',
      description: 'At most a day ahead; absent or later: an hour from now (as Zoho)',
    },
    notify_on_related_action: {
      type: 'boolean',
      description: 'Notes, emails, attachments... told as Cases.edit',
    },
    return_affected_field_values: {
      type: 'boolean',
      description: 'Callbacks of edits carry affected_values',
    },
    _delete_events: { type: 'boolean', description: 'PATCH: remove the events given instead of adding them' },
  },
};
const watchBody = {
  required: true,
  ...json({ type: 'object', properties: { watch: { type: 'array', items: watchItem, maxItems: 100 } } }),
};
const watchResults = json({
  type: 'object',
  properties: {
    watch: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          code: { type: 'string' },
          details: {
            type: 'object',
            description:
              'events (channel_expiry, resource_uri, resource_name, channel_id); signing_secret on enable',
          },
          message: { type: 'string' },
          status: { enum: ['success', 'error'] },
        },
      },
    },
  },
});
const refused = {
  description: 'Field-level refusal naming the api_name (json_path $.watch[i].field); nothing written',
  ...watchResults,
};

export const watchPaths: Schema = {
  '/crm/v6/actions/watch': {
    post: {
      summary:
        'Enable notifications of case changes (Zoho Notification API). Callbacks are POSTed after the commit with X-Casepane-Delivery-Id and X-Casepane-Signature: sha256=HMAC(signing_secret, body); retried with backoff',
      requestBody: watchBody,
      responses: { '201': { description: 'Enabled', ...watchResults }, '400': refused },
    },
    get: {
      summary: "Your channels (an admin: everyone's, without their signing secrets)",
      parameters: ['channel_id', 'module', 'page', 'per_page'].map((name) => ({
        name,
        in: 'query',
        schema: { type: 'string' },
      })),
      responses: {
        '200': { description: 'Channels', ...json({ type: 'object' }) },
        '204': { description: 'No channel' },
      },
    },
    put: {
      summary: 'Replace channels of yours, by channel_id',
      requestBody: watchBody,
      responses: { '200': { description: 'Updated', ...watchResults }, '400': refused },
    },
    patch: {
      summary:
        'Change only the given keys of channels of yours; events are added (removed with _delete_events)',
      requestBody: watchBody,
      responses: { '200': { description: 'Updated', ...watchResults }, '400': refused },
    },
    delete: {
      summary: "Disable channels (yours; an admin: anyone's)",
      parameters: [
        {
          name: 'channel_ids',
          in: 'query',
          required: true,
          schema: { type: 'string', description: 'Comma-separated, up to 100' },
        },
      ],
      responses: { '200': { description: 'Disabled', ...watchResults }, '400': refused },
    },
  },
};
