/**
 * What a sync needs to know from the registry, read from one snapshot of main
 * (one ls-tree, one cat-file stream) and the open proposal branches.
 */
import type { Repository } from '../../registry/repository.js';
import type { Snapshot } from '../../registry/snapshot.js';
import { readAllTeams } from '../../registry/state.js';
import { ackAt, listOpenProposals } from '../../registry/proposals.js';
import { ACK_REF_PREFIX } from '../../core/proposal.js';
import path from 'node:path';
import { assetSchema, consumerSchema, versionSchema, type Ack, type Asset, type RegistryConfig, type Team, type Version } from '../../core/model.js';
import { sortVersions } from '../../core/semver.js';
import type { AssetHistory } from '../../core/publish.js';
import type { OpenProposalRef, SyncAssetState } from '../../core/sync.js';
import { indexAssetTree, type AssetEntry } from '../../registry/asset-index.js';
import { consumerPath, versionPath } from '../../core/paths.js';
import { CONTRACT_DIGEST_ID, contractDigest } from '../../core/contract-digest.js';

export interface SyncScope {
  /**
   * The manifest's dbt project: an asset whose origin names a project can be
   * missing from this manifest only if it is that project's, whichever
   * package built it (a package removed or disabled retires its assets).
   */
  project?: string;
  /** dbt packages of the manifest: an asset synced before projects were recorded can be missing only if its package is one of these. */
  packages: ReadonlySet<string>;
  /** --select: only assets it matches can be missing. */
  matches?: (names: readonly string[]) => boolean;
}

export interface RegistryState {
  state: Map<string, SyncAssetState>;
  missing: SyncAssetState[];
  existingTeams: Map<string, Team>;
  assetCount: number;
  /** Every proposal id the registry holds: open branches and closed records on main. */
  proposalIds: Set<string>;
}

/** Whether an origin names the manifest's project; undefined when either side does not say. */
function sameProject(origin: NonNullable<Asset['origin']>, project: string | undefined): boolean | undefined {
  return origin.project !== undefined && project !== undefined ? origin.project === project : undefined;
}

function inScope(a: Asset, scope: SyncScope): boolean {
  if (a.origin?.system !== 'dbt' || a.retired) return false;
  const mine = sameProject(a.origin, scope.project);
  if (mine === false) return false;
  if (mine === undefined && (!a.origin.package || !scope.packages.has(a.origin.package))) return false;
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
  const [assets, teams, open, ackRefs] = await Promise.all([snap.readMany(assetFiles, assetSchema), readAllTeams(snap), listOpenProposals(repo), repo.refs(ACK_REF_PREFIX)]);
  const openByAsset = new Map<string, OpenProposalRef>();
  // Ack refs are <prefix><proposal id>/<team>: grouped once, not filtered once per open proposal.
  const acksByProposal = new Map<string, Array<{ ref: string; commit: string }>>();
  for (const [ref, commit] of ackRefs) {
    if (!ref.startsWith(ACK_REF_PREFIX)) continue;
    const id = ref.slice(ACK_REF_PREFIX.length).split('/')[0]!;
    const list = acksByProposal.get(id);
    if (list) list.push({ ref, commit });
    else acksByProposal.set(id, [{ ref, commit }]);
  }
  for (const o of open) {
    const p = o.proposal;
    if (openByAsset.has(p.asset)) continue;
    const acks = (acksByProposal.get(p.id) ?? []).sort((x, y) => (x.ref < y.ref ? -1 : 1));
    openByAsset.set(p.asset, { id: p.id, fingerprint: p.fingerprint, from_version: p.from_version, to_version: p.to_version, proposal: p, version: o.version, head: o.head, acks });
  }
  // Who has answered each open proposal: whether its change waits on acks, or may merge. One blob read per ack ref.
  await Promise.all([...openByAsset.values()].map(async (o) => {
    const answers = new Map<string, Ack>();
    await Promise.all(o.acks!.map(async ({ ref, commit }) => {
      const team = ref.slice(ACK_REF_PREFIX.length + o.id.length + 1);
      const ack = await ackAt(repo, o.proposal!, team, commit);
      if (ack) answers.set(team, ack);
    }));
    o.answers = answers;
  }));
  const proposalIds = new Set(open.map((o) => o.proposal.id));
  for (const f of snap.list('proposals')) if (f.endsWith('.yaml')) proposalIds.add(path.posix.basename(f, '.yaml'));
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
  return { state, missing, existingTeams: new Map(teams.map((t) => [t.name, t])), assetCount: assets.length, proposalIds };
}
