/**
 * A Tessera contract version -> an ODCS v3.1.0 document with one schema
 * object. What came from ODCS (x-odcs, config.odcs) is written back as it was
 * read; what came from elsewhere (dbt, a JSON Schema) is translated where
 * ODCS has a field for it, and every thing it has none for is returned in
 * `lost`, for the CLI to list on stderr.
 */
import type { Asset, Guarantee, Version } from '../model.js';
import { guaranteeKey } from '../guarantees.js';
import { PHYSICAL_TYPE_KEY } from '../diff/physical.js';
import { isObject } from '../schema/walk.js';
import { ODCS_KEY, SOURCE_PRIMARY_KEY, SOURCE_UNIQUE_FLAG } from './odcs-import.js';
import { jsonToLogical } from './odcs-types.js';
import { ODCS_CURRENT } from './odcs-validate.js';
import { exportLost, inlineRefs, ordered, propertiesOf, type Exported } from './common.js';

type Obj = Record<string, unknown>;

const SHORTHAND = /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/;

/** Severity in ODCS words. */
const severityWord = (g: Guarantee): Obj => (g.severity === 'warn' ? { severity: 'warning' } : g.severity === 'error' ? { severity: 'error' } : {});

/** The ODCS original of a guarantee read from ODCS. */
const original = (g: Guarantee): Obj | undefined => (isObject(g.config?.odcs) ? (g.config!.odcs as Obj) : undefined);

/** v3.0's `rule` is v3.1's `metric` (deprecated, and no longer enough for the v3.1.0 schema). */
function asV31(rule: Obj): Obj {
  if (typeof rule.rule !== 'string' || rule.metric !== undefined) return rule;
  const { rule: metric, ...rest } = rule;
  return { metric, ...rest };
}

/** A quality rule for a guarantee that did not come from ODCS, or undefined when ODCS has none. */
function qualityRule(g: Guarantee, atColumn: boolean): Obj | undefined {
  const base = { type: 'library', mustBe: 0, ...severityWord(g) };
  if (atColumn && g.kind === 'not_null') return { metric: 'nullValues', ...base };
  if (atColumn && g.kind === 'unique') return { metric: 'duplicateValues', ...base };
  if (!atColumn && g.kind === 'unique' && g.columns) return { metric: 'duplicateValues', ...base, arguments: { properties: g.columns } };
  if (atColumn && g.kind === 'accepted_values' && g.values) return { metric: 'invalidValues', ...base, arguments: { validValues: g.values } };
  return undefined;
}

const isFlag = (g: Guarantee) => g.source === SOURCE_UNIQUE_FLAG || g.source === SOURCE_PRIMARY_KEY || g.kind === 'primary_key';
/** A unique guarantee from dbt (a test or constraint) says what the `unique` flag says. */
const isUniqueFlag = (g: Guarantee) => g.kind === 'unique' && g.column !== undefined && (g.source === SOURCE_UNIQUE_FLAG || original(g) === undefined);

interface Ctx {
  objectName: string;
  byColumn: Map<string, Guarantee[]>;
  primaryKey: string[];
  used: Set<Guarantee>;
  lost: string[];
  fromOdcs: boolean;
}

