/** One asset's page: contract as columns with quality, versions, diff, consumers, proposals, lineage. */
import type { Repository } from '../../registry/repository.js';
import { readAsset, readConsumers, readVersion, versionNumbers } from '../../registry/state.js';
import { assetDir } from '../../core/paths.js';
import { columnsOf } from '../../core/columns.js';
import { guaranteeKey } from '../../core/guarantees.js';
import type { Guarantee, Version } from '../../core/model.js';
import type { AssetDetail, ColumnView, GuaranteeView, ProposalSummary, VersionSummary } from '../model.js';
import type { RegistryIndex } from './index.js';
import { diffVersions } from './diff.js';
import { guaranteeQualityKey, parseQuality, qualityPath, type ParsedQuality } from './quality.js';

function guaranteeLabel(g: Guarantee): string {
  if (g.kind === 'accepted_values' && g.values) return `accepted_values(${g.values.map((v) => JSON.stringify(v)).join(', ')})`;
  if (g.kind === 'relationships' && g.to) return `relationships(→ ${g.to}${g.field ? `.${g.field}` : ''})`;
  return g.column ? g.kind : guaranteeKey(g);
}

function guaranteeView(g: Guarantee, quality: ParsedQuality): GuaranteeView {
  const q = quality.latest.get(guaranteeQualityKey(g));
  return { label: guaranteeLabel(g), guarantee: g, ...(q ? { quality: q } : {}) };
}

export function buildColumns(v: Version, quality: ParsedQuality): { columns: ColumnView[]; tableGuarantees: GuaranteeView[] } {
  const columns = columnsOf(v.schema, v.guarantees).map((r) => {
    const gs = v.guarantees.filter((g) => g.column === r.name || (!g.column && g.columns?.length === 1 && g.columns[0] === r.name));
    const col: ColumnView = { name: r.name, type: r.type, required: r.required, guarantees: gs.map((g) => guaranteeView(g, quality)) };
    if (r.format) col.format = r.format;
    if (r.description) col.description = r.description;
    return col;
  });
  const tableGuarantees = v.guarantees.filter((g) => !g.column && !(g.columns?.length === 1)).map((g) => guaranteeView(g, quality));
  return { columns, tableGuarantees };
}

export function versionSummary(v: Version): VersionSummary {
  return {
    version: v.version,
    published_at: v.published_at,
    published_by: v.published_by,
    via: v.via,
    ...(v.proposal ? { proposal: v.proposal } : {}),
    changes: v.changes.length,
    breaking: v.changes.filter((c) => c.breaking).length,
  };
}

export interface AssetRequest {
  id: string;
  from?: string;
  to?: string;
}

/** Undefined when the asset does not exist. */
export async function loadAssetDetail(repo: Repository, index: RegistryIndex, req: AssetRequest, proposals: ProposalSummary[]): Promise<AssetDetail | undefined> {
  const snap = await repo.snapshotAt(index.commit, [assetDir(req.id)]);
  const asset = await readAsset(snap, req.id);
  if (!asset) return undefined;
  const numbers = versionNumbers(snap, req.id);
  const [versions, consumers, qualityText] = await Promise.all([
    Promise.all(numbers.map((n) => readVersion(snap, req.id, n))).then((vs) => vs.filter((v): v is Version => v !== undefined)),
    readConsumers(snap, req.id),
    snap.text(qualityPath(req.id)),
  ]);
  const current = versions.find((v) => v.version === asset.current_version) ?? versions[versions.length - 1];
  if (!current) return undefined;
  const quality: ParsedQuality = qualityText === undefined ? { latest: new Map() } : parseQuality(req.id, qualityText);
  const { columns, tableGuarantees } = buildColumns(current, quality);

  const detail: AssetDetail = {
    asset,
    current,
    columns,
    tableGuarantees,
    versions: versions.map(versionSummary).reverse(),
    consumers,
    proposals,
    downstream: (asset.downstream ?? []).map((id) => ({ id, known: index.byId.has(id) })),
    upstream: index.upstreamOf.get(req.id) ?? [],
    quality: { present: qualityText !== undefined, ...(quality.problem ? { problem: quality.problem } : {}), results: [...quality.latest.values()] },
  };

  // The diff: the two versions asked for, else the current one against its predecessor.
  const byNumber = new Map(versions.map((v) => [v.version, v]));
  const idx = numbers.indexOf(current.version);
  const toV = req.to ?? current.version;
  const fromV = req.from ?? (req.to ? numbers[numbers.indexOf(req.to) - 1] : idx > 0 ? numbers[idx - 1] : undefined);
  if (fromV !== undefined) {
    const from = byNumber.get(fromV);
    const to = byNumber.get(toV);
    if (!from || !to) detail.diffProblem = `asset '${req.id}' has no version ${!from ? fromV : toV}`;
    else detail.diff = diffVersions(asset, from, to, index.config);
  } else if (req.to !== undefined && !byNumber.has(req.to)) detail.diffProblem = `asset '${req.id}' has no version ${req.to}`;
  return detail;
}
