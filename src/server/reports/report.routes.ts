import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { REPORT_NAMES, TIMED_REPORTS, type ReportFilters, type ReportName } from '../../shared/report-types';
import { type AppDeps, userOf } from '../http/context';
import { reportCsv } from './report.csv';
import { ReportList, ReportQuery, reportResponse } from './report.schemas';
import { runReport } from './report.service';

/** Columns of an empty CSV (no rows to take them from), so a spreadsheet still gets a header. */
const EMPTY_COLUMNS: Record<ReportName, readonly string[]> = {
  open_by_status_owner: ['status', 'owner_id', 'owner_name', 'count'],
  open_by_priority: ['priority', 'count'],
  open_by_origin: ['origin', 'count'],
  open_by_type_reason: ['type', 'case_reason', 'count'],
  aging: ['bucket', 'count'],
  created_vs_closed: ['period', 'created', 'closed', 'created_trend', 'closed_trend'],
  first_response: ['owner_id', 'owner_name', 'period', 'cases', 'median_seconds', 'p90_seconds'],
  resolution: ['owner_id', 'owner_name', 'period', 'cases', 'median_seconds', 'p90_seconds'],
  escalations: ['period', 'escalations'],
  past_escalation: ['owner_id', 'owner_name', 'count'],
};

function wantsCsv(request: FastifyRequest, format: string | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  return /\btext\/csv\b/.test(request.headers.accept ?? '');
}

/**
 * GET /crm/v6/reports/<name>: one route per report, under the CRM's v6 root like COQL and the settings, since a
 * report is a read of the Cases module (Zoho's own Analytics API lives elsewhere and has another shape). JSON by
 * default; CSV with ?format=csv or Accept: text/csv. Every role that may view cases reaches the route; what each
 * sees is decided in the service (report.scope.ts).
 */
export function reportRoutes(crm: FastifyInstance, deps: AppDeps): void {
  const app = crm.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/crm/v6/reports', { schema: { response: { 200: ReportList } } }, async () => ({
    reports: REPORT_NAMES.map((name) => ({ api_name: name, timed: TIMED_REPORTS.includes(name) })),
  }));
  for (const name of REPORT_NAMES) {
    app.get(
      `/crm/v6/reports/${name}`,
      { schema: { querystring: ReportQuery, response: { 200: reportResponse(name) } } },
      async (request, reply) => {
        const { format, ...filters } = request.query;
        // One snapshot: a report's statements (and the team totals beside it) agree with each other.
        const report = await deps.storage.read((trx) =>
          runReport(
            {
              db: trx,
              dialect: deps.storage.dialect,
              fields: deps.fields,
              user: userOf(request),
              now: new Date(),
            },
            name,
            filters as ReportFilters,
          ),
        );
        if (!wantsCsv(request, format)) return report;
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}.csv"`)
          .send(reportCsv(report, EMPTY_COLUMNS[name]));
      },
    );
  }
}
