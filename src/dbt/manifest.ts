/**
 * A permissive model of dbt's manifest.json, schema v4 (dbt 1.0) to v12
 * (dbt 1.8+). Every field is optional and unknown keys are ignored: dbt adds
 * fields in nearly every minor release, and code that needs a field
 * asks whether it is present rather than which version wrote it. A field of an
 * unexpected type is dropped (read as absent) instead of failing the whole
 * manifest, because one odd node must not block a sync of 10,000.
 */
import { z } from 'zod';
import { InputError } from '../core/errors.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The model is built twice from one description: `strict` types every field
 * (fast, zod's compiled object path) and `lenient` reads a mistyped field as
 * absent. A value is parsed strictly first and leniently only when that
 * fails, so a clean 10,000-model manifest pays for the fast path alone.
 */
function schemas(lenient: boolean) {
  const opt = <T extends z.ZodType>(schema: T) => (lenient ? schema.nullish().catch(undefined) : schema.nullish());
  const str = opt(z.string());
  const bool = opt(z.boolean());
  const num = opt(z.number());
  const strList = opt(lenient ? z.array(z.unknown()).transform((v) => v.filter((x): x is string => typeof x === 'string')) : z.array(z.string()));
  // z.record copies and checks every key; a plain-object check is all these need.
  const record = opt(z.custom<Record<string, unknown>>(isObject));
  const anyList = opt(z.array(z.unknown()));

  const dependsOn = z.object({ nodes: strList, macros: strList });
  const constraint = z.object({
    type: str,
    name: str,
    expression: str,
    to: str,
    to_columns: strList,
    columns: strList,
    warn_unenforced: bool,
  });
  const column = z.object({
    name: str,
    description: str,
    data_type: str,
    quote: bool,
    meta: record,
    tags: strList,
    constraints: anyList,
    config: opt(z.object({ meta: record, tags: strList })),
  });
  const contract = z.object({ enforced: bool, alias_types: bool });
  const config = z.object({
    enabled: bool,
    alias: str,
    schema: str,
    database: str,
    materialized: str,
    severity: str,
    where: str,
    meta: record,
    column_types: record,
    contract: opt(contract),
    group: str,
    freshness: record,
    loaded_at_field: str,
  });
  const node = z.object({
    unique_id: str,
    resource_type: str,
    name: str,
    package_name: str,
    database: str,
    schema: str,
    alias: str,
    identifier: str,
    relation_name: str,
    description: str,
    tags: strList,
    meta: record,
    config: opt(config),
    // Parsed per column afterwards (see readNode): one bad column must not cost the node.
    columns: record,
    constraints: anyList,
    contract: opt(contract),
    depends_on: opt(dependsOn),
    group: str,
    access: str,
    // dbt writes versions as numbers or strings depending on the YAML.
    version: opt(z.union([z.string(), z.number()])),
    latest_version: opt(z.union([z.string(), z.number()])),
    original_file_path: str,
    // Tests.
    test_metadata: opt(z.object({ name: str, namespace: str, kwargs: record })),
    column_name: str,
    attached_node: str,
    file_key_name: str,
    // Sources.
    source_name: str,
    source_meta: record,
    loaded_at_field: str,
    freshness: record,
  });
  const owner = z.object({ name: str, email: str });
  const exposure = z.object({
    unique_id: str,
    name: str,
    type: str,
    owner: opt(owner),
    meta: record,
    config: opt(z.object({ enabled: bool, meta: record })),
    depends_on: opt(dependsOn),
  });
  const group = z.object({ unique_id: str, name: str, owner: opt(owner) });
  const metadata = z.object({
    dbt_schema_version: str,
    dbt_version: str,
    generated_at: str,
    invocation_id: str,
    project_name: str,
    adapter_type: str,
    execution_time: num,
  });
  return { constraint, column, node, exposure, group, metadata };
}

const STRICT = schemas(false);
const LENIENT = schemas(true);

type Strict = typeof STRICT;

/** Parses strictly, then leniently; undefined when even the lenient model refuses (not an object). */
function read<K extends keyof Strict>(kind: K, value: unknown): z.infer<Strict[K]> | undefined {
  const fast = STRICT[kind].safeParse(value);
  if (fast.success) return fast.data as z.infer<Strict[K]>;
  const slow = LENIENT[kind].safeParse(value);
  return slow.success ? (slow.data as z.infer<Strict[K]>) : undefined;
}

export type DbtConstraint = z.infer<Strict['constraint']>;
export type DbtColumn = Omit<z.infer<Strict['column']>, 'constraints'> & { constraints: DbtConstraint[] };
export type DbtNode = Omit<z.infer<Strict['node']>, 'columns' | 'constraints'> & {
  columns: Map<string, DbtColumn>;
  constraints: DbtConstraint[];
};
export type DbtExposure = z.infer<Strict['exposure']>;
export type DbtGroup = z.infer<Strict['group']>;

function constraints(list: readonly unknown[] | null | undefined): DbtConstraint[] {
  return (list ?? []).flatMap((c) => {
    const r = read('constraint', c);
    return r ? [r] : [];
  });
}

function readNode(value: unknown): DbtNode | undefined {
  const n = read('node', value);
  if (!n) return undefined;
  const columns = new Map<string, DbtColumn>();
  if (n.columns) {
    for (const [k, v] of Object.entries(n.columns)) {
      const c = read('column', v);
      if (c) columns.set(k, { ...c, constraints: constraints(c.constraints) });
    }
  }
  return { ...n, columns, constraints: constraints(n.constraints) };
}

/** Entries of an object-valued field, each read on its own: a bad entry is dropped, not fatal. */
function entries<T>(value: unknown, readOne: (v: unknown) => T | undefined): Map<string, T> {
  const out = new Map<string, T>();
  if (!isObject(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    const r = readOne(v);
    if (r !== undefined) out.set(k, r);
  }
  return out;
}

function stringLists(value: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!isObject(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    if (Array.isArray(v)) out.set(k, v.filter((x): x is string => typeof x === 'string'));
  }
  return out;
}

export interface DbtManifest {
  /** N of `.../dbt/manifest/vN.json`. */
  schemaVersion: number;
  metadata: z.infer<Strict['metadata']>;
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
  const meta = read('metadata', metadata);
  if (!meta) throw new InputError('unreadable dbt manifest: metadata is not an object', regen);
  const disabled = json['disabled'];
  const unitTests = json['unit_tests'];
  return {
    schemaVersion: declared.version,
    metadata: meta,
    nodes: entries(json['nodes'], readNode),
    sources: entries(json['sources'], readNode),
    exposures: entries(json['exposures'], (v) => read('exposure', v)),
    groups: entries(json['groups'], (v) => read('group', v)),
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
