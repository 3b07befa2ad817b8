/**
 * An asset's columns -> its JSON Schema (an object with one property per
 * column), narrowed by the guarantees that hold on every row: NOT NULL makes a
 * property required, accepted values become its enum.
 */
import type { Guarantee } from '../core/model.js';
import { eachColumn, type DbtConstraint, type DbtNode } from './manifest.js';
import { columnKey } from './guarantees.js';
import { mapColumnTypeShared } from './types.js';
import { PHYSICAL_TYPE_KEY } from '../core/diff/physical.js';

type Prop = Record<string, unknown>;

export interface ColumnSchema {
  properties: Map<string, Prop>;
  typed: number;
  untyped: string[];
  unknownTypes: string[];
  /** Same column twice after case folding (kept once). */
  duplicates: string[];
  /** Per column, the dbt constraints declared on it. */
  columnConstraints: Array<{ column: string; constraints: DbtConstraint[] }>;
  /** Lower-case property name -> property name, built on the first case-insensitive lookup. */
  folded?: Map<string, string>;
}

interface Declared {
  type: string | undefined;
  description: string | undefined;
}

const nonBlank = (s: string | undefined): string | undefined => (s !== undefined && s.trim() ? s : undefined);

/**
 * Properties from `columns` (their `data_type`) and, for seeds, from
 * `config.column_types`, which is what dbt creates the table with and so wins.
 */
export function columnSchema(node: DbtNode, adapter: string | undefined): ColumnSchema {
  const out: ColumnSchema = { properties: new Map(), typed: 0, untyped: [], unknownTypes: [], duplicates: [], columnConstraints: [] };
  const declared = new Map<string, Declared>();
  eachColumn(node, (col) => {
    const name = columnKey(col.name, col.quote);
    if (declared.has(name)) {
      out.duplicates.push(name);
      return;
    }
    declared.set(name, { type: nonBlank(col.dataType), description: nonBlank(col.description) });
    if (col.constraints.length > 0) out.columnConstraints.push({ column: name, constraints: col.constraints });
  });
  const columnTypes = node.resource_type === 'seed' ? node.config?.column_types : undefined;
  if (columnTypes) {
    for (const [key, t] of Object.entries(columnTypes)) {
      if (typeof t !== 'string' || !t.trim()) continue;
      const name = columnKey(key);
      declared.set(name, { type: t, description: declared.get(name)?.description });
    }
  }
  const names = [...declared.keys()].sort();
  for (const name of names) {
    const { type, description } = declared.get(name)!;
    let prop: Prop;
    if (type) {
      const m = mapColumnTypeShared(type, { adapter });
      // One shallow copy per column; nested item/field schemas stay shared and are never mutated.
      prop = { ...m.schema };
      if (m.physical !== undefined) prop[PHYSICAL_TYPE_KEY] = m.physical;
      if (description !== undefined) prop['description'] = description;
      if (m.unknown.length > 0) out.unknownTypes.push(...m.unknown);
      out.typed++;
    } else {
      prop = description !== undefined ? { description } : {};
      out.untyped.push(name);
    }
    out.properties.set(name, prop);
  }
  return out;
}

export function findProperty(cs: ColumnSchema, column: string): string | undefined {
  if (cs.properties.has(column)) return column;
  if (!cs.folded) {
    cs.folded = new Map();
    for (const name of cs.properties.keys()) {
      cs.folded.set(name.toLowerCase(), name); // in sorted order: the last of a case-folded clash wins
    }
  }
  return cs.folded.get(column.toLowerCase());
}

/** NOT NULL kinds: a not_null test or constraint, or a primary key (per column). */
const REQUIRING = new Set(['not_null', 'primary_key']);

/**
 * Applies narrowing guarantees to the properties, returning the required
 * property names and the guarantee columns that match no property.
 * `narrowing` says, per guarantee, whether it holds on every row.
 */
export function applyGuarantees(
  cs: ColumnSchema,
  guarantees: ReadonlyArray<{ g: Guarantee; narrowing: boolean }>,
): { required: string[]; missingColumns: string[] } {
  const required = new Set<string>();
  const missing = new Set<string>();
  for (const { g, narrowing } of guarantees) {
    const cols = g.column !== undefined ? [g.column] : g.kind === 'primary_key' ? (g.columns ?? []) : [];
    for (const col of cols) {
      const name = findProperty(cs, col);
      if (name === undefined) {
        missing.add(col);
        continue;
      }
      if (!narrowing) continue;
      if (REQUIRING.has(g.kind)) required.add(name);
      if (g.kind === 'accepted_values' && g.values) {
        const prop = cs.properties.get(name) ?? {};
        const values = enumValues(g.values, prop['type'], g.config?.['quote'] === false);
        if (values.length === 0) continue;
        const prior = prop['enum'];
        const next = Array.isArray(prior) ? values.filter((v) => prior.some((p) => p === v)) : values;
        cs.properties.set(name, withEnum(prop, next));
      }
    }
  }
  return { required: [...required].sort(), missingColumns: [...missing].sort() };
}

/** Puts `enum` right after the type keywords, before annotations, for readable files. */
function withEnum(prop: Prop, values: unknown[]): Prop {
  const { description, ...rest } = prop;
  const out: Prop = { ...rest, enum: values };
  if (description !== undefined) out['description'] = description;
  return out;
}

/**
 * accepted_values as an enum of the column's JSON type. YAML gives numbers for
 * `[1, 2]` even on a text column (dbt quotes them in SQL), and `quote: false`
 * lists SQL literals ("'a'"): both are brought to the property's type. Values
 * that cannot be of that type can never occur, so they are dropped.
 */
export function enumValues(values: readonly unknown[], type: unknown, unquoted: boolean): unknown[] {
  const out: unknown[] = [];
  const seen = new Set<string>();
  for (const raw of values) {
    let v: unknown = raw;
    if (unquoted && typeof v === 'string') {
      const m = /^'(.*)'$/s.exec(v.trim());
      if (m) v = m[1];
    }
    const coerced = coerce(v, type);
    if (coerced === undefined) continue;
    const key = JSON.stringify(coerced);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(coerced);
  }
  return out;
}

function coerce(v: unknown, type: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  switch (type) {
    case 'string':
      return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
    case 'integer': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
      return Number.isInteger(n) ? n : undefined;
    }
    case 'number': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
      return Number.isFinite(n) ? n : undefined;
    }
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
      return undefined;
    default:
      return typeof v === 'object' ? undefined : v;
  }
}
