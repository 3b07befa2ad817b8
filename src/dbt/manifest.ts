/**
 * A permissive reader of dbt's manifest.json, schema v4 (dbt 1.0) to v12
 * (dbt 1.8+). Every field is optional and unknown keys are ignored: dbt adds
 * fields in nearly every minor release, and code that needs a field
 * asks whether it is present rather than which version wrote it. A field of an
 * unexpected type is dropped (read as absent) instead of failing the whole
 * manifest, because one odd node must not block a sync of 10,000.
 *
 * Hand-written rather than zod: a 5,000-model manifest has 150,000 columns,
 * and a per-node schema parse (strict, then forgiving when that fails) cost
 * more than JSON.parse of the file. The rules per field, which a test checks
 * against the former zod model on real manifests and on mistyped ones:
 * a value of the field's type is kept, `null` is kept as null, anything else
 * reads as absent; a list of strings keeps only its strings; a nested object
 * is read by the same rules; an entry (node, column, constraint) that is not
 * an object is dropped.
 */
import { InputError } from '../core/errors.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

type Maybe<T> = T | null | undefined;

export interface DbtConstraint {
  type?: Maybe<string>;
  name?: Maybe<string>;
  expression?: Maybe<string>;
  to?: Maybe<string>;
  to_columns?: Maybe<string[]>;
  columns?: Maybe<string[]>;
  warn_unenforced?: Maybe<boolean>;
}

export interface DbtColumn {
  name?: Maybe<string>;
  description?: Maybe<string>;
  data_type?: Maybe<string>;
  quote?: Maybe<boolean>;
  meta?: Maybe<Record<string, unknown>>;
  tags?: Maybe<string[]>;
  config?: Maybe<{ meta?: Maybe<Record<string, unknown>>; tags?: Maybe<string[]> }>;
  constraints: DbtConstraint[];
}

export interface DbtContract {
  enforced?: Maybe<boolean>;
  alias_types?: Maybe<boolean>;
}

export interface DbtDependsOn {
  nodes?: Maybe<string[]>;
  macros?: Maybe<string[]>;
}

export interface DbtNodeConfig {
  enabled?: Maybe<boolean>;
  alias?: Maybe<string>;
  schema?: Maybe<string>;
  database?: Maybe<string>;
  materialized?: Maybe<string>;
  severity?: Maybe<string>;
  where?: Maybe<string>;
  meta?: Maybe<Record<string, unknown>>;
  column_types?: Maybe<Record<string, unknown>>;
  contract?: Maybe<DbtContract>;
  group?: Maybe<string>;
  freshness?: Maybe<Record<string, unknown>>;
  loaded_at_field?: Maybe<string>;
}

export interface DbtNode {
  unique_id?: Maybe<string>;
  resource_type?: Maybe<string>;
  name?: Maybe<string>;
  package_name?: Maybe<string>;
  database?: Maybe<string>;
  schema?: Maybe<string>;
  alias?: Maybe<string>;
  identifier?: Maybe<string>;
  relation_name?: Maybe<string>;
  description?: Maybe<string>;
  tags?: Maybe<string[]>;
  meta?: Maybe<Record<string, unknown>>;
  config?: Maybe<DbtNodeConfig>;
  /**
   * The node's `columns` as dbt wrote them (an object, else empty), not
   * copied: 150,000 columns in a 5,000-model manifest are read once, where
   * the schema is built, through eachColumn() (or nodeColumns()).
   */
  columns: Readonly<Record<string, unknown>>;
  constraints: DbtConstraint[];
  contract?: Maybe<DbtContract>;
  depends_on?: Maybe<DbtDependsOn>;
  group?: Maybe<string>;
  access?: Maybe<string>;
  /** dbt writes versions as numbers or strings depending on the YAML. */
  version?: Maybe<string | number>;
  latest_version?: Maybe<string | number>;
  original_file_path?: Maybe<string>;
  /** The model's SQL: lineage reads the columns a cross-team model selects from its upstream (lineage.ts). */
  raw_code?: Maybe<string>;
  compiled_code?: Maybe<string>;
  // Tests.
  test_metadata?: Maybe<{ name?: Maybe<string>; namespace?: Maybe<string>; kwargs?: Maybe<Record<string, unknown>> }>;
  column_name?: Maybe<string>;
  attached_node?: Maybe<string>;
  file_key_name?: Maybe<string>;
  // Sources.
  source_name?: Maybe<string>;
  source_meta?: Maybe<Record<string, unknown>>;
  loaded_at_field?: Maybe<string>;
  freshness?: Maybe<Record<string, unknown>>;
}

