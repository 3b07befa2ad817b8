/** A contract's top-level properties as table columns, for show and the UI. */
import type { Guarantee } from './model.js';

export interface ColumnRow {
  name: string;
  type: string;
  required: boolean;
  format?: string;
  description?: string;
  guarantees: string[];
}

function typeOf(s: Record<string, unknown>): string {
  const t = s.type;
  if (Array.isArray(t)) return t.join(' | ');
  if (typeof t === 'string') {
    if (t === 'array' && s.items && typeof s.items === 'object') return `array<${typeOf(s.items as Record<string, unknown>)}>`;
    return t;
  }
  if (s.enum) return 'enum';
  if (s.const !== undefined) return 'const';
  for (const k of ['anyOf', 'oneOf'] as const) {
    const alts = s[k];
    if (Array.isArray(alts)) return alts.map((a) => (a && typeof a === 'object' ? typeOf(a as Record<string, unknown>) : 'any')).join(' | ');
  }
  if (typeof s.$ref === 'string') return s.$ref.replace(/^#\/(\$defs|definitions)\//, '');
  return 'any';
}

export function columnsOf(schema: unknown, guarantees: Guarantee[] = []): ColumnRow[] {
  if (!schema || typeof schema !== 'object') return [];
  const s = schema as Record<string, unknown>;
  const props = (s.properties ?? {}) as Record<string, unknown>;
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  const byColumn = new Map<string, string[]>();
  for (const g of guarantees) {
    const cols = g.column ? [g.column] : (g.columns ?? []);
    for (const c of cols) byColumn.set(c, [...(byColumn.get(c) ?? []), g.kind === 'accepted_values' && g.values ? `accepted_values(${g.values.length})` : g.kind]);
  }
  return Object.entries(props).map(([name, p]) => {
    const ps = (p && typeof p === 'object' ? p : {}) as Record<string, unknown>;
    const row: ColumnRow = { name, type: typeOf(ps), required: required.has(name), guarantees: byColumn.get(name) ?? [] };
    if (typeof ps.format === 'string') row.format = ps.format;
    if (typeof ps.description === 'string') row.description = ps.description;
    return row;
  });
}
