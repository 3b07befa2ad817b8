/**
 * The zod model that src/dbt/manifest.ts replaced (hand-written reader, same
 * semantics): kept here as the reference the equivalence test compares with.
 */
import { z } from 'zod';

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
    raw_code: str,
    compiled_code: str,
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

type DbtConstraint = z.infer<Strict['constraint']>;
type DbtColumn = Omit<z.infer<Strict['column']>, 'constraints'> & { constraints: DbtConstraint[] };
type DbtNode = Omit<z.infer<Strict['node']>, 'columns' | 'constraints'> & {
  columns: Map<string, DbtColumn>;
  constraints: DbtConstraint[];
};
type DbtExposure = z.infer<Strict['exposure']>;
type DbtGroup = z.infer<Strict['group']>;

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



/** Nodes, sources, exposures and groups of a manifest as the zod model read them. */
export function referenceRead(json: Record<string, unknown>) {
  return {
    metadata: read('metadata', json['metadata']),
    nodes: entries(json['nodes'], readNode),
    sources: entries(json['sources'], readNode),
    exposures: entries(json['exposures'], (v) => read('exposure', v)),
    groups: entries(json['groups'], (v) => read('group', v)),
  };
}