export interface DbtOwner {
  name?: Maybe<string>;
  email?: Maybe<string>;
}

export interface DbtExposure {
  unique_id?: Maybe<string>;
  name?: Maybe<string>;
  type?: Maybe<string>;
  owner?: Maybe<DbtOwner>;
  meta?: Maybe<Record<string, unknown>>;
  config?: Maybe<{ enabled?: Maybe<boolean>; meta?: Maybe<Record<string, unknown>> }>;
  depends_on?: Maybe<DbtDependsOn>;
}

export interface DbtGroup {
  unique_id?: Maybe<string>;
  name?: Maybe<string>;
  owner?: Maybe<DbtOwner>;
}

export interface DbtMetadata {
  dbt_schema_version?: Maybe<string>;
  dbt_version?: Maybe<string>;
  generated_at?: Maybe<string>;
  invocation_id?: Maybe<string>;
  project_name?: Maybe<string>;
  adapter_type?: Maybe<string>;
  execution_time?: Maybe<number>;
}

/** A field reader: the value to keep, or undefined for a value of the wrong type (read as absent). */
type Field = (v: unknown) => unknown;
type Shape = ReadonlyArray<readonly [string, Field]>;

const str: Field = (v) => (typeof v === 'string' ? v : undefined);
const bool: Field = (v) => (typeof v === 'boolean' ? v : undefined);
const num: Field = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const strOrNum: Field = (v) => (typeof v === 'string' ? v : num(v));
const strList: Field = (v) => {
  if (!Array.isArray(v)) return undefined;
  const out: string[] = [];
  for (const x of v) if (typeof x === 'string') out.push(x);
  return out;
};
const record: Field = (v) => (isObject(v) ? v : undefined);
const anyList: Field = (v) => (Array.isArray(v) ? v.slice() : undefined);
const object = (shape: Shape): Field => (v) => (isObject(v) ? readShape(shape, v, {}) : undefined);

/** Copies the shape's fields of `v` into `out`: null stays null, a wrong type is left out, unknown keys are ignored. */
function readShape<T extends Record<string, unknown>>(shape: Shape, v: Record<string, unknown>, out: T): T {
  for (let i = 0; i < shape.length; i++) {
    const [key, field] = shape[i]!;
    const x = v[key];
    if (x === undefined) continue;
    if (x === null) {
      (out as Record<string, unknown>)[key] = null;
      continue;
    }
    const r = field(x);
    if (r !== undefined) (out as Record<string, unknown>)[key] = r;
  }
  return out;
}

