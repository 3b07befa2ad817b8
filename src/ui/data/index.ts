/**
 * The whole-registry index the list pages need: every asset's row, every
 * team, every closed proposal. Built from one snapshot of main (one
 * ls-tree, one cat-file, the parse cache), and cached by the UI keyed by
 * main's commit id, so a warm page costs one rev-parse.
 */
import type { Snapshot } from '../../registry/snapshot.js';
import { readAllTeams, readConfig } from '../../registry/state.js';
import { readClosedProposals } from '../../registry/proposals.js';
import { assetSchema, type Proposal, type RegistryConfig, type Team } from '../../core/model.js';
import type { AssetFilter, AssetPage, AssetRow } from '../model.js';

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
}

export async function buildIndex(snap: Snapshot): Promise<RegistryIndex> {
  const assetFiles: string[] = [];
  const consumersOf = new Map<string, string[]>();
  let versionCount = 0;
  for (const p of snap.list('assets')) {
    const parts = p.split('/');
    if (parts.length === 3 && parts[2] === 'asset.yaml') assetFiles.push(p);
    else if (parts.length === 4 && parts[2] === 'consumers' && parts[3]!.endsWith('.yaml')) {
      const list = consumersOf.get(parts[1]!) ?? [];
      list.push(parts[3]!.slice(0, -5));
      consumersOf.set(parts[1]!, list);
    } else if (parts.length === 4 && parts[2] === 'versions') versionCount++;
  }
  const [assets, teams, closedProposals, config] = await Promise.all([
    snap.readMany(assetFiles, assetSchema),
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
    consumers: consumersOf.get(a.id) ?? [],
    downstream: a.downstream ?? [],
    retired: a.retired ?? false,
  }));
  rows.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const upstreamOf = new Map<string, string[]>();
  for (const r of rows) for (const d of r.downstream) (upstreamOf.get(d) ?? upstreamOf.set(d, []).get(d)!).push(r.id);
  closedProposals.sort((a, b) => ((a.closed_at ?? a.created_at) < (b.closed_at ?? b.created_at) ? 1 : -1));
  teams.sort((a, b) => (a.name < b.name ? -1 : 1));
  return { commit: snap.commit, config, assets: rows, byId, upstreamOf, teams, closedProposals, versionCount };
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
