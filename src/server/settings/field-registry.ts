import { LAYOUT_LOCKED_FIELDS, caseFields, type FieldDefinition } from '../../shared/case-fields';
import { parseCustomFields, type CustomFieldConfig } from '../../shared/custom-fields';
import type { Storage } from '../db/database';
import { nowIso } from '../db/executor';
import { apiError, quoted } from '../http/errors';
import {
  fieldsVersion,
  lastPosition,
  layoutRows,
  raiseFieldsVersion,
  saveCustomDefinition,
  saveLayoutRow,
} from './field-layout.repository';

/**
 * The organisation's case fields as every request sees them: standard fields and custom fields (added in the app
 * or imported from fields.json), in the layout's order with its hidden and read-only marks. All of it lives in the
 * database (field_layout), so every node on one database has the same fields. Each node keeps a copy, checked
 * against the database's version number before any write is validated (`ensureCurrent`): a change made on one
 * node is enforced by every node from the next request. Reads refresh every few seconds besides.
 */
export interface FieldRegistry {
  current(): FieldDefinition[];
  /** When an admin last changed the layout or added a field (ISO time); the schema's release time before that. */
  modifiedTime(): string;
  /** Reload when another node (or this one) has changed the fields since the copy was taken. */
  ensureCurrent(): Promise<void>;
  reload(): Promise<void>;
  close(): void;
}

/** The layout's time before any admin change: the release that introduced the fields table. */
export const LAYOUT_EPOCH = '2026-11-25T09:00:00.000Z';

type LayoutRow = {
  api_name: string;
  position: number;
  hidden: unknown;
  read_only: unknown;
  quick?: unknown;
  custom_definition: string | null;
};

export function applyLayout(base: readonly FieldDefinition[], rows: LayoutRow[]): FieldDefinition[] {
  const added = rows
    .filter((r) => r.custom_definition)
    .map((r) => JSON.parse(r.custom_definition as string) as CustomFieldConfig);
  const all = [...base, ...(added.length ? parseCustomFields({ fields: added }, base) : [])];
  const layout = new Map(rows.map((r) => [r.api_name, r]));
  const position = (f: FieldDefinition, index: number) => layout.get(f.apiName)?.position ?? 100_000 + index;
  return all
    .map((f, index) => ({ f, p: position(f, index) }))
    .sort((a, b) => a.p - b.p)
    .map(({ f }) => {
      const row = layout.get(f.apiName);
      if (!row) return f;
      const quick = row.quick === null || row.quick === undefined ? {} : { quick: Boolean(row.quick) };
      return { ...f, hidden: Boolean(row.hidden), readOnly: f.readOnly || Boolean(row.read_only), ...quick };
    });
}

export async function openFieldRegistry(
  storage: Storage,
  base: readonly FieldDefinition[] = caseFields(),
  refreshMs = 5000,
): Promise<FieldRegistry> {
  let fields: FieldDefinition[] = [...base];
  let modified = LAYOUT_EPOCH;
  let version = -1;
  let loading: Promise<void> | undefined;
  const load = async () => {
    // The number first: a change committed while the rows are read shows as a newer number at the next check.
    const seen = await fieldsVersion(storage.db);
    const rows = await layoutRows(storage.db);
    fields = applyLayout(base, rows);
    modified = rows.reduce(
      (latest, r) => (r.modified_time > latest ? r.modified_time : latest),
      LAYOUT_EPOCH,
    );
    version = seen;
  };
  // Many requests notice a change at once; they wait for one reload.
  const reload = () => {
    loading ??= load().finally(() => (loading = undefined));
    return loading;
  };
  // Every write request checks the version first. A check already under way may have read the number before a
  // change this caller must see, so a caller never takes its answer: it waits for the next check, which begins
  // after that one ends and serves everyone who arrived meanwhile — one query per round trip, not per request.
  let checking: Promise<void> | undefined;
  let nextCheck: Promise<void> | undefined;
  const check = async () => {
    if ((await fieldsVersion(storage.db)) !== version) await reload();
  };
  const ensureCurrent = (): Promise<void> => {
    if (!checking) {
      checking = check().finally(() => (checking = undefined));
      return checking;
    }
    nextCheck ??= checking
      .catch(() => undefined)
      .then(() => {
        nextCheck = undefined;
        return ensureCurrent();
      });
    return nextCheck;
  };
  await reload();
  const timer =
    refreshMs > 0 ? setInterval(() => void reload().catch(() => undefined), refreshMs) : undefined;
  timer?.unref();
  return {
    current: () => fields,
    modifiedTime: () => modified,
    ensureCurrent,
    reload,
    close: () => timer && clearInterval(timer),
  };
}

