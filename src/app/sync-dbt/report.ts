/**
 * The sync-dbt report: what a run did, as `tessera sync-dbt --json` prints it
 * and `POST /api/v1/sync/dbt` answers it (one document, built here for both
 * adapters), plus the one-line facts the text renderers share. Pure.
 */
import type { PlannedMerge, ProposalGate, SyncItem, SyncPlan } from '../../core/sync.js';
import { reachesFailOn } from '../../core/sync.js';
import { planWrites, type MergedProposal, type SyncResult, type SyncTotals } from '../sync-dbt.js';

export const SYNC_JSON_VERSION = 'tessera.sync-dbt/v1';

export interface SyncReport {
  file: string;
  dryRun: boolean;
  failOn: 'breaking' | 'warning' | 'never';
  manifest: { schemaVersion: number; dbtVersion?: string; projectName?: string; invocationId?: string; adapter?: string };
  totals: SyncTotals;
  plan: SyncPlan;
  warnings: string[];
  commit?: string;
  exitCode: number;
  /** Approved pull-request proposals this run merged before its sync commit (plan.merges lists what a dry run would merge). */
  merged: MergedProposal[];
}

export const FAIL_ON = ['breaking', 'warning', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** A run's report: its result, the manifest's name as the report shows it, and the level that fails it. */
export function syncReport(r: SyncResult, file: string, dryRun: boolean, failOn: FailOn): SyncReport {
  return {
    file,
    dryRun,
    failOn,
    manifest: r.manifest,
    totals: r.totals,
    plan: r.plan,
    warnings: r.warnings,
    exitCode: reachesFailOn(r.plan.findings, failOn) ? 1 : 0,
    merged: r.merged,
    ...(r.commit ? { commit: r.commit } : {}),
  };
}

export function hasWrites(r: SyncReport): boolean {
  return planWrites(r.plan);
}

/** The proposals the run's breaking changes wait on (opened, superseded or already open), with who has to approve them. */
export function gates(r: SyncReport): Array<{ item: SyncItem; gate: ProposalGate }> {
  return r.plan.items.filter((i) => i.gate && i.action !== 'merged').map((i) => ({ item: i, gate: i.gate! }));
}

/** Approved pull-request proposals merged (or, in a dry run, to be merged) by this sync of main. */
export function mergedList(r: SyncReport): PlannedMerge[] {
  return r.dryRun ? (r.plan.merges ?? []) : r.merged;
}

/** Rename hints of every asset, as `asset: hint`. */
export function hintLines(r: SyncReport): string[] {
  return r.plan.items.flatMap((i) => (i.hints ?? []).map((h) => `${i.asset}: ${h}`));
}

/** The run's outcome in one line: the text report's last line and --json's summary. */
export function outcomeLine(r: SyncReport): string {
  if (!hasWrites(r)) {
    const waiting = r.plan.counts['proposal-open'];
    if (r.plan.pullRequest) return waiting ? `nothing written: ${waiting} breaking change(s) wait on open proposals` : 'nothing written';
    return waiting ? `no changes written: ${waiting} breaking change(s) wait on open proposals` : 'no changes: the registry already matches the manifest';
  }
  const merges = mergedList(r).length;
  const assets = r.plan.assetsWritten.length;
  const proposals = r.plan.proposals.filter((p) => !p.supersedes).length;
  const superseded = r.plan.proposals.length - proposals;
  const withdrawn = r.plan.withdrawn.length;
  // Main can change without an asset changing: new teams, consumer registrations, closed proposal records.
  const kinds = [r.plan.teamsCreated.length || r.plan.consumersRegistered.length ? 'team and consumer files' : '', r.plan.withdrawn.length ? 'proposal records' : ''].filter(Boolean);
  const onMain = r.plan.mainFiles.length === 0 ? '' : assets ? `${assets} asset(s) on main` : `${kinds.join(' and ') || 'files'} on main`;
  if (r.dryRun) {
    const would = [merges ? `merge ${merges} approved proposal(s)` : '', onMain ? `write ${onMain}` : '', proposals ? `open ${proposals} proposal(s)` : '', superseded ? `supersede ${superseded} proposal(s)` : '', withdrawn ? `withdraw ${withdrawn} proposal(s)` : ''].filter(Boolean).join(' and ');
    return `dry run: would ${would}; nothing written`;
  }
  const parts: string[] = [];
  if (merges) parts.push(`merged ${merges} approved proposal(s)`);
  if (onMain) parts.push(`wrote ${onMain}${r.commit ? ` (commit ${r.commit.slice(0, 12)})` : ''}`);
  if (proposals) parts.push(`opened ${proposals} proposal(s)`);
  if (superseded) parts.push(`superseded ${superseded} proposal(s)`);
  if (withdrawn) parts.push(`withdrew ${withdrawn} proposal(s)`);
  if (!onMain) parts.push('main unchanged');
  return parts.join('; ');
}

export function syncJson(r: SyncReport): Record<string, unknown> {
  return {
    schema_version: SYNC_JSON_VERSION,
    file: r.file,
    dry_run: r.dryRun,
    fail_on: r.failOn,
    manifest: r.manifest,
    totals: r.totals,
    changed: hasWrites(r),
    commit: r.commit ?? null,
    counts: r.plan.counts,
    teams_created: r.plan.teamsCreated,
    consumers_registered: r.plan.consumersRegistered,
    assets_written: r.plan.assetsWritten,
    items: r.plan.items.filter((i) => i.action !== 'unchanged' || i.consumersAdded.length > 0 || i.withdrawn || i.originUpdated).map(itemJson),
    proposals: r.plan.items.filter((i) => i.proposal).map((i) => ({ asset: i.asset, action: i.action, from_version: i.from, to_version: i.version, ...i.proposal, hints: i.hints ?? [] })),
    proposals_withdrawn: r.plan.withdrawn.map((w) => ({ id: w.id, asset: w.asset, from_version: w.from_version, to_version: w.to_version, reason: w.reason, status: w.status })),
    pull_request: r.plan.pullRequest ?? null,
    proposals_waiting: gates(r).map(({ item, gate }) => ({ asset: item.asset, action: item.action, ...gate })),
    proposals_merged: r.dryRun ? (r.plan.merges ?? []).map((m) => ({ ...m, commit: null })) : r.merged,
    hints: hintLines(r),
    findings: r.plan.findings,
    warnings: r.warnings,
    summary: outcomeLine(r),
    exit_code: r.exitCode,
  };
}

/** An item as --json shows it: snake_case for the fields added after v1's first release. */
function itemJson(i: SyncItem): Record<string, unknown> {
  const { hints, guaranteesOnly, originUpdated, ...rest } = i;
  return { ...rest, hints: hints ?? [], ...(guaranteesOnly ? { guarantees_only: true } : {}), ...(originUpdated ? { origin_updated: true } : {}) };
}
