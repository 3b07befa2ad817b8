/**
 * An ODCS v3 data contract (already validated, odcs-validate.ts) -> one
 * Tessera contract per `schema[]` object: a JSON Schema of its properties and
 * the guarantees of its quality rules, key flags, relationships and SLAs.
 * docs/formats.md has the table; README.md says what is kept, mapped, ignored.
 *
 * Nothing ODCS says is dropped silently: what JSON Schema and guarantees
 * cannot hold is kept verbatim under `x-odcs` (on the property, the object,
 * and the contract at the schema's root), which the diff engine does not
 * judge and `tessera export --format odcs` writes back. Each rule-like
 * guarantee keeps its ODCS original in `config.odcs`, so export returns it
 * as written, while Tessera judges the fields it understands (kind, column,
 * values, thresholds).
 */
import type { AssetKind, Guarantee } from '../model.js';
import { ASSET_KINDS } from '../model.js';
import { InputError } from '../errors.js';
import { quote, schemaInputError } from '../schema/problem.js';
import { isObject } from '../schema/walk.js';
import { PHYSICAL_TYPE_KEY } from '../diff/physical.js';
import { isLogicalType, logicalToJson, physicalBase } from './odcs-types.js';

type Obj = Record<string, unknown>;

/** The key of what ODCS says that Tessera carries but does not judge. */
export const ODCS_KEY = 'x-odcs';

/** `source` of guarantees read from the property flags, so export writes flags back, not quality rules. */
export const SOURCE_UNIQUE_FLAG = 'odcs:unique';
export const SOURCE_PRIMARY_KEY = 'odcs:primaryKey';
export const SOURCE_ODCS = 'odcs';

export interface OdcsObject {
  /** The object's ODCS name. */
  name: string;
  /** A lower-case asset id segment made from the name. */
  slug: string;
  schema: Obj;
  guarantees: Guarantee[];
  kind?: AssetKind;
  description?: string;
  /** Top-level properties. */
  columns: number;
}

export interface ChannelOffer {
  name: string;
  type: 'slack' | 'email' | 'webhook';
  /** `support[i]` it came from, and the address a person sets up under its URL variable. */
  from: string;
  address?: string;
  to?: string;
}

export interface OdcsMapping {
  apiVersion: string;
  id?: string;
  objects: OdcsObject[];
  /** The team offered as owner: ODCS `team.name` as a team name, and the members that are email addresses. */
  owner?: { team: string; from: string; members: string[]; usernames: string[] };
  channels: ChannelOffer[];
  /** What was read but has no Tessera meaning, each "where: why" (kept under x-odcs unless it says otherwise). */
  notMapped: string[];
}

const isStr = (v: unknown): v is string => typeof v === 'string';

/** A name -> an asset id or team name segment: lower case, runs of other characters to one "-". */
export function slugOf(raw: string, max = 64): string {
  return raw.trim().toLowerCase().replace(/[^a-z0-9_]+/g, '-').replace(/^[-_]+|[-_]+$/g, '').slice(0, max).replace(/[-_]+$/, '');
}

function without(o: Obj, keys: readonly string[]): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) if (!keys.includes(k)) out[k] = v;
  return out;
}

function withKept(target: Obj, kept: Obj): Obj {
  if (Object.keys(kept).length > 0) target[ODCS_KEY] = kept;
  return target;
}

interface Ctx {
  source: string;
  objectName: string;
  guarantees: Guarantee[];
  primaryKey: Array<{ column: string; position: number }>;
}

const OPERATORS = ['mustBe', 'mustNotBe', 'mustBeGreaterThan', 'mustBeGreaterOrEqualTo', 'mustBeLessThan', 'mustBeLessOrEqualTo', 'mustBeBetween', 'mustNotBeBetween'] as const;

function severityOf(rule: Obj): Guarantee['severity'] | undefined {
  if (rule.severity === 'error') return 'error';
  if (rule.severity === 'warning' || rule.severity === 'warn') return 'warn';
  return undefined;
}