/**
 * fields.json (or CASEPANE_FIELDS_FILE) is an import into the database: its fields are stored there on start, so
 * nodes without the file have them too. A field already there takes the file's definition when it differs.
 */
export async function importFieldsFile(storage: Storage, file: unknown): Promise<number> {
  const configs = (file as { fields: CustomFieldConfig[] }).fields;
  try {
    parseCustomFields(file);
  } catch (error) {
    throw new Error(`fields file: ${(error as Error).message}`);
  }
  const stored = new Map((await layoutRows(storage.db)).map((r) => [r.api_name, r.custom_definition]));
  const changed = configs.filter((c) => stored.get(c.api_name) !== JSON.stringify(c));
  if (!changed.length) return 0;
  await storeCustomFields(storage, changed);
  return changed.length;
}

/** Store custom field definitions after the last placed field (a new one) or in its place (a known one). */
async function storeCustomFields(storage: Storage, configs: CustomFieldConfig[]): Promise<void> {
  const now = nowIso();
  const start = Math.max(await lastPosition(storage.db), 100_000);
  await storage.write(async (trx) => {
    for (const [index, config] of configs.entries()) {
      const field = {
        apiName: config.api_name,
        definition: JSON.stringify(config),
        position: start + (index + 1) * 10,
      };
      await saveCustomDefinition(trx, storage.dialect, field, now);
    }
    await raiseFieldsVersion(trx);
  });
}

/** PUT /settings/layout: order, hidden, read-only and quick (optional) for every listed field; all or nothing. */
export async function saveLayout(storage: Storage, registry: FieldRegistry, input: unknown): Promise<void> {
  const list = (input as { fields?: unknown } | null)?.fields;
  if (list !== undefined && !Array.isArray(list))
    throw apiError(400, 'INVALID_DATA', 'fields: the list of fields in their order', {
      api_name: 'fields',
      expected_data_type: 'jsonarray',
    });
  if (!Array.isArray(list) || list.length === 0)
    throw apiError(400, 'MANDATORY_NOT_FOUND', 'fields: the list of fields in their order', {
      api_name: 'fields',
    });
  const known = new Map(registry.current().map((f) => [f.apiName, f]));
  const seen = new Set<string>();
  const rows = list.map((entry: unknown, index) => {
    const e = (typeof entry === 'object' && entry !== null && !Array.isArray(entry) ? entry : {}) as {
      api_name?: unknown;
      hidden?: unknown;
      read_only?: unknown;
      quick?: unknown;
    };
    const field = typeof e.api_name === 'string' ? known.get(e.api_name) : undefined;
    if (!field)
      throw apiError(400, 'INVALID_DATA', `fields[${index}]: no such field ${quoted(e.api_name)}`, {
        api_name: 'fields',
        json_path: `$.fields[${index}].api_name`,
      });
    if (seen.has(field.apiName))
      throw apiError(400, 'INVALID_DATA', `fields[${index}]: ${field.apiName} appears twice`, {
        api_name: 'fields',
      });
    seen.add(field.apiName);
    for (const flag of ['hidden', 'read_only', 'quick'] as const)
      if (e[flag] !== undefined && typeof e[flag] !== 'boolean')
        throw apiError(400, 'INVALID_DATA', `fields[${index}].${flag}: true or false`, {
          api_name: flag,
          json_path: `$.fields[${index}].${flag}`,
          expected_data_type: 'boolean',
        });
    const hidden = e.hidden === true;
    const readOnly = e.read_only === true;
    if ((hidden || readOnly) && (LAYOUT_LOCKED_FIELDS.includes(field.apiName) || field.mandatory))
      throw apiError(400, 'INVALID_DATA', `${field.apiName} is mandatory and cannot be hidden or read-only`, {
        api_name: field.apiName,
      });
    const quick = typeof e.quick === 'boolean' ? e.quick : null;
    return { apiName: field.apiName, position: (index + 1) * 10, hidden, readOnly, quick };
  });
  const now = nowIso();
  await storage.write(async (trx) => {
    for (const r of rows) await saveLayoutRow(trx, storage.dialect, r, now);
    await raiseFieldsVersion(trx);
  });
  await registry.reload();
}

/** POST /settings/fields: add custom fields (same rules as the config file). */
export async function addCustomFields(
  storage: Storage,
  registry: FieldRegistry,
  input: unknown,
): Promise<string[]> {
  let parsed: FieldDefinition[];
  try {
    parsed = parseCustomFields(input, registry.current());
  } catch (error) {
    throw apiError(400, 'INVALID_DATA', (error as Error).message.replace('custom fields config: ', ''), {
      api_name: 'fields',
    });
  }
  await storeCustomFields(storage, (input as { fields: CustomFieldConfig[] }).fields);
  await registry.reload();
  return parsed.map((f) => f.apiName);
}