function propertyOf(name: string, s: Obj, required: boolean, column: string, ctx: Ctx, pointer: string): Obj {
  const kept = isObject(s[ODCS_KEY]) ? (s[ODCS_KEY] as Obj) : {};
  const out: Obj = { name };
  const { logicalType, options } = jsonToLogical(s);
  const keptOptions = isObject(kept.logicalTypeOptions) ? kept.logicalTypeOptions : {};
  Object.assign(out, kept);
  if (logicalType) out.logicalType = logicalType;
  if (Object.keys(options).length + Object.keys(keptOptions).length > 0) out.logicalTypeOptions = { ...options, ...keptOptions };
  const physical = typeof kept.physicalType === 'string' ? kept.physicalType : s[PHYSICAL_TYPE_KEY];
  if (typeof physical === 'string') out.physicalType = physical;
  if (required) out.required = true;
  if (typeof s.description === 'string') out.description = s.description;
  if (Array.isArray(s.examples)) out.examples = s.examples;
  else if (s.example !== undefined) out.examples = [s.example];
  const pk = ctx.primaryKey.indexOf(column);
  if (pk >= 0) {
    out.primaryKey = true;
    // ODCS leaves positions out when the key's order is the properties' order; so does a contract read from ODCS.
    if (out.primaryKeyPosition === undefined && ctx.primaryKey.length > 1 && !ctx.fromOdcs) out.primaryKeyPosition = pk + 1;
  }
  const quality: Obj[] = [];
  const relationships: Obj[] = [];
  for (const g of ctx.byColumn.get(column) ?? []) {
    if (isUniqueFlag(g)) {
      out.unique = true;
      ctx.used.add(g);
      continue;
    }
    if (isFlag(g)) continue;
    const odcs = original(g);
    if (g.kind === 'relationships') {
      const to = g.field !== undefined && g.to !== undefined ? `${g.to}.${g.field}` : g.to;
      const rel = odcs ?? (to !== undefined && SHORTHAND.test(to) ? { type: 'foreignKey', to } : undefined);
      if (rel) {
        relationships.push(rel);
        ctx.used.add(g);
      }
      continue;
    }
    if (g.kind === 'freshness') continue;
    const rule = odcs ? asV31(odcs) : qualityRule(g, true);
    if (rule) {
      quality.push(rule);
      ctx.used.add(g);
    }
  }
  // An enum is what ODCS says with an invalidValues rule, unless an accepted_values guarantee says it already.
  const enumValues = Array.isArray(s.enum) ? s.enum.filter((v) => v !== null) : undefined;
  const saysValues = (ctx.byColumn.get(column) ?? []).some((g) => g.kind === 'accepted_values');
  if (enumValues && enumValues.length > 0 && !saysValues) quality.push({ metric: 'invalidValues', type: 'library', mustBe: 0, arguments: { validValues: enumValues } });
  if (quality.length > 0) out.quality = quality;
  if (relationships.length > 0) out.relationships = relationships;
  for (const k of exportLost(s, logicalType, ['examples', 'example', ...(enumValues?.length ? ['enum'] : [])])) ctx.lost.push(`${pointer}: ${k} (ODCS has no field for it)`);
  if (isObject(s.properties)) {
    out.properties = propertiesOf(s).map(([n, p, req]) => propertyOf(n, p, req, `${column}.${n}`, ctx, `${pointer}/properties/${n}`));
  }
  if (isObject(s.items)) out.items = propertyOf('', s.items as Obj, false, `${column}[]`, ctx, `${pointer}/items`);
  if (out.name === '') delete out.name;
  return ordered(out, PROPERTY_ORDER);
}

const PROPERTY_ORDER = ['id', 'name', 'physicalName', 'businessName', 'logicalType', 'logicalTypeOptions', 'physicalType', 'required', 'unique', 'primaryKey', 'primaryKeyPosition', 'description'];

/** A freshness guarantee as an SLA property. */
function slaOf(g: Guarantee, objectName: string): Obj | undefined {
  const odcs = original(g);
  if (odcs) return odcs;
  const t = (g.config?.error_after ?? g.config?.warn_after) as { count?: unknown; period?: unknown } | undefined;
  const unit = t && typeof t.period === 'string' ? ({ minute: 'm', hour: 'h', day: 'd' } as Record<string, string>)[t.period] : undefined;
  if (!t || typeof t.count !== 'number' || !unit) return undefined;
  return { property: 'latency', value: t.count, unit, ...(g.field ? { element: `${objectName}.${g.field}` } : {}) };
}