/**
 * A quality rule -> a guarantee. Library rules whose operator says "none"
 * (`mustBe: 0`, counted in rows) are the well-known kinds; any other library
 * rule, and sql/custom/text rules, are kept by name (`odcs.<metric|type>`):
 * their removal is judged, their thresholds are not.
 */
function qualityGuarantee(rule: Obj, column: string | undefined): Guarantee {
  const metric = isStr(rule.metric) ? rule.metric : isStr(rule.rule) ? rule.rule : undefined;
  const type = isStr(rule.type) ? rule.type : 'library';
  const args = isObject(rule.arguments) ? rule.arguments : {};
  const used = OPERATORS.filter((o) => rule[o] !== undefined);
  const none = used.length === 1 && used[0] === 'mustBe' && rule.mustBe === 0 && (rule.unit === undefined || rule.unit === 'rows');
  const argKeys = Object.keys(args);
  const g: Guarantee = { kind: type === 'library' ? `odcs.${metric ?? 'library'}` : `odcs.${type}` };
  if (type === 'library' && metric !== undefined) {
    if (none && column !== undefined && metric === 'nullValues' && argKeys.length === 0) g.kind = 'not_null';
    else if (none && column !== undefined && metric === 'duplicateValues' && argKeys.length === 0) g.kind = 'unique';
    else if (none && column === undefined && metric === 'duplicateValues' && argKeys.length === 1 && Array.isArray(args.properties) && args.properties.every(isStr)) {
      g.kind = 'unique';
      g.columns = [...(args.properties as string[])];
    } else if (none && column !== undefined && metric === 'invalidValues' && argKeys.length === 1 && Array.isArray(args.validValues)) {
      g.kind = 'accepted_values';
      g.values = [...args.validValues];
    } else if (metric === 'rowCount' && column === undefined) g.kind = 'row_count';
  }
  if (column !== undefined) g.column = column;
  g.config = { odcs: rule };
  const severity = severityOf(rule);
  if (severity) g.severity = severity;
  g.source = SOURCE_ODCS;
  return g;
}

/** `receivers.id` -> to receivers, field id; anything else stays whole in `to`. */
function target(ref: unknown): { to?: string; field?: string } {
  if (!isStr(ref)) return {};
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(ref);
  return m ? { to: m[1]!, field: m[2]! } : { to: ref };
}

function relationshipGuarantee(rel: Obj, column: string | undefined, objectName: string): Guarantee {
  const g: Guarantee = { kind: 'relationships' };
  const local = (ref: string) => (ref.startsWith(`${objectName}.`) ? ref.slice(objectName.length + 1) : ref);
  if (column !== undefined) g.column = column;
  else if (isStr(rel.from)) g.column = local(rel.from);
  else if (Array.isArray(rel.from)) g.columns = rel.from.filter(isStr).map(local);
  if (isStr(rel.to)) Object.assign(g, target(rel.to));
  else if (Array.isArray(rel.to)) {
    const parts = rel.to.filter(isStr).map(target);
    const tables = [...new Set(parts.map((p) => p.to))];
    if (tables.length === 1 && tables[0] !== undefined) g.to = tables[0];
  }
  g.config = { odcs: rel };
  g.source = SOURCE_ODCS;
  return g;
}

// primaryKeyPosition is judged (the key's column order) and kept as written.
const PROPERTY_MAPPED = ['name', 'logicalType', 'logicalTypeOptions', 'physicalType', 'required', 'unique', 'primaryKey', 'description', 'examples', 'items', 'properties', 'quality', 'relationships'];

