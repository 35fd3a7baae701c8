/** OpenAPI entries of the Zoho-compatibility endpoints (issue 10): metadata, Notes, upsert, deleted, count. */

type Schema = Record<string, unknown>;

const ok = (description: string, ref?: string): Schema => ({
  description,
  ...(ref ? { content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } } : {}),
});
const query = (name: string, description: string, required = false): Schema => ({
  name,
  in: 'query',
  required,
  description,
  schema: { type: 'string' },
});
const path = (name: string): Schema => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[1-9][0-9]{0,18}$' },
});
const ifModifiedSince: Schema = {
  name: 'If-Modified-Since',
  in: 'header',
  description: 'Only what changed after this time; 304 when nothing did',
  schema: { type: 'string' },
};
export const ALL_OR_NOTHING: Schema = {
  ...query(
    'all_or_nothing',
    'true: write nothing when any record is refused (every record then reports why or NOT_EXECUTED). Default false: as Zoho, each valid record is written on its own and every record reports its result (201/200 all written, 207 some, 400 none)',
  ),
  schema: { enum: ['true', 'false'] },
};
const writes = {
  '207': ok('Some records written, some refused: see each record', 'RecordResults'),
  '400': ok('No record written: field-level errors naming the api_name', 'RecordResults'),
  '403': ok('The role lacks the needed permission', 'Error'),
};
const json = { required: true, content: { 'application/json': { schema: { type: 'object' } } } };

export function zohoCompatPaths(): Record<string, Schema> {
  return {
    '/crm/v6/Cases/upsert': {
      post: {
        summary:
          'Insert or update up to 100 cases: a record matching an existing case on duplicate_check_fields (body, in order; default Case_Number, Email) updates it, any other is inserted; each result has action and duplicate_field',
        parameters: [ALL_OR_NOTHING],
        requestBody: json,
        responses: {
          '201': ok('Some inserted', 'RecordResults'),
          '200': ok('All updated', 'RecordResults'),
          ...writes,
        },
      },
    },
    '/crm/v6/Cases/deleted': {
      get: {
        summary: 'Deleted cases (deletes are permanent: type=recycle lists none)',
        parameters: [
          query('type', 'all (default), recycle or permanent'),
          query('page', ''),
          query('per_page', ''),
        ],
        responses: { '200': ok('Deleted cases'), '204': ok('None') },
      },
    },
    '/crm/v6/Cases/actions/count': {
      get: {
        summary: 'How many cases there are, or match one of criteria, email, phone, word',
        parameters: ['criteria', 'email', 'phone', 'word'].map((n) => query(n, 'as in /Cases/search')),
        responses: { '200': ok('{"count": n}') },
      },
    },
    '/crm/v6/Notes': {
      get: {
        summary: 'Every note, newest first, each with Parent_Id {id, name, module}',
        parameters: [query('page', ''), query('per_page', 'up to 200')],
        responses: { '200': ok('Notes'), '204': ok('No notes') },
      },
      post: {
        summary:
          'Add notes, each naming its case in Parent_Id {id, module: {api_name: "Cases"}} (or Parent_Id + se_module)',
        parameters: [ALL_OR_NOTHING],
        requestBody: json,
        responses: { '201': ok('Added', 'RecordResults'), ...writes },
      },
      put: {
        summary: 'Update notes (each with id): Note_Title, Note_Content',
        parameters: [ALL_OR_NOTHING],
        requestBody: json,
        responses: { '200': ok('Updated', 'RecordResults'), ...writes },
      },
      delete: {
        summary: 'Delete notes by ids=1,2,3 (manager, admin)',
        parameters: [query('ids', 'up to 100 note ids', true), ALL_OR_NOTHING],
        responses: { '200': ok('Deleted', 'RecordResults'), ...writes },
      },
    },
    '/crm/v6/Notes/{id}': {
      get: {
        summary: 'A note',
        parameters: [path('id')],
        responses: { '200': ok('The note'), '404': ok('No such note') },
      },
      put: {
        summary: 'Update a note',
        parameters: [path('id')],
        requestBody: json,
        responses: { '200': ok('Updated', 'RecordResults'), ...writes },
      },
      delete: {
        summary: 'Delete a note (manager, admin)',
        parameters: [path('id')],
        responses: { '200': ok('Deleted', 'RecordResults'), '404': ok('No such note', 'RecordResults') },
      },
    },
    '/crm/v6/settings/modules': {
      get: {
        summary: 'Modules served, with api_supported and generated_type',
        parameters: [ifModifiedSince],
        responses: { '200': ok('Modules'), '304': ok('Not modified since If-Modified-Since') },
      },
    },
    '/crm/v6/settings/related_lists': {
      get: {
        summary:
          'Related lists of Cases (Notes, Emails, Attachments, Open_Activities, Closed_Activities) with href',
        parameters: [{ ...query('module', '', true), schema: { const: 'Cases' } }],
        responses: { '200': ok('Related lists') },
      },
    },
    '/crm/v6/settings/layouts': {
      get: {
        summary: 'The Cases layout: its visible fields in order',
        parameters: [{ ...query('module', '', true), schema: { const: 'Cases' } }],
        responses: { '200': ok('Layouts') },
      },
    },
    '/crm/v6/org': { get: { summary: 'The organisation', responses: { '200': ok('Organisation') } } },
  };
}
