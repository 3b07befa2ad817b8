/**
 * dbt tests, constraints, contracts and source freshness -> Tessera guarantees.
 * Which asset a test belongs to is decided in attach.ts; how a guarantee
 * narrows the JSON Schema (required, enum) in schema.ts.
 */
import type { Guarantee } from '../core/model.js';
import type { DbtConstraint, DbtNode } from './manifest.js';

/** Keys of generic-test kwargs that Guarantee has a field for, or that are noise. */
const MAPPED_KWARGS = new Set(['model', 'column_name', 'values', 'to', 'field']);
/** kwargs that list columns (dbt_utils, dbt_expectations). */
const COLUMN_LIST_KWARGS = ['combination_of_columns', 'column_list', 'columns'];

/**
 * A column reference as Tessera names properties: a fully quoted name keeps its
 * case (quotes removed), anything else is lower-cased because unquoted SQL
 * identifiers are case-insensitive in every supported warehouse.
 */
export function columnKey(raw: string, quoted = false): string {
  if (quoted) return columnKeyOf(raw, true);
  // A project repeats a few thousand column names across 300,000 columns: each is worked out once.
  let key = KEYS.get(raw);
  if (key === undefined) {
    key = columnKeyOf(raw, false);
    if (KEYS.size >= 100_000) KEYS.clear();
    KEYS.set(raw, key);
  }
  return key;
}

const KEYS = new Map<string, string>();