/** One ODCS property -> its JSON Schema; guarantees of it (and of nested properties, as `a.b`) go to ctx. */
function mapProperty(p: Obj, column: string, ctx: Ctx, where: string): Obj {
  const kept = without(p, PROPERTY_MAPPED);
  let schema: Obj = {};
  if (isLogicalType(p.logicalType)) {
    const { schema: s, rest } = logicalToJson(p.logicalType, isObject(p.logicalTypeOptions) ? p.logicalTypeOptions : undefined);
    schema = s;
    if (Object.keys(rest).length > 0) kept.logicalTypeOptions = rest;
  } else if (p.logicalType !== undefined) {
    kept.logicalType = p.logicalType;
    if (p.logicalTypeOptions !== undefined) kept.logicalTypeOptions = p.logicalTypeOptions;
  }
  if (isStr(p.physicalType) && p.physicalType.trim() !== '') {
    const base = physicalBase(p.physicalType);
    schema[PHYSICAL_TYPE_KEY] = base;
    // The parameters (varchar(18)) and the spelling are the author's: kept for export, judged as the base name.
    if (base !== p.physicalType) kept.physicalType = p.physicalType;
  }
  if (isStr(p.description)) schema.description = p.description;
  if (Array.isArray(p.examples)) schema.examples = p.examples;
  if (Array.isArray(p.properties)) Object.assign(schema, mapProperties(p.properties, `${column}.`, ctx, `${where}/properties`));
  if (isObject(p.items)) schema.items = mapProperty(p.items, `${column}[]`, ctx, `${where}/items`);
  if (p.unique === true) ctx.guarantees.push({ kind: 'unique', column, source: SOURCE_UNIQUE_FLAG });
  if (p.primaryKey === true) ctx.primaryKey.push({ column, position: typeof p.primaryKeyPosition === 'number' ? p.primaryKeyPosition : -1 });
  else if (p.primaryKey !== undefined) kept.primaryKey = p.primaryKey;
  if (p.unique !== undefined && p.unique !== true) kept.unique = p.unique;
  if (p.required !== undefined && p.required !== true) kept.required = p.required;
  if (Array.isArray(p.quality)) for (const rule of p.quality.filter(isObject)) ctx.guarantees.push(qualityGuarantee(rule, column));
  if (Array.isArray(p.relationships)) for (const rel of p.relationships.filter(isObject)) ctx.guarantees.push(relationshipGuarantee(rel, column, ctx.objectName));
  return withKept(schema, kept);
}

/** A property list -> `properties` and `required` of the enclosing object. */
function mapProperties(list: unknown[], prefix: string, ctx: Ctx, where: string): Obj {
  const properties: Obj = {};
  const required: string[] = [];
  list.forEach((raw, i) => {
    if (!isObject(raw) || !isStr(raw.name)) return;
    if (raw.name in properties) {
      throw schemaInputError(ctx.source, `${where}/${i} repeats the property name ${quote(raw.name)}`, 'give every property of an object its own name');
    }
    properties[raw.name] = mapProperty(raw, `${prefix}${raw.name}`, ctx, `${where}/${i}`);
    if (raw.required === true) required.push(raw.name);
  });
  return { properties, ...(required.length > 0 ? { required } : {}) };
}

const OBJECT_MAPPED = ['properties', 'quality', 'relationships', 'description'];

function mapObject(o: Obj, index: number, source: string, contract: Obj): OdcsObject {
  const name = o.name as string;
  const ctx: Ctx = { source, objectName: name, guarantees: [], primaryKey: [] };
  const where = `/schema/${index}`;
  const schema: Obj = { type: 'object' };
  if (isStr(o.description)) schema.description = o.description;
  Object.assign(schema, mapProperties(Array.isArray(o.properties) ? o.properties : [], '', ctx, `${where}/properties`));
  if (Array.isArray(o.quality)) for (const rule of o.quality.filter(isObject)) ctx.guarantees.push(qualityGuarantee(rule, undefined));
  if (Array.isArray(o.relationships)) for (const rel of o.relationships.filter(isObject)) ctx.guarantees.push(relationshipGuarantee(rel, undefined, name));
  if (ctx.primaryKey.length > 0) {
    const cols = [...ctx.primaryKey].sort((a, b) => (a.position < 0 ? Infinity : a.position) - (b.position < 0 ? Infinity : b.position)).map((k) => k.column);
    ctx.guarantees.push(cols.length === 1 ? { kind: 'primary_key', column: cols[0]!, source: SOURCE_PRIMARY_KEY } : { kind: 'primary_key', columns: cols, source: SOURCE_PRIMARY_KEY });
  }
  const kept: Obj = { object: without(o, OBJECT_MAPPED), contract };
  schema[ODCS_KEY] = kept;
  const kind = isStr(o.physicalType) && (ASSET_KINDS as readonly string[]).includes(o.physicalType.toLowerCase()) ? (o.physicalType.toLowerCase() as AssetKind) : undefined;
  return {
    name,
    slug: slugOf(name, 100),
    schema,
    guarantees: ctx.guarantees,
    ...(kind ? { kind } : {}),
    ...(isStr(o.description) ? { description: o.description } : {}),
    columns: Object.keys(schema.properties as Obj).length,
  };
}

