/**
 * The reports on cases (GET /crm/v6/reports/<name>): their names, filters and rows, shared by the server that
 * computes them and the pane that draws them.
 */
import type { LookupRef } from './api-types';

export const REPORT_NAMES = [
  'open_by_status_owner',
  'open_by_priority',
  'open_by_origin',
  'open_by_type_reason',
  'aging',
  'created_vs_closed',
  'first_response',
  'resolution',
  'escalations',
  'past_escalation',
] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

/** Reports over time: their date range defaults to the last 30 days; the others are a snapshot of open cases. */
export const TIMED_REPORTS: readonly ReportName[] = [
  'created_vs_closed',
  'first_response',
  'resolution',
  'escalations',
];

export const AGING_BUCKETS = ['lt_1d', '1_3d', '3_7d', '7_30d', 'gt_30d'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

export interface ReportFilters {
  /** ISO date or date-time; inclusive. */
  from?: string;
  /** ISO date (the whole day is included) or date-time (exclusive). */
  to?: string;
  owner?: string;
  /** A manager's user id: the manager and their direct reports. */
  team?: string;
  origin?: string;
  type?: string;
  /** created_vs_closed: day or week; first_response and resolution: owner or week. */
  interval?: 'day' | 'week';
  by?: 'owner' | 'week';
}

/** own: the caller's own cases (agents); team: totals of the caller's team (agents); all: what the filters select. */
export type ReportScope = 'own' | 'team' | 'all';

export interface StatusOwnerRow {
  status: string;
  owner: LookupRef | null;
  count: number;
}
export interface PriorityRow {
  priority: string | null;
  count: number;
}
export interface OriginRow {
  origin: string;
  count: number;
}
export interface TypeReasonRow {
  type: string | null;
  case_reason: string | null;
  count: number;
}
export interface AgingRow {
  bucket: AgingBucket;
  count: number;
}
export interface CreatedClosedRow {
  /** The day, or the Monday that starts the ISO week, as YYYY-MM-DD (UTC). */
  period: string;
  created: number;
  closed: number;
  /** The least-squares line through the periods' counts, at this period. */
  created_trend: number;
  closed_trend: number;
}
export interface DurationRow {
  /** by=owner: the owner (null: unassigned); by=week: null. */
  owner: LookupRef | null;
  /** by=week: the Monday of the week; by=owner: null. */
  period: string | null;
  cases: number;
  median_seconds: number;
  p90_seconds: number;
}
export interface EscalationRow {
  period: string;
  escalations: number;
}
export interface PastEscalationRow {
  owner: LookupRef | null;
  count: number;
}

export interface ReportRows {
  open_by_status_owner: StatusOwnerRow;
  open_by_priority: PriorityRow;
  open_by_origin: OriginRow;
  open_by_type_reason: TypeReasonRow;
  aging: AgingRow;
  created_vs_closed: CreatedClosedRow;
  first_response: DurationRow;
  resolution: DurationRow;
  escalations: EscalationRow;
  past_escalation: PastEscalationRow;
}

export interface ReportInfo {
  report: ReportName;
  scope: ReportScope;
  from: string | null;
  to: string | null;
  generated_time: string;
  /** first_response: cases with an inbound email and no reply yet (not in the medians). */
  awaiting?: number;
  /** past_escalation: the active escalation rule's hours (null: no active rule). */
  rule_hours?: number | null;
}

export interface ReportResponse<N extends ReportName = ReportName> {
  data: ReportRows[N][];
  info: ReportInfo;
  /** Agents: the same report over their team (owners collapsed). */
  team_totals?: { data: ReportRows[N][]; info: ReportInfo };
}
