/**
 * The whole-registry index the list pages need: every asset's row, every
 * team, every closed proposal. Built from one snapshot of main (one
 * ls-tree, one cat-file, the parse cache), and cached by the UI keyed by
 * main's commit id, so a warm page costs one rev-parse.
 */
import type { Snapshot } from '../../registry/snapshot.js';
import { readAllTeams, readConfig } from '../../registry/state.js';
import { readClosedProposals } from '../../registry/proposals.js';
import { assetSchema, type Asset, type Proposal, type RegistryConfig, type Team } from '../../core/model.js';
import type { AssetFilter, AssetPage, AssetRow } from '../model.js';
import { indexAssetTree } from '../../registry/asset-index.js';

export interface RegistryIndex {
  commit: string | undefined;
  config: RegistryConfig | undefined;
  assets: AssetRow[];
  byId: Map<string, AssetRow>;
  /** Assets that list this one as downstream. */
  upstreamOf: Map<string, string[]>;
  teams: Team[];
  closedProposals: Proposal[];
  versionCount: number;
  /** Validated asset.yaml values by blob id, reused by the next build. */
  assetsByOid: Map<string, Asset>;
}

/**
 * Build the index. `previous` (the last index) lends its validated assets:
 * when main moves by a commit or two, only the asset files whose blob
 * changed are read, parsed and validated again.
 */
export async function buildIndex(snap: Snapshot, previous?: RegistryIndex): Promise<RegistryIndex> {
  const { assetFiles, byAsset, versionCount } = indexAssetTree(snap.list('assets'));
  const assetsByOid = new Map<string, Asset>();
  const known = previous?.assetsByOid;
  const [assets, teams, closedProposals, config] = await Promise.all([
    Promise.all(
      assetFiles.map(async (p) => {
        const oid = snap.oid(p)!;
        const a = known?.get(oid) ?? (await snap.read(p, assetSchema))!;
        assetsByOid.set(oid, a);
        return a;
      }),
    ),
    readAllTeams(snap),
    readClosedProposals(snap),
    snap.has('tessera.yaml') ? readConfig(snap) : Promise.resolve(undefined),
  ]);
  const rows: AssetRow[] = assets.map((a) => ({
    id: a.id,
    owner: a.owner,
    kind: a.kind,
    current_version: a.current_version,
    description: a.description ?? null,
    tags: a.tags,
    consumers: byAsset.get(a.id)?.consumers ?? [],
    downstream: a.downstream ?? [],
    retired: a.retired ?? false,
  }));
  rows.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const upstreamOf = new Map<string, string[]>();
  for (const r of rows) for (const d of r.downstream) (upstreamOf.get(d) ?? upstreamOf.set(d, []).get(d)!).push(r.id);
  closedProposals.sort((a, b) => ((a.closed_at ?? a.created_at) < (b.closed_at ?? b.created_at) ? 1 : -1));
  teams.sort((a, b) => (a.name < b.name ? -1 : 1));
  return { commit: snap.commit, config, assets: rows, byId, upstreamOf, teams, closedProposals, versionCount, assetsByOid };
}

/** What changed between two commits of main, from `git diff-tree` (name-status lines). */
export interface TreeChanges {
  assets: Set<string>;
  teams: boolean;
  proposals: boolean;
  config: boolean;
  versionsAdded: number;
  versionsDeleted: number;
}

export function parseTreeChanges(nameStatus: string): TreeChanges {
  const out: TreeChanges = { assets: new Set(), teams: false, proposals: false, config: false, versionsAdded: 0, versionsDeleted: 0 };
  for (const line of nameStatus.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const status = line[0];
    const p = line.slice(tab + 1);
    if (p.startsWith('assets/')) {
      const slash = p.indexOf('/', 7);
      if (slash > 7) out.assets.add(p.slice(7, slash));
      if (/^assets\/[^/]+\/versions\/[^/]+\.yaml$/.test(p)) {
        if (status === 'A') out.versionsAdded++;
        else if (status === 'D') out.versionsDeleted++;
      }
    } else if (p.startsWith('teams/')) out.teams = true;
    else if (p.startsWith('proposals/')) out.proposals = true;
    else if (p === 'tessera.yaml') out.config = true;
  }
  return out;
}