/** SLA periods in Tessera's freshness units: [period, how many of it one ODCS unit is]. */
const SLA_UNITS: Record<string, [string, number]> = {
  m: ['minute', 1], min: ['minute', 1], mins: ['minute', 1], minute: ['minute', 1], minutes: ['minute', 1],
  h: ['hour', 1], hr: ['hour', 1], hrs: ['hour', 1], hour: ['hour', 1], hours: ['hour', 1],
  d: ['day', 1], day: ['day', 1], days: ['day', 1],
  w: ['day', 7], week: ['day', 7], weeks: ['day', 7],
  y: ['day', 365], yr: ['day', 365], year: ['day', 365], years: ['day', 365],
};
export const FRESHNESS_SLAS = ['latency', 'freshness'];

export function slaUnit(unit: unknown): [string, number] | undefined {
  return isStr(unit) ? SLA_UNITS[unit.trim().toLowerCase()] : undefined;
}

/**
 * freshness/latency SLAs -> a freshness guarantee on the object their
 * `element` (or slaDefaultElement) names, or on the only object. The rest
 * stay on the contract (x-odcs), listed as not mapped.
 */
function mapSlas(doc: Obj, objects: OdcsObject[], notMapped: string[]): Obj[] {
  const list = Array.isArray(doc.slaProperties) ? doc.slaProperties : [];
  const left: Obj[] = [];
  list.forEach((sla, i) => {
    const where = `slaProperties/${i}`;
    if (!isObject(sla)) return;
    const property = String(sla.property);
    if (!FRESHNESS_SLAS.includes(property)) {
      notMapped.push(`${where} (${property}): no Tessera guarantee; kept`);
      left.push(sla);
      return;
    }
    const unit = slaUnit(sla.unit);
    const value = typeof sla.value === 'number' ? sla.value : isStr(sla.value) && sla.value.trim() !== '' ? Number(sla.value) : Number.NaN;
    const element = isStr(sla.element) ? sla.element : isStr(doc.slaDefaultElement) ? doc.slaDefaultElement : undefined;
    const [table, field] = element ? (element.includes('.') ? [element.slice(0, element.indexOf('.')), element.slice(element.indexOf('.') + 1)] : [element, undefined]) : [undefined, undefined];
    const named = table !== undefined ? objects.find((o) => o.name === table || (o.schema[ODCS_KEY] as { object: Obj }).object.physicalName === table) : undefined;
    const on = named ?? (objects.length === 1 && (table === undefined || field === undefined) ? objects[0] : undefined);
    const why = !unit || !Number.isFinite(value) ? `unit ${quote(String(sla.unit))} or value ${quote(String(sla.value))} is not a duration` : !on ? (element === undefined ? `no element (nor slaDefaultElement) says which of the ${objects.length} schema objects it is about` : `element ${quote(element)} names no schema object`) : on.guarantees.some((g) => g.kind === 'freshness') ? 'the object already has a freshness guarantee' : undefined;
    if (why || !on || !unit) {
      notMapped.push(`${where} (${property}): ${why}; kept`);
      left.push(sla);
      return;
    }
    const g: Guarantee = { kind: 'freshness', config: { error_after: { count: value * unit[1], period: unit[0] }, odcs: sla }, source: SOURCE_ODCS };
    const column = named ? field : element?.includes('.') ? field : element;
    if (column !== undefined && column !== '') g.field = column;
    on.guarantees.push(g);
  });
  return left;
}

