/**
 * The fields each consumer of a dbt asset reads (docs/scoped-acks.md,
 * "dbt"): `meta.tessera.fields` on an exposure (a list, or a map from model
 * name to list), `fields` on a `meta.tessera.consumers` entry, and for a
 * downstream model of another team the columns its SQL selects from the
 * upstream (lineage.ts). Routes combine by union; any route that reads
 * everything makes the team read everything. Pure.
 */
import type { DbtNode } from './manifest.js';
import { columnsRead, parseModelSql, type ParsedSql } from './lineage.js';

export type Scope = { fields: Set<string>; why: string[] } | { all: true; why: string[] };

export class ScopeBook {
  private readonly byAsset = new Map<string, Map<string, Scope>>();

  /** `fields` undefined: every field. */
  add(assetUid: string, team: string, fields: readonly string[] | undefined, why: string): void {
    let teams = this.byAsset.get(assetUid);
    if (!teams) this.byAsset.set(assetUid, (teams = new Map()));
    const prior = teams.get(team);
    const whys = [...(prior?.why ?? []), why];
    if (fields === undefined || fields.length === 0 || (prior && 'all' in prior)) teams.set(team, { all: true, why: fields === undefined || fields.length === 0 ? [why, ...(prior?.why ?? [])] : whys });
    else teams.set(team, { fields: new Set([...(prior && 'fields' in prior ? prior.fields : []), ...fields]), why: whys });
  }

  /** The teams of an asset with a field list, and why each has it (or reads every field). */
  of(assetUid: string): { fields: Record<string, string[]>; why: Record<string, string> } {
    const fields: Record<string, string[]> = {};
    const why: Record<string, string> = {};
    for (const [team, s] of [...(this.byAsset.get(assetUid) ?? [])].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if ('fields' in s) fields[team] = [...s.fields].sort();
      why[team] = s.why[0]!;
    }
    return { fields, why };
  }
}

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);

/** An exposure's declared fields for one of its models: a list for every model, or a map by model name. */
export function exposureFields(meta: Record<string, unknown> | null | undefined, modelName: string | undefined): string[] | undefined {
  const tessera = meta?.['tessera'];
  const raw = typeof tessera === 'object' && tessera !== null ? (tessera as Record<string, unknown>)['fields'] : undefined;
  const list = strings(raw);
  if (list) return list;
  if (typeof raw === 'object' && raw !== null && modelName) return strings((raw as Record<string, unknown>)[modelName]);
  return undefined;
}

/** A `meta.tessera.consumers` entry's fields ({ team, fields }). */
export function entryFields(entry: unknown): string[] | undefined {
  return typeof entry === 'object' && entry !== null ? strings((entry as Record<string, unknown>)['fields']) : undefined;
}

/**
 * The columns a downstream model reads from each of its upstreams, as the
 * upstream's column names (case as documented there). compiled_code is
 * preferred (dbt compile or build wrote it: exactly what runs); raw_code
 * otherwise, with ref() and source() rendered (other Jinja: every field).
 * The SQL is parsed once, on the first upstream asked about.
 */
export function lineageReader(child: DbtNode, adapter: string | undefined): (parent: DbtNode) => { fields?: string[]; why: string } {
  const childName = child.unique_id ?? child.name ?? 'a model';
  const compiled = typeof child.compiled_code === 'string' && child.compiled_code.trim() !== '';
  const sql = compiled ? child.compiled_code! : child.raw_code;
  let parsed: ParsedSql | undefined;
  return (parent) => {
    if (typeof sql !== 'string' || sql.trim() === '') return { why: `every field: ${childName} has no SQL in the manifest` };
    parsed ??= parseModelSql(sql, { compiled, adapter });
    const r = columnsRead(parsed, { name: parent.name ?? '', identifier: parent.alias ?? parent.identifier ?? parent.name ?? '' });
    if ('all' in r) return { why: `every field: ${childName} ${r.reason}` };
    if (r.columns.length === 0) return { why: `every field: ${childName} reads no column of it by name` };
    const documented = new Map(Object.keys(parent.columns).map((c) => [c.toLowerCase(), c] as const));
    const fields = r.columns.map((c) => documented.get(c) ?? c);
    return { fields, why: `the columns ${childName} selects (${compiled ? 'compiled_code' : 'raw_code'}): ${fields.join(', ')}` };
  };
}
