/**
 * A permissive model of dbt's manifest.json, schema v4 (dbt 1.0) to v12
 * (dbt 1.8+). Every field is optional and every object keeps its unknown keys:
 * dbt adds fields in nearly every minor release, and code that needs a field
 * asks whether it is present rather than which version wrote it. A field of an
 * unexpected type is dropped (read as absent) instead of failing the whole
 * manifest, because one odd node must not block a sync of 10,000.
 */
import { z } from 'zod';
import { InputError } from '../core/errors.js';

/** An optional field that reads as undefined when it has an unexpected type. */
function opt<T extends z.ZodType>(schema: T) {
  return schema.nullish().catch(undefined);
}

const str = opt(z.string());
const bool = opt(z.boolean());
const strList = opt(z.array(z.unknown())).transform((v) => (v ?? []).filter((x): x is string => typeof x === 'string'));
const record = opt(z.record(z.string(), z.unknown()));

/** A record whose values are each parsed on their own: one bad entry is dropped, not fatal. */
function lenientRecord<T extends z.ZodType>(value: T) {
  return opt(z.record(z.string(), z.unknown())).transform((rec) => {
    const out = new Map<string, z.infer<T>>();
    for (const [k, v] of Object.entries(rec ?? {})) {
      const r = value.safeParse(v);
      if (r.success) out.set(k, r.data);
    }
    return out;
  });
}

const dependsOnSchema = z.looseObject({ nodes: strList, macros: strList });

export const dbtConstraintSchema = z.looseObject({
  type: str,
  name: str,
  expression: str,
  to: str,
  to_columns: strList,
  columns: strList,
  warn_unenforced: bool,
});
export type DbtConstraint = z.infer<typeof dbtConstraintSchema>;

const constraintList = opt(z.array(z.unknown())).transform((v) =>
  (v ?? []).flatMap((c) => {
    const r = dbtConstraintSchema.safeParse(c);
    return r.success ? [r.data] : [];
  }),
);

export const dbtColumnSchema = z.looseObject({
  name: str,
  description: str,
  data_type: str,
  quote: bool,
  meta: record,
  tags: strList,
  constraints: constraintList,
  config: opt(z.looseObject({ meta: record, tags: strList })),
});
export type DbtColumn = z.infer<typeof dbtColumnSchema>;

const contractSchema = z.looseObject({ enforced: bool, alias_types: bool });

const configSchema = z.looseObject({
  enabled: bool,
  alias: str,
  schema: str,
  database: str,
  materialized: str,
  severity: str,
  where: str,
  tags: opt(z.union([z.string(), z.array(z.unknown())])),
  meta: record,
  column_types: record,
  contract: opt(contractSchema),
  group: str,
  freshness: record,
  loaded_at_field: str,
});

const testMetadataSchema = z.looseObject({
  name: str,
  namespace: str,
  kwargs: record,
});

/** Anything under `nodes` (models, seeds, snapshots, tests, analyses, operations...). */
export const dbtNodeSchema = z.looseObject({
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
  config: opt(configSchema),
  columns: lenientRecord(dbtColumnSchema),
  constraints: constraintList,
  contract: opt(contractSchema),
  depends_on: opt(dependsOnSchema),
  group: str,
  access: str,
  // dbt writes versions as numbers or strings depending on the YAML.
  version: opt(z.union([z.string(), z.number()])),
  latest_version: opt(z.union([z.string(), z.number()])),
  original_file_path: str,
  // Tests.
  test_metadata: opt(testMetadataSchema),
  column_name: str,
  attached_node: str,
  file_key_name: str,
  // Sources.
  source_name: str,
  source_meta: record,
  loaded_at_field: str,
  freshness: record,
});
export type DbtNode = z.infer<typeof dbtNodeSchema>;

const ownerSchema = z.looseObject({ name: str, email: opt(z.union([z.string(), z.array(z.unknown())])) });

export const dbtExposureSchema = z.looseObject({
  unique_id: str,
  name: str,
  type: str,
  owner: opt(ownerSchema),
  meta: record,
  config: opt(z.looseObject({ enabled: bool, meta: record })),
  depends_on: opt(dependsOnSchema),
});
export type DbtExposure = z.infer<typeof dbtExposureSchema>;

export const dbtGroupSchema = z.looseObject({
  unique_id: str,
  name: str,
  owner: opt(ownerSchema),
});
export type DbtGroup = z.infer<typeof dbtGroupSchema>;

const stringListMap = opt(z.record(z.string(), z.unknown())).transform((rec) => {
  const out = new Map<string, string[]>();
  for (const [k, v] of Object.entries(rec ?? {})) {
    if (Array.isArray(v)) out.set(k, v.filter((x): x is string => typeof x === 'string'));
  }
  return out;
});

export const dbtManifestSchema = z.looseObject({
  metadata: z.looseObject({
    dbt_schema_version: str,
    dbt_version: str,
    generated_at: str,
    invocation_id: str,
    project_name: str,
    adapter_type: str,
  }),
  nodes: lenientRecord(dbtNodeSchema),
  sources: lenientRecord(dbtNodeSchema),
  exposures: lenientRecord(dbtExposureSchema),
  groups: lenientRecord(dbtGroupSchema),
  // Disabled entries are lists (one per definition); only their count is used.
  disabled: opt(z.record(z.string(), z.unknown())),
  child_map: stringListMap,
  parent_map: stringListMap,
  unit_tests: opt(z.record(z.string(), z.unknown())),
});

/** The parsed manifest; maps are keyed by unique_id. */
export type DbtManifest = z.infer<typeof dbtManifestSchema> & { schemaVersion: number };

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

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
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
  const parsed = dbtManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new InputError(`unreadable dbt manifest: ${parsed.error.issues[0]?.message ?? 'invalid'}`, regen);
  }
  return { ...parsed.data, schemaVersion: declared.version };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? 'a string' : typeof v;
}
