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

async function readHistory(snap: Snapshot, asset: Asset, files: AssetEntry | undefined, allVersions: boolean): Promise<AssetHistory> {
  const numbers = sortVersions(files?.versions ?? []);
  const wanted = allVersions || asset.compatibility_mode?.endsWith('_transitive') ? numbers : numbers.slice(-1);
  const [versions, consumers] = await Promise.all([
    Promise.all(wanted.map((v) => snap.read(versionPath(asset.id, v), versionSchema))),
    snap.readMany((files?.consumers ?? []).map((team) => consumerPath(asset.id, team)), consumerSchema),
  ]);
  return { asset, versions: versions.filter((v): v is Version => v !== undefined), consumers };
}

export async function readRegistryState(repo: Repository, snap: Snapshot, config: RegistryConfig, planned: readonly string[], scope: SyncScope): Promise<RegistryState> {
  // One pass over the listing (listing per asset would be quadratic).
  const { assetFiles, byAsset } = indexAssetTree(snap.allPaths());
  const [assets, teams, open] = await Promise.all([snap.readMany(assetFiles, assetSchema), readAllTeams(snap), listOpenProposals(repo)]);
  const openByAsset = new Map<string, OpenProposalRef>();
  for (const o of open) {
    const p = o.proposal;
    if (!openByAsset.has(p.asset)) openByAsset.set(p.asset, { id: p.id, fingerprint: p.fingerprint, from_version: p.from_version, to_version: p.to_version });
  }
  const known = new Map(assets.map((a) => [a.id, a]));
  const plannedSet = new Set(planned);
  const allVersions = config.defaults.compatibility_mode.endsWith('_transitive');
  const load = async (id: string): Promise<SyncAssetState> => {
    const history = await readHistory(snap, known.get(id)!, byAsset.get(id), allVersions);
    const o = openByAsset.get(id);
    return o ? { history, open: o } : { history };
  };
  const ids = planned.filter((id) => known.has(id));
  const gone = assets.filter((a) => !plannedSet.has(a.id) && inScope(a, scope)).map((a) => a.id).sort();
  const [present, missing] = await Promise.all([Promise.all(ids.map(load)), Promise.all(gone.map(load))]);
  const state = new Map<string, SyncAssetState>();
  for (const [i, id] of ids.entries()) state.set(id, present[i]!);
  return { state, missing, existingTeams: new Map(teams.map((t) => [t.name, t])), assetCount: assets.length };
}