/** The pathspecs a partial snapshot needs to apply `changes`. */
export function pathspecsFor(changes: TreeChanges): string[] {
  const specs = [...changes.assets].map((id) => `assets/${id}`);
  if (changes.teams) specs.push('teams');
  if (changes.proposals) specs.push('proposals');
  if (changes.config) specs.push('tessera.yaml');
  return specs;
}

/**
 * The next index from the previous one and a snapshot of the new commit
 * limited to what changed: a commit that touches one asset re-reads one
 * asset, not ten thousand.
 */
export async function updateIndex(prev: RegistryIndex, snap: Snapshot, changes: TreeChanges): Promise<RegistryIndex> {
  const byId = new Map(prev.byId);
  const assetsByOid = new Map(prev.assetsByOid);
  await Promise.all(
    [...changes.assets].map(async (id) => {
      const p = `assets/${id}/asset.yaml`;
      const oid = snap.oid(p);
      if (!oid) {
        byId.delete(id);
        return;
      }
      const a = assetsByOid.get(oid) ?? (await snap.read(p, assetSchema))!;
      assetsByOid.set(oid, a);
      const consumers = snap
        .list(`assets/${id}/consumers`)
        .filter((c) => c.endsWith('.yaml'))
        .map((c) => c.slice(c.lastIndexOf('/') + 1, -5));
      byId.set(id, { id: a.id, owner: a.owner, kind: a.kind, current_version: a.current_version, description: a.description ?? null, tags: a.tags, consumers, downstream: a.downstream ?? [], retired: a.retired ?? false });
    }),
  );
  const rows = [...byId.values()].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const upstreamOf = new Map<string, string[]>();
  for (const r of rows) for (const d of r.downstream) (upstreamOf.get(d) ?? upstreamOf.set(d, []).get(d)!).push(r.id);
  const teams = changes.teams ? (await readAllTeams(snap)).sort((a, b) => (a.name < b.name ? -1 : 1)) : prev.teams;
  const closedProposals = changes.proposals ? (await readClosedProposals(snap)).sort((a, b) => ((a.closed_at ?? a.created_at) < (b.closed_at ?? b.created_at) ? 1 : -1)) : prev.closedProposals;
  const config = changes.config ? await readConfig(snap) : prev.config;
  return {
    commit: snap.commit,
    config,
    assets: rows,
    byId: new Map(rows.map((r) => [r.id, r])),
    upstreamOf,
    teams,
    closedProposals,
    versionCount: prev.versionCount + changes.versionsAdded - changes.versionsDeleted,
    assetsByOid,
  };
}

export function matchesAsset(r: AssetRow, f: AssetFilter): boolean {
  if (f.owner && r.owner !== f.owner) return false;
  if (f.kind && r.kind !== f.kind) return false;
  if (f.consumer && !r.consumers.includes(f.consumer)) return false;
  if (f.q) {
    const q = f.q.toLowerCase();
    if (!r.id.includes(q) && !(r.description ?? '').toLowerCase().includes(q) && !r.tags.some((t) => t.toLowerCase().includes(q))) return false;
  }
  return true;
}

/** One page of the filtered asset list, with the choices for the filter controls. */
export function assetPage(index: RegistryIndex, filter: AssetFilter, offset: number, limit: number): AssetPage {
  const matched = index.assets.filter((r) => matchesAsset(r, filter));
  const owners = new Set<string>();
  const kinds = new Set<string>();
  const consumerTeams = new Set<string>();
  for (const r of index.assets) {
    owners.add(r.owner);
    kinds.add(r.kind);
    for (const c of r.consumers) consumerTeams.add(c);
  }
  const start = Math.min(Math.max(0, offset), Math.max(0, matched.length - 1));
  const from = matched.length === 0 ? 0 : start - (start % limit);
  return {
    filter,
    total: index.assets.length,
    matched: matched.length,
    offset: from,
    limit,
    rows: matched.slice(from, from + limit),
    owners: [...owners].sort(),
    kinds: [...kinds].sort(),
    consumerTeams: [...consumerTeams].sort(),
  };
}