function ownerOffer(team: unknown): OdcsMapping['owner'] {
  const members = (Array.isArray(team) ? team : isObject(team) && Array.isArray(team.members) ? team.members : []).filter(isObject).filter((m) => !isStr(m.dateOut));
  const names = members.map((m) => m.username).filter(isStr);
  const emails = names.filter((n) => /^[^\s@]+@[^\s@]+$/.test(n));
  if (!isObject(team) || !isStr(team.name)) return undefined;
  const slug = slugOf(team.name);
  return slug ? { team: slug, from: `team.name ${quote(team.name)}`, members: emails, usernames: names.filter((n) => !emails.includes(n)) } : undefined;
}

function channelOffers(support: unknown, notMapped: string[]): ChannelOffer[] {
  const out: ChannelOffer[] = [];
  (Array.isArray(support) ? support : []).forEach((s, i) => {
    if (!isObject(s) || !isStr(s.channel)) return;
    const name = slugOf(s.channel);
    const tool = isStr(s.tool) ? s.tool.toLowerCase() : undefined;
    const url = isStr(s.url) ? s.url : undefined;
    const from = `support/${i}`;
    if (tool === 'slack') out.push({ name: name || `slack-${i}`, type: 'slack', from, address: s.channel });
    else if (url?.startsWith('mailto:') || tool === 'email') {
      const to = url?.startsWith('mailto:') ? url.slice('mailto:'.length) : s.channel.includes('@') ? s.channel : undefined;
      if (to) out.push({ name: name || `email-${i}`, type: 'email', from, to });
      else notMapped.push(`${from} (${s.channel}): an email channel without an address; kept`);
    } else if (url && /^https?:\/\//.test(url) && tool !== undefined && ['teams', 'googlechat', 'discord'].includes(tool)) {
      out.push({ name: name || `${tool}-${i}`, type: 'webhook', from, address: url });
    } else notMapped.push(`${from} (${s.channel}): ${tool ? `tool ${tool}` : 'no tool'}, not a channel Tessera sends to (slack, email, or a teams/googlechat/discord webhook URL); kept`);
  });
  // Channel names are one namespace: "#sales" on Slack and "sales" by email must not both be `sales`.
  const seen = new Set<string>();
  for (const c of out) {
    if (seen.has(c.name)) c.name = `${c.name}-${c.type}`;
    seen.add(c.name);
  }
  return out;
}

/** The mapping of a validated ODCS document; `only` selects one object by name (`--object`). */
export function mapOdcs(doc: Obj, source: string, only?: string): OdcsMapping {
  const list = Array.isArray(doc.schema) ? doc.schema.filter(isObject) : [];
  if (list.length === 0) {
    throw schemaInputError(source, 'is an ODCS contract without schema objects (schema is empty or absent): nothing to publish', 'add a schema object with its properties, or publish another contract');
  }
  if (only !== undefined && !list.some((o) => o.name === only)) {
    throw new InputError(`${source}: has no schema object named ${quote(only)}`, `use --object with one of: ${list.map((o) => String(o.name)).join(', ')}`);
  }
  const notMapped: string[] = [];
  const contract = without(doc, ['apiVersion', 'kind', 'schema', 'version', 'slaProperties']);
  const objects = list.flatMap((o, i) => (only === undefined || o.name === only ? [mapObject(o, i, source, contract)] : []));
  const slugs = new Map<string, string>();
  for (const o of objects) {
    const clash = slugs.get(o.slug);
    if (!o.slug || clash !== undefined) {
      throw schemaInputError(source, o.slug ? `schema objects ${quote(clash!)} and ${quote(o.name)} make the same asset id part ${quote(o.slug)}` : `schema object ${quote(o.name)} makes no asset id`, 'rename one, or publish one at a time with --object');
    }
    slugs.set(o.slug, o.name);
  }
  const slasLeft = mapSlas(doc, objects, notMapped);
  if (slasLeft.length > 0) contract.slaProperties = slasLeft;
  const owner = ownerOffer(doc.team);
  const channels = channelOffers(doc.support, notMapped);
  return { apiVersion: String(doc.apiVersion), ...(isStr(doc.id) ? { id: doc.id } : {}), objects, ...(owner ? { owner } : {}), channels, notMapped };
}
