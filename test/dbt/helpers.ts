/** Reading dbt artifacts for tests: the shared real fixtures and the project's own demo. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sharedPath } from '../helpers/shared.js';
import { parseManifest, type DbtManifest } from '../../src/dbt/manifest.js';
import type { DbtAssetPlan, DbtPlan } from '../../src/dbt/plan.js';

export const FIXTURES = ['jaffle-shop-v4', 'tuva-v8', 'dbt-docs-mesh-v9', 'bouncer-v11', 'jaffle-shop-v12-build', 'bouncer-v12'] as const;
export type FixtureName = (typeof FIXTURES)[number];

export function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

export function fixtureJson(name: FixtureName, file: 'manifest.json' | 'run_results.json' = 'manifest.json'): unknown {
  return readJson(sharedPath('fixtures', 'dbt', name, file));
}

const cache = new Map<string, DbtManifest>();
export function fixtureManifest(name: FixtureName): DbtManifest {
  let m = cache.get(name);
  if (!m) {
    m = parseManifest(fixtureJson(name));
    cache.set(name, m);
  }
  return m;
}

export const DEMO_DIR = fileURLToPath(new URL('../../fixtures/dbt-demo/', import.meta.url));

export function demoJson(file: 'manifest.json' | 'manifest-breaking.json' | 'run_results.json'): unknown {
  return readJson(DEMO_DIR + file);
}

export function asset(plan: DbtPlan, uniqueId: string): DbtAssetPlan {
  const a = plan.assets.find((x) => x.uniqueId === uniqueId);
  if (!a) throw new Error(`no asset for ${uniqueId}`);
  return a;
}

/** A minimal v12 manifest around the given nodes, for hand-made cases. */
export function miniManifest(parts: {
  nodes?: Record<string, unknown>;
  sources?: Record<string, unknown>;
  exposures?: Record<string, unknown>;
  groups?: Record<string, unknown>;
  adapter?: string;
  version?: number;
}): Record<string, unknown> {
  return {
    metadata: {
      dbt_schema_version: `https://schemas.getdbt.com/dbt/manifest/v${parts.version ?? 12}.json`,
      dbt_version: '1.9.0',
      invocation_id: 'inv-1',
      project_name: 'mini',
      adapter_type: parts.adapter ?? 'postgres',
    },
    nodes: parts.nodes ?? {},
    sources: parts.sources ?? {},
    exposures: parts.exposures ?? {},
    groups: parts.groups ?? {},
    child_map: {},
    parent_map: {},
  };
}

export function miniModel(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    unique_id: `model.mini.${name}`,
    resource_type: 'model',
    name,
    package_name: 'mini',
    database: 'db',
    schema: 'sch',
    alias: name,
    config: { enabled: true },
    columns: {},
    depends_on: { nodes: [] },
    ...extra,
  };
}

export function miniTest(name: string, attached: string, kind: string, column: string | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { config, kwargs, ...rest } = extra as { config?: Record<string, unknown>; kwargs?: Record<string, unknown> };
  return {
    unique_id: `test.mini.${name}`,
    resource_type: 'test',
    name,
    config: { enabled: true, severity: 'ERROR', ...config },
    attached_node: attached,
    column_name: column ?? null,
    depends_on: { nodes: [attached] },
    test_metadata: { name: kind, namespace: null, kwargs: { column_name: column, ...kwargs } },
    ...rest,
  };
}