function columnKeyOf(raw: string, quoted: boolean): string {
  const s = raw.trim();
  const m = /^(["`\[])(.*)(["`\]])$/s.exec(s);
  if (m && m[2] !== undefined) return m[2];
  // An expression (tuva: `patient_id || '_' || condition`) is kept as written: its literals have case.
  return quoted || !/^[A-Za-z_][A-Za-z0-9_$]*$/.test(s) ? s : s.toLowerCase();
}

export function severityOf(node: DbtNode): 'warn' | 'error' | undefined {
  const s = node.config?.severity?.trim().toLowerCase();
  return s === 'warn' || s === 'error' ? s : undefined;
}

/** The guarantee kind of a test: `namespace.name` for package tests, `singular` for data tests without metadata. */
export function testKind(test: DbtNode): string {
  const meta = test.test_metadata;
  if (!meta?.name) return 'singular';
  return meta.namespace ? `${meta.namespace}.${meta.name}` : meta.name;
}

export function testColumn(test: DbtNode): string | undefined {
  const raw = test.column_name ?? test.test_metadata?.kwargs?.['column_name'];
  return typeof raw === 'string' && raw.trim() !== '' ? columnKey(raw) : undefined;
}

/**
 * One test as a guarantee. `to` is the referenced asset's id when the caller
 * could resolve it (relationships), else the raw kwarg (e.g. "ref('customers')").
 */
export function testGuarantee(test: DbtNode, resolvedTo: string | undefined): Guarantee {
  const kind = testKind(test);
  const g: Guarantee = { kind };
  const column = testColumn(test);
  if (column !== undefined) g.column = column;
  const kwargs = test.test_metadata?.kwargs ?? {};
  const config: Record<string, unknown> = {};
  for (const key of Object.keys(kwargs).sort()) {
    if (MAPPED_KWARGS.has(key)) continue;
    const v = kwargs[key];
    if (COLUMN_LIST_KWARGS.includes(key) && Array.isArray(v) && v.every((x) => typeof x === 'string')) {
      g.columns = v.map((c) => columnKey(c));
      continue;
    }
    if (v !== undefined && v !== null) config[key] = v;
  }
  if (Array.isArray(kwargs['values'])) g.values = [...kwargs['values']];
  const to = resolvedTo ?? (typeof kwargs['to'] === 'string' ? kwargs['to'] : undefined);
  if (to !== undefined) g.to = to;
  if (typeof kwargs['field'] === 'string') g.field = columnKey(kwargs['field']);
  if (kind === 'singular' && test.name) config['name'] = test.name;
  const where = test.config?.where;
  if (where) config['where'] = where;
  if (Object.keys(config).length > 0) g.config = config;
  const severity = severityOf(test);
  if (severity) g.severity = severity;
  g.source = test.unique_id ?? undefined;
  return g;
}

/** A test that only holds on some rows (`where`) or only warns cannot narrow the schema. */
export function narrowsSchema(test: DbtNode): boolean {
  return !test.config?.where && severityOf(test) !== 'warn';
}

const CONSTRAINT_KINDS = new Set(['not_null', 'unique', 'primary_key', 'foreign_key', 'check', 'custom']);

/**
 * Column- and model-level constraints. dbt applies constraints only under an
 * enforced contract, so the caller passes them only then.
 */
export function constraintGuarantees(
  modelConstraints: readonly DbtConstraint[],
  columnConstraints: ReadonlyArray<{ column: string; constraints: readonly DbtConstraint[] }>,
): Guarantee[] {
  const out: Guarantee[] = [];
  for (const { column, constraints } of columnConstraints) {
    for (const c of constraints) {
      const g = constraintGuarantee(c);
      if (g) out.push({ ...g, column });
    }
  }
  for (const c of modelConstraints) {
    const g = constraintGuarantee(c);
    if (!g) continue;
    const cols = (c.columns ?? []).map((x) => columnKey(x));
    if (cols.length === 1 && cols[0] !== undefined) g.column = cols[0];
    else if (cols.length > 1) g.columns = cols;
    out.push(g);
  }
  return out;
}

function constraintGuarantee(c: DbtConstraint): Guarantee | undefined {
  const type = c.type?.trim().toLowerCase();
  if (!type || !CONSTRAINT_KINDS.has(type)) return undefined;
  const g: Guarantee = { kind: type, source: 'constraint' };
  if (c.expression) g.expression = c.expression;
  if (c.to) g.to = c.to;
  const toCols = c.to_columns ?? [];
  if (toCols.length === 1 && toCols[0] !== undefined) g.field = columnKey(toCols[0]);
  else if (toCols.length > 1) g.config = { to_columns: toCols.map((x) => columnKey(x)) };
  if (c.name) g.config = { ...g.config, name: c.name };
  return g;
}

interface Threshold {
  count: number;
  period: string;
}

function threshold(v: unknown): Threshold | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const { count, period } = v as { count?: unknown; period?: unknown };
  return typeof count === 'number' && typeof period === 'string' ? { count, period } : undefined;
}

/** Source freshness (top-level `freshness`, or `config.freshness` since dbt 1.9) as one guarantee. */
export function freshnessGuarantee(source: DbtNode): Guarantee | undefined {
  const f = source.freshness ?? source.config?.freshness;
  if (!f) return undefined;
  const warn = threshold(f['warn_after']);
  const error = threshold(f['error_after']);
  if (!warn && !error) return undefined;
  const config: Record<string, unknown> = {};
  if (warn) config['warn_after'] = warn;
  if (error) config['error_after'] = error;
  if (typeof f['filter'] === 'string' && f['filter']) config['filter'] = f['filter'];
  const g: Guarantee = { kind: 'freshness', config, source: 'freshness' };
  const field = source.loaded_at_field ?? source.config?.loaded_at_field;
  if (field) g.field = columnKey(field);
  return g;
}

const KEY_ORDER = ['kind', 'column', 'columns', 'values', 'to', 'field', 'expression', 'config', 'severity', 'source'] as const;

/** The same guarantee with its keys in one fixed order, so files diff cleanly. */
export function canonicalGuarantee(g: Guarantee): Guarantee {
  const out: Record<string, unknown> = {};
  for (const k of KEY_ORDER) if (g[k] !== undefined) out[k] = g[k];
  return out as Guarantee;
}

/** Deterministic order: by kind, column, columns, source, then the whole value. */
export function sortGuarantees(gs: Guarantee[]): Guarantee[] {
  if (gs.length < 2) return gs.map(canonicalGuarantee);
  // The whole value is serialised only for the rare ties on the first four keys.
  const entries = gs.map((g) => {
    const c = canonicalGuarantee(g);
    return { g: c, k: [c.kind, c.column ?? '', (c.columns ?? []).join(','), c.source ?? ''], json: undefined as string | undefined };
  });
  const whole = (e: (typeof entries)[number]) => (e.json ??= JSON.stringify(e.g));
  entries.sort((a, b) => {
    for (let i = 0; i < 4; i++) {
      const x = a.k[i]!;
      const y = b.k[i]!;
      if (x !== y) return x < y ? -1 : 1;
    }
    const x = whole(a);
    const y = whole(b);
    return x === y ? 0 : x < y ? -1 : 1;
  });
  return entries.map((e) => e.g);
}