export function exportOdcs(asset: Asset, version: Version): Exported<Obj> {
  const schema = inlineRefs(isObject(version.schema) ? version.schema : {});
  const kept = isObject(schema[ODCS_KEY]) ? (schema[ODCS_KEY] as Obj) : {};
  const fromOdcs = isObject(kept.object);
  const contract = isObject(kept.contract) ? (kept.contract as Obj) : {};
  const objectKept = fromOdcs ? (kept.object as Obj) : {};
  const objectName = typeof objectKept.name === 'string' ? objectKept.name : asset.id.slice(asset.id.lastIndexOf('.') + 1);
  const lost: string[] = [];
  const byColumn = new Map<string, Guarantee[]>();
  const objectLevel: Guarantee[] = [];
  for (const g of version.guarantees) {
    if (g.column !== undefined) byColumn.set(g.column, [...(byColumn.get(g.column) ?? []), g]);
    else objectLevel.push(g);
  }
  const pkg = version.guarantees.find((g) => g.kind === 'primary_key');
  const primaryKey = pkg ? (pkg.column !== undefined ? [pkg.column] : (pkg.columns ?? [])) : [];
  const ctx: Ctx = { objectName, byColumn, primaryKey, used: new Set(pkg ? [pkg] : []), lost, fromOdcs };

  const object: Obj = ordered({ ...objectKept, name: objectName }, ['id', 'name']);
  if (!fromOdcs) {
    object.physicalType = asset.kind;
    object.logicalType = 'object';
  }
  const description = typeof schema.description === 'string' ? schema.description : asset.description;
  if (description !== undefined) object.description = description;
  const properties = propertiesOf(schema).map(([n, p, req]) => propertyOf(n, p, req, n, ctx, `/properties/${n}`));
  if (properties.length > 0) object.properties = properties;
  for (const k of exportLost(schema, 'object', ['$schema', 'title', '$id'])) lost.push(`/: ${k} (ODCS has no field for it)`);

  const quality: Obj[] = [];
  const relationships: Obj[] = [];
  const slas: Obj[] = [];
  for (const g of objectLevel) {
    if (isFlag(g)) continue;
    const odcs = original(g);
    if (g.kind === 'relationships') {
      if (odcs && 'from' in odcs) relationships.push(odcs);
      else if (g.columns && g.to) relationships.push({ type: 'foreignKey', from: g.columns.map((c) => `${objectName}.${c}`), to: ((g.config?.to_columns as string[] | undefined) ?? []).map((c) => `${g.to}.${c}`) });
      else continue;
      ctx.used.add(g);
    } else if (g.kind === 'freshness') {
      const sla = slaOf(g, objectName);
      if (sla) {
        slas.push(sla);
        ctx.used.add(g);
      }
    } else {
      const rule = odcs ? asV31(odcs) : qualityRule(g, false);
      if (rule) {
        quality.push(rule);
        ctx.used.add(g);
      }
    }
  }
  // Freshness names a column through `field`, never `column`: it sits with the object-level ones above unless dbt gave it a column.
  for (const g of version.guarantees) {
    if (g.kind === 'freshness' && !ctx.used.has(g)) {
      const sla = slaOf(g, objectName);
      if (sla) {
        slas.push(sla);
        ctx.used.add(g);
      }
    }
  }
  if (quality.length > 0) object.quality = quality;
  if (relationships.length > 0) object.relationships = relationships;
  for (const g of version.guarantees) {
    if (ctx.used.has(g)) continue;
    lost.push(`guarantee ${guaranteeKey(g)}: ${g.column !== undefined && !propertyExists(schema, g.column) ? 'its column is not a property' : 'ODCS has no rule for it'}`);
  }

  const doc: Obj = ordered({
    ...contract,
    apiVersion: ODCS_CURRENT,
    kind: 'DataContract',
    id: typeof contract.id === 'string' ? contract.id : asset.id,
    version: version.version,
    status: typeof contract.status === 'string' ? contract.status : 'active',
  }, ['apiVersion', 'kind', 'id', 'name', 'version', 'status']);
  if (!fromOdcs) doc.name = asset.id;
  if (contract.description === undefined && asset.description !== undefined) doc.description = { purpose: asset.description };
  if (contract.team === undefined) doc.team = { name: asset.owner };
  doc.schema = [object];
  const contractSlas = Array.isArray(contract.slaProperties) ? contract.slaProperties : [];
  if (slas.length + contractSlas.length > 0) doc.slaProperties = [...slas, ...contractSlas];
  return { value: doc, lost };
}

function propertyExists(schema: Obj, dotted: string): boolean {
  let node: unknown = schema;
  for (const part of dotted.split('.')) {
    const name = part.replace(/\[\]$/, '');
    if (!isObject(node) || !isObject(node.properties) || !(name in node.properties)) return false;
    node = (node.properties as Obj)[name];
    if (part.endsWith('[]')) node = isObject(node) ? node.items : undefined;
  }
  return true;
}
