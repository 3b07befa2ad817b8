/**
 * A no-change sync tells unchanged contracts by digest (src/core/contract-digest.ts)
 * instead of loading and comparing every stored version: checked on a real
 * registry that sync-dbt wrote, with the reader (src/cli/sync-dbt/state.ts)
 * and the planner together, including the cases where the digest must not
 * decide: the same contract with its keys in another order, a changed one,
 * and a retired asset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { cleanupTempDirs, tempDir } from '../helpers/machines.js';
import { DEMO_DIR, demoJson } from '../dbt/helpers.js';
import { freshRegistry, runJson } from './helpers.js';
import { parseManifest, planFromManifest, type DbtAssetPlan, type DbtPlan } from '../../src/dbt/index.js';
import { Repository } from '../../src/registry/repository.js';
import { readConfig } from '../../src/registry/state.js';
import { readRegistryState } from '../../src/cli/sync-dbt/state.js';
import { planSync, type SyncAssetState } from '../../src/core/sync.js';
import { CONTRACT_DIGEST_ID, contractDigest } from '../../src/core/contract-digest.js';
import { CONFIG_PATH, MAIN_REF } from '../../src/core/paths.js';
import { registryConfigSchema } from '../../src/core/model.js';

afterAll(cleanupTempDirs);

const NOW = '2026-11-26T12:00:00Z';

function demoPlan(): DbtPlan {
  return planFromManifest(parseManifest(demoJson('manifest.json')), { ownerDefault: 'data-platform' });
}

/** Read the registry the way sync-dbt does, for these planned assets; the parse cache is saved on close. */
async function stateFor(registry: string, assets: readonly DbtAssetPlan[]) {
  const repo = await Repository.openGitDir(registry);
  try {
    repo.useParseCache();
    const snap = await repo.snapshot(MAIN_REF, [CONFIG_PATH, 'assets', 'teams']);
    const config = await readConfig(snap);
    const packages = new Set(assets.map((a) => a.packageName).filter((p): p is string => Boolean(p)));
    const contracts = assets.map((a) => ({ id: a.id, digest: contractDigest(a.schema, a.guarantees) }));
    const read = await readRegistryState(repo, snap, config, contracts, { packages });
    const plan = planSync({ assets, teams: [], state: read.state, missing: read.missing, existingTeams: read.existingTeams, config, actor: 'ci-bot@acme.com', now: NOW });
    return { read, plan };
  } finally {
    repo.close();
  }
}

/** The same value with every object's keys in reverse order. */
function reordered<T>(v: T): T {
  if (Array.isArray(v)) return v.map(reordered) as T;
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reordered(x)])) as T;
}

describe('unchanged contracts are told by digest', () => {
  let registry: string;
  beforeAll(async () => {
    const root = tempDir('tessera-digest-');
    const reg = await freshRegistry(root);
    registry = reg.registry;
    const out = await runJson(reg.ci, ['sync-dbt', path.join(DEMO_DIR, 'manifest.json'), '--owner-default', 'data-platform']);
    expect(out.counts.created).toBeGreaterThan(5);
  });

  it('every contract sync-dbt wrote matches its planned digest, so no version file is loaded', async () => {
    const planned = demoPlan();
    const { read, plan } = await stateFor(registry, planned.assets);
    expect(read.state.size).toBe(planned.assets.length);
    for (const [id, st] of read.state) {
      expect(st.sameContract, id).toBe(true);
      expect(st.history.versions, id).toEqual([]);
    }
    expect(plan.counts.unchanged).toBe(planned.assets.length);
    expect(plan.mainFiles).toEqual([]);
  });

  it('the parse cache keeps the digests, not the version files; those the sync primed equal those derived from the files', async () => {
    const cacheFile = path.join(registry, 'tessera', 'tessera-parse-cache-v1.json');
    const digests = () => {
      const cache = JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, unknown>;
      expect(Object.values(cache).filter((v) => typeof v === 'object' && v !== null && 'schema' in v && 'version' in v)).toEqual([]);
      return Object.fromEntries(Object.entries(cache).filter(([k]) => k.startsWith(`${CONTRACT_DIGEST_ID}:`)));
    };
    await stateFor(registry, demoPlan().assets);
    const primed = digests();
    expect(Object.keys(primed).length).toBe(demoPlan().assets.length);
    // Without the cache every version file is read and its digest derived again: the same digests, still all unchanged.
    rmSync(cacheFile);
    const { read } = await stateFor(registry, demoPlan().assets);
    expect([...read.state.values()].every((st) => st.sameContract === true)).toBe(true);
    expect(digests()).toEqual(primed);
  });

  it('the same contract with its keys in another order is compared in full and still unchanged', async () => {
    const assets = demoPlan().assets;
    const target = assets.find((a) => Object.keys((a.schema['properties'] as object) ?? {}).length > 1)!;
    const moved = { ...target, schema: reordered(target.schema), guarantees: reordered(target.guarantees) };
    expect(contractDigest(moved.schema, moved.guarantees)).not.toBe(contractDigest(target.schema, target.guarantees));
    const { read, plan } = await stateFor(registry, assets.map((a) => (a === target ? moved : a)));
    const st = read.state.get(target.id) as SyncAssetState;
    expect(st.sameContract).toBeUndefined();
    expect(st.history.versions.length).toBe(1);
    expect(plan.items.find((i) => i.asset === target.id)?.action).toBe('unchanged');
    expect(plan.counts.unchanged).toBe(assets.length);
  });

  it('a changed contract is loaded and diffed', async () => {
    const assets = demoPlan().assets;
    const target = assets.find((a) => Object.keys((a.schema['properties'] as object) ?? {}).length > 1)!;
    const props = { ...(target.schema['properties'] as Record<string, unknown>) };
    const dropped = Object.keys(props)[0]!;
    delete props[dropped];
    const changed = { ...target, schema: { ...target.schema, properties: props } };
    const { read, plan } = await stateFor(registry, assets.map((a) => (a === target ? changed : a)));
    expect(read.state.get(target.id)?.sameContract).toBeUndefined();
    const item = plan.items.find((i) => i.asset === target.id)!;
    expect(item.action).not.toBe('unchanged');
    expect(item.changes.some((c) => c.path.includes(dropped))).toBe(true);
  });

  it('planSync does not take a retired asset as unchanged, whatever the reader says', () => {
    const a = demoPlan().assets[0]!;
    const retired = { id: a.id, owner: 'data-platform', kind: a.kind, tags: [], current_version: '1.0.0', retired: true } as never;
    const state = new Map<string, SyncAssetState>([[a.id, { history: { asset: retired, versions: [], consumers: [] }, sameContract: true }]]);
    const config = registryConfigSchema.parse({ format: 1, policy: { membership_checks: false } });
    const plan = planSync({ assets: [a], teams: [], state, missing: [], existingTeams: new Map(), config, actor: 'ci-bot@acme.com', now: NOW });
    expect(plan.items[0]?.action).not.toBe('unchanged');
  });
});
