import type { LookupRef } from '../../shared/api-types';
import type { FieldDefinition, LookupModule } from '../../shared/case-fields';
import { formatCaseNumber } from '../cases/case.mapper';
import type { Dialect } from '../db/dialect';
import type { Executor } from '../db/executor';
import { apiError } from '../http/errors';
import { namesOf } from '../lookups/lookup.repository';
import { CoqlError } from './coql.errors';
import type { ResolvedField } from './coql.fields';
import { parseQuery } from './coql.parser';
import { type Plan, planQuery } from './coql.planner';
import { type CoqlRow, selectCoql } from './coql.repository';

/** A COQL answer as Zoho shapes it: records (or groups) and whether more records follow the page. */
export interface CoqlResult {
  data: Record<string, unknown>[];
  info: { count: number; more_records: boolean };
}

/** A lookup id to be shown as {id, name}; resolved for the whole page at once, one query per module. */
class Lookups {
  private readonly pending: { module: LookupModule; id: string; set: (ref: LookupRef) => void }[] = [];

  want(module: LookupModule, id: string, set: (ref: LookupRef) => void): void {
    this.pending.push({ module, id, set });
  }

  async resolve(db: Executor): Promise<void> {
    const modules = new Set(this.pending.map((p) => p.module));
    for (const module of modules) {
      const names = await namesOf(
        db,
        module,
        this.pending.filter((p) => p.module === module).map((p) => p.id),
      );
      for (const p of this.pending.filter((q) => q.module === module)) {
        const found = names.get(p.id);
        p.set({
          id: p.id,
          name: found?.name ?? '',
          ...(module === 'Users' && found?.email ? { email: found.email } : {}),
        });
      }
    }
  }
}

/** A stored value as GET /Cases would show it: ids as text, case numbers zero-padded, PostgreSQL's numerics as numbers. */
function scalar(field: ResolvedField, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  switch (field.type) {
    case 'id':
    case 'lookup':
      return String(raw);
    case 'autonumber':
      return formatCaseNumber(raw as number | string);
    case 'number':
      return Number(raw);
    case 'boolean':
      return raw === true || raw === 1 || raw === 'true';
    default:
      return raw;
  }
}

function place(
  record: Record<string, unknown>,
  key: string,
  field: ResolvedField,
  raw: unknown,
  lookups: Lookups,
): void {
  const value = scalar(field, raw);
  record[key] = value;
  if (field.lookupModule && typeof value === 'string')
    lookups.want(field.lookupModule, value, (ref) => (record[key] = ref));
}

function customOf(row: CoqlRow): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(String(row.custom_fields ?? '{}'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return Object.assign(Object.create(null), parsed) as Record<string, unknown>;
  } catch {
    // A damaged column reads as no custom values, as in the list API.
  }
  return Object.create(null) as Record<string, unknown>;
}

function plainRecord(plan: Plan, row: CoqlRow, lookups: Lookups): Record<string, unknown> {
  const record: Record<string, unknown> = { id: String(row.id) };
  const custom = plan.items.some((i) => i.field.ref.kind === 'custom') ? customOf(row) : undefined;
  plan.items.forEach((item, i) => {
    const { ref } = item.field;
    const raw = ref.kind === 'custom' ? custom?.[ref.apiName] : row[`c${i}`];
    place(record, item.key, item.field, raw, lookups);
  });
  return record;
}

function groupRecord(plan: Plan, row: CoqlRow, lookups: Lookups): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  plan.items.forEach((item, i) => {
    if (item.kind === 'field') {
      const g = plan.groupBy.findIndex((f) => f.key === item.field.key);
      place(record, item.key, item.field, row[`g${g}`], lookups);
    } else if (item.fn === 'COUNT' || item.fn === 'SUM' || item.fn === 'AVG') {
      const raw = row[`c${i}`];
      record[item.key] = raw === null || raw === undefined ? null : Number(raw);
    } else place(record, item.key, { ...item.field, lookupModule: undefined }, row[`c${i}`], lookups);
  });
  return record;
}

/** Zoho's error body for a refused query: 400 with its code and details. */
function refusal(error: CoqlError) {
  return apiError(400, error.code, error.message, error.details);
}

/** Parse, check and run a COQL query; refusals come back as 400s with Zoho's codes, never as other errors. */
export async function runCoql(
  db: Executor,
  dialect: Dialect,
  fields: readonly FieldDefinition[],
  text: string,
): Promise<CoqlResult> {
  let plan: Plan;
  try {
    plan = planQuery(parseQuery(text), fields);
  } catch (error) {
    if (error instanceof CoqlError) throw refusal(error);
    throw error;
  }
  const rows = await selectCoql(db, dialect, plan);
  const page = rows.slice(0, plan.limit);
  const lookups = new Lookups();
  const data = page.map((row) =>
    plan.aggregate ? groupRecord(plan, row, lookups) : plainRecord(plan, row, lookups),
  );
  await lookups.resolve(db);
  return { data, info: { count: data.length, more_records: rows.length > plan.limit } };
}
