/**
 * What a sync needs to know from the registry, read from one snapshot of main
 * (one ls-tree, one cat-file stream) and the open proposal branches.
 */
import type { Repository } from '../../registry/repository.js';
import type { Snapshot } from '../../registry/snapshot.js';
import { readAllTeams } from '../../registry/state.js';
import { listOpenProposals } from '../../registry/proposals.js';
import { assetSchema, consumerSchema, versionSchema, type Asset, type RegistryConfig, type Team, type Version } from '../../core/model.js';
import { sortVersions } from '../../core/semver.js';
import type { AssetHistory } from '../../core/publish.js';
import type { OpenProposalRef, SyncAssetState } from '../../core/sync.js';
import { indexAssetTree, type AssetEntry } from '../../registry/asset-index.js';
import { consumerPath, versionPath } from '../../core/paths.js';
import { CONTRACT_DIGEST_ID, contractDigest } from '../../core/contract-digest.js';

export interface SyncScope {
  /** dbt packages of the manifest: only assets synced from these can be missing from it. */
  packages: ReadonlySet<string>;
  /** --select: only assets it matches can be missing. */
  matches?: (names: readonly string[]) => boolean;
}

export interface RegistryState {
  state: Map<string, SyncAssetState>;
  missing: SyncAssetState[];
  existingTeams: Map<string, Team>;
  assetCount: number;
}

function inScope(a: Asset, scope: SyncScope): boolean {
  if (a.origin?.system !== 'dbt' || a.retired) return false;
  if (!a.origin.package || !scope.packages.has(a.origin.package)) return false;
  if (scope.matches) {
    const name = a.origin.unique_id?.split('.').pop() ?? '';
    return scope.matches([a.id, a.origin.unique_id ?? '', `${a.origin.package}:${name}`]);
  }
  return true;
}

/** What the reader needs of a planned asset: its id and contract digest (contractDigest of its schema and guarantees). */
export interface PlannedContract {
  id: string;
  digest: string;
}

async function readHistory(snap: Snapshot, asset: Asset, files: AssetEntry | undefined, allVersions: boolean, sameContract: boolean): Promise<AssetHistory> {
  const numbers = sortVersions(files?.versions ?? []);
  // An unchanged contract is never diffed, so its versions are not read (unless a transitive mode needs them anyway).
  const transitive = allVersions || asset.compatibility_mode?.endsWith('_transitive') === true;
  const wanted = transitive ? numbers : sameContract ? [] : numbers.slice(-1);
  const [versions, consumers] = await Promise.all([
    Promise.all(wanted.map((v) => snap.read(versionPath(asset.id, v), versionSchema))),
    snap.readMany((files?.consumers ?? []).map((team) => consumerPath(asset.id, team)), consumerSchema),
  ]);
  return { asset, versions: versions.filter((v): v is Version => v !== undefined), consumers };
}

/** Digest of each asset's newest version, the one a sync compares with (cached by blob id: a version file is read once in its life). */
async function latestDigests(snap: Snapshot, assets: readonly Asset[], byAsset: ReadonlyMap<string, AssetEntry>): Promise<Map<string, string>> {
  const latest: Array<[string, string]> = [];
  for (const a of assets) {
    const v = sortVersions(byAsset.get(a.id)?.versions ?? []).at(-1);
    if (v !== undefined) latest.push([a.id, versionPath(a.id, v)]);
  }
  const digests = await snap.deriveMany(latest.map(([, path]) => path), versionSchema, CONTRACT_DIGEST_ID, (v) => contractDigest(v.schema, v.guarantees));
  const out = new Map<string, string>();
  latest.forEach(([id], i) => {
    const d = digests[i];
    if (d !== undefined) out.set(id, d);
  });
  return out;
}

export async function readRegistryState(repo: Repository, snap: Snapshot, config: RegistryConfig, planned: readonly PlannedContract[], scope: SyncScope): Promise<RegistryState> {
  // One pass over the listing (listing per asset would be quadratic).
  const { assetFiles, byAsset } = indexAssetTree(snap.allPaths());
  const [assets, teams, open] = await Promise.all([snap.readMany(assetFiles, assetSchema), readAllTeams(snap), listOpenProposals(repo)]);
  const openByAsset = new Map<string, OpenProposalRef>();
  for (const o of open) {
    const p = o.proposal;
    if (!openByAsset.has(p.asset)) openByAsset.set(p.asset, { id: p.id, fingerprint: p.fingerprint, from_version: p.from_version, to_version: p.to_version });
  }
  const known = new Map(assets.map((a) => [a.id, a]));
  const present = planned.filter((p) => known.has(p.id));
  const stored = await latestDigests(snap, present.map((p) => known.get(p.id)!), byAsset);
  const plannedIds = new Set(planned.map((p) => p.id));
  const allVersions = config.defaults.compatibility_mode.endsWith('_transitive') || config.defaults.table_compatibility_mode.endsWith('_transitive');
  const load = async (id: string, sameContract: boolean): Promise<SyncAssetState> => {
    const history = await readHistory(snap, known.get(id)!, byAsset.get(id), allVersions, sameContract);
    const o = openByAsset.get(id);
    return { history, ...(o ? { open: o } : {}), ...(sameContract ? { sameContract } : {}) };
  };
  const gone = assets.filter((a) => !plannedIds.has(a.id) && inScope(a, scope)).map((a) => a.id).sort();
  const [states, missing] = await Promise.all([
    Promise.all(present.map((p) => {
      const digest = stored.get(p.id);
      // A retired asset coming back is planned from its history, like a change.
      const same = digest !== undefined && !known.get(p.id)!.retired && digest === p.digest;
      return load(p.id, same);
    })),
    Promise.all(gone.map((id) => load(id, false))),
  ]);
  const state = new Map<string, SyncAssetState>();
  present.forEach((p, i) => state.set(p.id, states[i]!));
  return { state, missing, existingTeams: new Map(teams.map((t) => [t.name, t])), assetCount: assets.length };
}