const dependsOn = object([['nodes', strList], ['macros', strList]]);
const contract = object([['enforced', bool], ['alias_types', bool]]);
const CONSTRAINT: Shape = [
  ['type', str],
  ['name', str],
  ['expression', str],
  ['to', str],
  ['to_columns', strList],
  ['columns', strList],
  ['warn_unenforced', bool],
];
const CONFIG: Shape = [
  ['enabled', bool],
  ['alias', str],
  ['schema', str],
  ['database', str],
  ['materialized', str],
  ['severity', str],
  ['where', str],
  ['meta', record],
  ['column_types', record],
  ['contract', contract],
  ['group', str],
  ['freshness', record],
  ['loaded_at_field', str],
];
/** Nodes minus `columns` and `constraints`, which are read entry by entry (one bad column must not cost the node). */
const NODE: Shape = [
  ['unique_id', str],
  ['resource_type', str],
  ['name', str],
  ['package_name', str],
  ['database', str],
  ['schema', str],
  ['alias', str],
  ['identifier', str],
  ['relation_name', str],
  ['description', str],
  ['tags', strList],
  ['meta', record],
  ['config', object(CONFIG)],
  ['contract', contract],
  ['depends_on', dependsOn],
  ['group', str],
  ['access', str],
  ['version', strOrNum],
  ['latest_version', strOrNum],
  ['original_file_path', str],
  ['raw_code', str],
  ['compiled_code', str],
  ['test_metadata', object([['name', str], ['namespace', str], ['kwargs', record]])],
  ['column_name', str],
  ['attached_node', str],
  ['file_key_name', str],
  ['source_name', str],
  ['source_meta', record],
  ['loaded_at_field', str],
  ['freshness', record],
];
const OWNER = object([['name', str], ['email', str]]);
const EXPOSURE: Shape = [
  ['unique_id', str],
  ['name', str],
  ['type', str],
  ['owner', OWNER],
  ['meta', record],
  ['config', object([['enabled', bool], ['meta', record]])],
  ['depends_on', dependsOn],
];
const GROUP: Shape = [['unique_id', str], ['name', str], ['owner', OWNER]];
const METADATA: Shape = [
  ['dbt_schema_version', str],
  ['dbt_version', str],
  ['generated_at', str],
  ['invocation_id', str],
  ['project_name', str],
  ['adapter_type', str],
  ['execution_time', num],
];

/** Shared by every entry without constraints (most columns); never mutated. */
const NO_CONSTRAINTS: DbtConstraint[] = [];
const NO_COLUMNS: Readonly<Record<string, unknown>> = Object.freeze({});

/** The constraints of a list that are objects, each read by the constraint rules. */
export function constraints(list: unknown): DbtConstraint[] {
  if (!Array.isArray(list) || list.length === 0) return NO_CONSTRAINTS;
  const out: DbtConstraint[] = [];
  for (const c of list) if (isObject(c)) out.push(readShape(CONSTRAINT, c, {}));
  return out.length > 0 ? out : NO_CONSTRAINTS;
}

const COLUMN_CONFIG = object([['meta', record], ['tags', strList]]);

/** One column by the field rules; undefined when it is not an object. */
export function readColumn(value: unknown): DbtColumn | undefined {
  if (!isObject(value)) return undefined;
  const c: DbtColumn & Record<string, unknown> = { constraints: constraints(value['constraints']) };
  let x = value['name'];
  if (typeof x === 'string' || x === null) c.name = x;
  x = value['description'];
  if (typeof x === 'string' || x === null) c.description = x;
  x = value['data_type'];
  if (typeof x === 'string' || x === null) c.data_type = x;
  x = value['quote'];
  if (typeof x === 'boolean' || x === null) c.quote = x;
  x = value['meta'];
  if (x === null || isObject(x)) c.meta = x;
  x = value['tags'];
  if (x === null) c.tags = null;
  else if (Array.isArray(x)) c.tags = strList(x) as string[];
  x = value['config'];
  if (x === null) c.config = null;
  else if (x !== undefined) {
    const r = COLUMN_CONFIG(x);
    if (r !== undefined) c.config = r as DbtColumn['config'];
  }
  return c;
}

/**
 * What the schema needs of each column, read by the same field rules as
 * readColumn() without building a copy of it: the column's key, its `name`
 * (a string, else the key), `quote`, `data_type` and `description` when they
 * are strings, and its constraints. Columns that are not objects are skipped.
 */
export interface ColumnFacts {
  key: string;
  name: string;
  quote: boolean;
  dataType: string | undefined;
  description: string | undefined;
  constraints: DbtConstraint[];
}

