import { Type, type TSchema } from 'typebox';
import { AGING_BUCKETS, type ReportName } from '../../shared/report-types';

/** TypeBox schemas of the report routes: they validate the query and document the rows in the OpenAPI. */

const DATE_OR_TIME = '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?(Z|[+-]\\d{2}:\\d{2})?)?$';
const RECORD_ID = '^[0-9]{1,19}$';

export const ReportQuery = Type.Object(
  {
    from: Type.Optional(
      Type.String({ pattern: DATE_OR_TIME, description: 'Start, inclusive: YYYY-MM-DD or ISO-8601' }),
    ),
    to: Type.Optional(
      Type.String({
        pattern: DATE_OR_TIME,
        description: 'End: a date includes that day; a date-time is exclusive',
      }),
    ),
    owner: Type.Optional(Type.String({ pattern: RECORD_ID, description: 'Owner user id' })),
    team: Type.Optional(
      Type.String({ pattern: RECORD_ID, description: "A manager's id: the manager and reports" }),
    ),
    origin: Type.Optional(Type.String({ minLength: 1, maxLength: 120, description: 'Case_Origin' })),
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 120, description: 'Type' })),
    interval: Type.Optional(Type.Union([Type.Literal('day'), Type.Literal('week')])),
    by: Type.Optional(Type.Union([Type.Literal('owner'), Type.Literal('week')])),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
  },
  { additionalProperties: false },
);

const Owner = Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]);
const NullableText = Type.Union([Type.String(), Type.Null()]);
const Count = Type.Integer({ minimum: 0 });

const ROWS: Record<ReportName, TSchema> = {
  open_by_status_owner: Type.Object({ status: Type.String(), owner: Owner, count: Count }),
  open_by_priority: Type.Object({ priority: NullableText, count: Count }),
  open_by_origin: Type.Object({ origin: NullableText, count: Count }),
  open_by_type_reason: Type.Object({ type: NullableText, case_reason: NullableText, count: Count }),
  aging: Type.Object({ bucket: Type.Union(AGING_BUCKETS.map((b) => Type.Literal(b))), count: Count }),
  created_vs_closed: Type.Object({
    period: Type.String(),
    created: Count,
    closed: Count,
    created_trend: Type.Number(),
    closed_trend: Type.Number(),
  }),
  first_response: durationRow(),
  resolution: durationRow(),
  escalations: Type.Object({ period: Type.String(), escalations: Count }),
  past_escalation: Type.Object({ owner: Owner, count: Count }),
};

function durationRow(): TSchema {
  return Type.Object({
    owner: Owner,
    period: NullableText,
    cases: Count,
    median_seconds: Type.Number(),
    p90_seconds: Type.Number(),
  });
}

const Info = Type.Object({
  report: Type.String(),
  scope: Type.Union([Type.Literal('own'), Type.Literal('team'), Type.Literal('all')]),
  from: NullableText,
  to: NullableText,
  generated_time: Type.String(),
  awaiting: Type.Optional(Type.Integer()),
  rule_hours: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
});

export function reportResponse(report: ReportName): TSchema {
  const rows = Type.Array(ROWS[report]);
  return Type.Object({
    data: rows,
    info: Info,
    team_totals: Type.Optional(Type.Object({ data: rows, info: Info })),
  });
}

export const ReportList = Type.Object({
  reports: Type.Array(Type.Object({ api_name: Type.String(), timed: Type.Boolean() })),
});
