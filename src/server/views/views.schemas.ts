import { Type } from 'typebox';

/** The custom views API's request and response shapes; @fastify/swagger documents the routes from these. */

const ApiName = Type.Object({ api_name: Type.String({ maxLength: 100 }) });

const Criteria = Type.Unknown({
  description: "Zoho's criteria object: {comparator, field, value} or {group_operator, group}",
});

export const CustomViewSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  display_value: Type.String(),
  system_name: Type.Union([Type.String(), Type.Null()]),
  system_defined: Type.Boolean(),
  default: Type.Boolean(),
  category: Type.Union([
    Type.Literal('public_views'),
    Type.Literal('created_by_me'),
    Type.Literal('shared_with_me'),
  ]),
  access_type: Type.Union([Type.Literal('only_to_me'), Type.Literal('public')]),
  sort_by: Type.Union([ApiName, Type.Null()]),
  sort_order: Type.Union([Type.Literal('asc'), Type.Literal('desc'), Type.Null()]),
  criteria: Criteria,
  search_criteria: Type.Union([Type.String(), Type.Null()]),
  fields: Type.Array(ApiName),
  created_by: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
  created_time: Type.Union([Type.String(), Type.Null()]),
  modified_time: Type.Union([Type.String(), Type.Null()]),
  editable: Type.Boolean(),
});

export const ModuleQuery = Type.Object({ module: Type.String({ maxLength: 100 }) });
export const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });

export const ViewInputSchema = Type.Object(
  {
    name: Type.String({ maxLength: 400 }),
    criteria: Type.Optional(Type.Union([Type.String({ maxLength: 4000 }), Type.Null()])),
    sort_by: Type.Optional(Type.Union([ApiName, Type.Null()])),
    sort_order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc'), Type.Null()])),
    fields: Type.Optional(Type.Array(ApiName, { minItems: 1, maxItems: 50 })),
    access_type: Type.Optional(Type.Union([Type.Literal('only_to_me'), Type.Literal('public')])),
  },
  { additionalProperties: false },
);

export const ViewBody = Type.Object({
  custom_views: Type.Array(ViewInputSchema, { minItems: 1, maxItems: 1 }),
});

/** An update names only what changes, as Zoho's does. */
export const ViewPatchBody = Type.Object({
  custom_views: Type.Array(Type.Partial(ViewInputSchema, { additionalProperties: false }), {
    minItems: 1,
    maxItems: 1,
  }),
});

const Success = Type.Object({
  code: Type.String(),
  details: Type.Object({ id: Type.String() }),
  message: Type.String(),
  status: Type.String(),
});
export const SuccessBody = Type.Object({ custom_views: Type.Array(Success) });

export const ViewListBody = Type.Object({
  custom_views: Type.Array(CustomViewSchema),
  info: Type.Object({
    per_page: Type.Number(),
    count: Type.Number(),
    page: Type.Number(),
    more_records: Type.Boolean(),
    default: Type.String(),
  }),
});

export const QueueQuery = Type.Object({
  cvid: Type.String({ maxLength: 40 }),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  per_page: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const QueueBody = Type.Object({
  data: Type.Array(
    Type.Object({
      case: Type.Object({}, { additionalProperties: true }),
      last_customer_message: Type.Union([
        Type.Object({
          email_id: Type.String(),
          time: Type.String(),
          subject: Nullable(Type.String()),
          snippet: Nullable(Type.String()),
          item_id: Nullable(Type.String()),
          mailbox: Nullable(Type.String()),
        }),
        Type.Null(),
      ]),
      escalation: Type.Union([
        Type.Object({
          rule: Type.Object({ id: Type.String(), name: Type.String(), hours: Type.Number() }),
          due_time: Type.String(),
          overdue: Type.Boolean(),
        }),
        Type.Null(),
      ]),
    }),
  ),
  info: Type.Object({
    page: Type.Number(),
    per_page: Type.Number(),
    count: Type.Number(),
    more_records: Type.Boolean(),
    cvid: Type.String(),
  }),
});

export const OneViewBody = Type.Object({ custom_views: Type.Array(CustomViewSchema) });