export function eachColumn(node: DbtNode, visit: (c: ColumnFacts) => void): void {
  const raw = node.columns;
  // One record, refilled per column: the visitor copies what it keeps.
  const facts: ColumnFacts = { key: '', name: '', quote: false, dataType: undefined, description: undefined, constraints: NO_CONSTRAINTS };
  for (const key in raw) {
    if (!Object.hasOwn(raw, key)) continue;
    const col = raw[key];
    if (!isObject(col)) continue;
    const name = col['name'];
    const dataType = col['data_type'];
    const description = col['description'];
    facts.key = key;
    facts.name = typeof name === 'string' ? name : key;
    facts.quote = col['quote'] === true;
    facts.dataType = typeof dataType === 'string' ? dataType : undefined;
    facts.description = typeof description === 'string' ? description : undefined;
    facts.constraints = constraints(col['constraints']);
    visit(facts);
  }
}

/** Every column of a node read by the field rules (tests and tools; planning uses eachColumn). */
export function nodeColumns(node: DbtNode): Map<string, DbtColumn> {
  const out = new Map<string, DbtColumn>();
  for (const key in node.columns) {
    if (!Object.hasOwn(node.columns, key)) continue;
    const c = readColumn(node.columns[key]);
    if (c) out.set(key, c);
  }
  return out;
}

/**
 * Every top-level field of a node (in `nodes` and `sources`) that reading a
 * manifest looks at: the NODE shape plus `columns` and `constraints`. A
 * field not listed (checksum, fqn, ...) cannot change a plan, which is what
 * the contract-input fingerprint relies on. The SQL (raw_code,
 * compiled_code) is listed: the columns a cross-team model selects are the
 * default fields of its team's registration (docs/scoped-acks.md).
 */
export const NODE_FIELDS: readonly string[] = [...NODE.map(([key]) => key), 'columns', 'constraints'];

function readNode(value: unknown): DbtNode | undefined {
  if (!isObject(value)) return undefined;
  const n = readShape(NODE, value, {} as DbtNode & Record<string, unknown>);
  const raw = value['columns'];
  n.columns = isObject(raw) ? raw : NO_COLUMNS;
  n.constraints = constraints(value['constraints']);
  return n;
}

/** Entries of an object-valued field, each read on its own: a bad entry is dropped, not fatal. */
function entries<T>(value: unknown, readOne: (v: unknown) => T | undefined): Map<string, T> {
  const out = new Map<string, T>();
  if (!isObject(value)) return out;
  for (const k in value) {
    if (!Object.hasOwn(value, k)) continue;
    const r = readOne(value[k]);
    if (r !== undefined) out.set(k, r);
  }
  return out;
}

function stringLists(value: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!isObject(value)) return out;
  for (const k in value) {
    if (!Object.hasOwn(value, k)) continue;
    const v = value[k];
    if (Array.isArray(v)) out.set(k, strList(v) as string[]);
  }
  return out;
}

export interface DbtManifest {
  /** N of `.../dbt/manifest/vN.json`. */
  schemaVersion: number;
  metadata: DbtMetadata;
  nodes: Map<string, DbtNode>;
  sources: Map<string, DbtNode>;
  exposures: Map<string, DbtExposure>;
  groups: Map<string, DbtGroup>;
  child_map: Map<string, string[]>;
  parent_map: Map<string, string[]>;
  /** Counts only: disabled nodes and unit tests are never assets. */
  disabledCount: number;
  unitTestCount: number;
}


/** Oldest manifest schema read: v4 is dbt 1.0, the first with a stable node shape. */
export const MIN_MANIFEST_VERSION = 4;
/** Newest schema checked against real manifests; newer ones are read the same way. */
export const MAX_TESTED_MANIFEST_VERSION = 12;

const VERSION_URL = /\/dbt\/([a-z-]+)\/v(\d+)\.json$/;

/** `https://schemas.getdbt.com/dbt/manifest/v12.json` -> { artifact: 'manifest', version: 12 }. */
export function artifactVersion(url: unknown): { artifact: string; version: number } | undefined {
  if (typeof url !== 'string') return undefined;
  const m = VERSION_URL.exec(url.trim());
  if (!m || !m[1] || !m[2]) return undefined;
  return { artifact: m[1], version: Number(m[2]) };
}

/**
 * The metadata object of a manifest, read by the field rules, with its schema
 * version; undefined when it declares no manifest schema version. The header
 * of a report is derived from it alone (planning a cached manifest reads no
 * other part of the file).
 */
export function readManifestMetadata(metadata: unknown): { schemaVersion: number; metadata: DbtMetadata } | undefined {
  if (!isObject(metadata)) return undefined;
  const declared = artifactVersion(metadata['dbt_schema_version']);
  if (!declared || declared.artifact !== 'manifest' || declared.version < MIN_MANIFEST_VERSION) return undefined;
  return { schemaVersion: declared.version, metadata: readShape(METADATA, metadata, {} as DbtMetadata & Record<string, unknown>) };
}

/**
 * Reads a parsed manifest.json. Refuses, with a one-line InputError that says
 * what the input is and what to do: non-objects, other dbt artifacts
 * (run_results, catalog, sources), manifests older than v4, and objects
 * without `metadata` or `nodes`.
 */
export function parseManifest(json: unknown): DbtManifest {
  const regen = 'regenerate it with dbt >= 1.0: dbt parse';
  if (!isObject(json)) {
    throw new InputError(`not a dbt manifest: expected a JSON object, got ${describe(json)}`, `pass target/manifest.json; ${regen}`);
  }
  const metadata = json['metadata'];
  const declared = isObject(metadata) ? artifactVersion(metadata['dbt_schema_version']) : undefined;
  if (declared && declared.artifact !== 'manifest') {
    throw new InputError(
      `not a dbt manifest: this is a dbt ${declared.artifact} file (v${declared.version})`,
      'pass target/manifest.json, written by dbt parse, compile, run or build',
    );
  }
  if (!isObject(metadata) || !isObject(json['nodes'])) {
    const looksLikeRunResults = Array.isArray(json['results']);
    throw new InputError(
      looksLikeRunResults
        ? 'not a dbt manifest: this looks like run_results.json (it has "results", no "nodes")'
        : `not a dbt manifest: missing ${isObject(metadata) ? '"nodes"' : '"metadata"'}`,
      `pass target/manifest.json; ${regen}`,
    );
  }
  if (!declared) {
    throw new InputError('not a dbt manifest: metadata.dbt_schema_version is missing or unreadable', regen);
  }
  if (declared.version < MIN_MANIFEST_VERSION) {
    throw new InputError(
      `dbt manifest v${declared.version} is too old (dbt ${String(metadata['dbt_version'] ?? '< 1.0')}); Tessera reads v${MIN_MANIFEST_VERSION} and newer`,
      regen,
    );
  }
  const meta = readShape(METADATA, metadata, {} as DbtMetadata & Record<string, unknown>);
  const disabled = json['disabled'];
  const unitTests = json['unit_tests'];
  return {
    schemaVersion: declared.version,
    metadata: meta,
    nodes: entries(json['nodes'], readNode),
    sources: entries(json['sources'], readNode),
    exposures: entries(json['exposures'], (v) => (isObject(v) ? readShape(EXPOSURE, v, {} as DbtExposure & Record<string, unknown>) : undefined)),
    groups: entries(json['groups'], (v) => (isObject(v) ? readShape(GROUP, v, {} as DbtGroup & Record<string, unknown>) : undefined)),
    child_map: stringLists(json['child_map']),
    parent_map: stringLists(json['parent_map']),
    disabledCount: isObject(disabled) ? Object.keys(disabled).length : 0,
    unitTestCount: isObject(unitTests) ? Object.keys(unitTests).length : 0,
  };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? 'a string' : typeof v;
}
