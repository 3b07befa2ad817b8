/**
 * The sync-dbt use case: plan every dbt asset of a manifest against the
 * registry (src/core/sync.ts) and write the whole run as ONE ref
 * transaction: one commit on main (new assets, compatible versions, teams,
 * consumer registrations, retirements, withdrawn proposals' records) plus one
 * proposal branch per breaking change, all compare-and-swap together,
 * re-planned if someone wins a race.
 *
 * Approved pull-request proposals whose contract the manifest makes merge
 * first, each in its own merge commit (with the ack commits as parents, which
 * `tessera verify` checks); the sync is then planned against the main they
 * left. With a pull request it plans the same way and writes only that pull
 * request's proposals (docs/dbt.md, "Gating pull requests").
 *
 * It runs in two steps so that a bad manifest is reported before anything
 * about the registry: prepareSyncDbt (the manifest side, before the registry
 * is opened) and syncDbt (against the open registry).
 */
import { createHash } from 'node:crypto';
import type { AppContext, Outcome } from './context.js';
import { isoNow, unixSeconds } from './context.js';
import { manifestSource, type ManifestSource, type Phase, type SyncTotals } from './sync-dbt/planning.js';
import { buildId, findMemo, memoState, sameState, writeMemo, type MemoBase, type MemoCandidate, type MemoState } from './sync-dbt/memo.js';
import { readRegistryState } from './sync-dbt/state.js';
import { mergeIfComplete } from './merge.js';
import { foldMerges, planSync, type PlannedMerge, type SyncPlan } from '../core/sync.js';
import { proposalBranch, pullRequestName } from '../core/proposal.js';
import { formatCommitMessage } from '../core/commit-message.js';
import { encodedValue, rememberEncoded } from '../core/codec.js';
import type { FileWrite } from '../core/plan-types.js';
import { CONFIG_PATH, MAIN_REF, parseVersionPath } from '../core/paths.js';
import { CONTRACT_DIGEST_ID, contractDigest } from '../core/contract-digest.js';
import type { PullRequestRef, Version } from '../core/model.js';
import type { DomainEvent } from '../core/events.js';
import type { DbtPlan } from '../dbt/index.js';
import { readConfig } from '../registry/state.js';
import type { RefWrite } from '../registry/repository.js';
import { globMatcher } from '../dbt/select.js';

export type { Phase, SyncTotals } from './sync-dbt/planning.js';

export interface SyncDbtRequest {
  /** The manifest's name, as errors and the report name it. */
  file: string;
  /** The manifest's bytes, less a byte order mark. */
  bytes: Buffer;
  ownerDefault?: string;
  select: string[];
  pullRequest?: PullRequestRef;
  dryRun: boolean;
  /** Use the no-change memo (src/app/sync-dbt/memo.ts). */
  memo: boolean;
  /** Use the plan cache (src/app/sync-dbt/plan-cache.ts). */
  planCache: boolean;
  /** The git dir the registry will open, when known before it opens: where the memo and the plan cache live. */
  cacheDir: string | undefined;
  /** The Tessera version: a memo recorded by another one does not apply. */
  tesseraVersion: string;
  phase?: Phase;
}

/** An approved pull-request proposal this run merged, with its merge commit. */
export interface MergedProposal extends PlannedMerge {
  commit: string | null;
}

export interface SyncResult {
  manifest: DbtPlan['manifest'];
  totals: SyncTotals;
  plan: SyncPlan;
  warnings: string[];
  /** Approved pull-request proposals merged before the sync commit (plan.merges lists what a dry run would merge). */
  merged: MergedProposal[];
  /** The sync's commit on main, when it wrote one. */
  commit?: string;
  /** Answered by the no-change memo: nothing was parsed or planned. */
  fromMemo: boolean;
  /** The manifest's plan came from the plan cache. */
  fromPlanCache: boolean;
}

/** The manifest side of a sync, ready before the registry is opened. */
export interface PreparedSync {
  request: SyncDbtRequest;
  source: ManifestSource;
  memoBase: MemoBase | undefined;
  candidate: MemoCandidate | undefined;
  /** --select as a matcher (undefined: everything). */
  matcher: ReturnType<typeof globMatcher>;
}

/** Whether a sync's plan writes anything (a commit on main, a proposal branch, a merge). */
export function planWrites(plan: SyncPlan): boolean {
  return plan.mainFiles.length > 0 || plan.proposals.length > 0 || (plan.merges ?? []).length > 0;
}

/**
 * The manifest's fingerprint and memo record; the manifest is planned now
 * (InputError for a bad one) unless a memo record may answer without it.
 */
export function prepareSyncDbt(request: SyncDbtRequest): PreparedSync {
  const { file, bytes, ownerDefault, select, cacheDir, dryRun, pullRequest } = request;
  const source = manifestSource({ file, bytes, ownerDefault, select, cacheDir, build: buildId(), readOnly: dryRun, ...(request.phase ? { phase: request.phase } : {}) }, request.planCache);
  const memoBase: MemoBase | undefined = request.memo ? { tessera: request.tesseraVersion, manifest: source.content, ownerDefault: ownerDefault ?? null, select, project: source.header?.projectName ?? null, pullRequest: pullRequest?.id ?? null } : undefined;
  // A memo record for this content and these options: planning waits until the registry's state is known to differ.
  // Without one the manifest is planned first, as always, so its errors come before the registry's.
  const candidate = memoBase ? findMemo(cacheDir, memoBase) : undefined;
  if (!candidate) source.plan();
  return { request, source, memoBase, candidate, matcher: globMatcher(select) };
}

/** The sync commit names each proposal it closes, so the log shows why a proposal went away. */
function withdrawnTrailers(plan: SyncPlan, extra: Record<string, string>): Record<string, string> {
  if (plan.withdrawn.length === 0) return extra;
  return { ...extra, 'Withdrawn-Proposals': plan.withdrawn.map((w) => w.id).join(' ') };
}

function subjectOf(plan: SyncPlan, project: string | undefined): string {
  if (plan.pullRequest) return `sync-dbt${project ? ` ${project}` : ''} pull request ${pullRequestName(plan.pullRequest)}: ${plan.withdrawn.length} proposal(s) withdrawn`;
  const c = plan.counts;
  const parts: string[] = [];
  if (c.created) parts.push(`${c.created} created`);
  if (c.published + c['published-major']) parts.push(`${c.published + c['published-major']} published`);
  if (c.restored) parts.push(`${c.restored} restored`);
  if (c.retired) parts.push(`${c.retired} retired`);
  if (plan.withdrawn.length) parts.push(`${plan.withdrawn.length} proposal(s) withdrawn`);
  if (plan.teamsCreated.length) parts.push(`${plan.teamsCreated.length} team(s)`);
  if (plan.consumersRegistered.length) parts.push(`${plan.consumersRegistered.length} consumer registration(s)`);
  return `sync-dbt${project ? ` ${project}` : ''}: ${parts.join(', ') || 'no contract changes'}`;
}

/**
 * Parse-cache entries for the files just written, by blob id: the next sync
 * reads them without parsing YAML. A version file is only ever compared by
 * its contract digest, so that is what is cached for it, not the file.
 */
function* writtenValues(files: readonly FileWrite[]): Generator<[string, unknown]> {
  for (const f of files) {
    if (f.content === null) continue;
    const value = encodedValue(f.content);
    if (value === undefined) continue;
    const body = Buffer.from(f.content, 'utf8');
    const oid = createHash('sha1').update(`blob ${body.length}\0`).update(body).digest('hex');
    if (parseVersionPath(f.path)) {
      const v = value as Version;
      yield [`${CONTRACT_DIGEST_ID}:${oid}`, contractDigest(v.schema, v.guarantees)];
      continue;
    }
    // The validated value encodeYaml produced: a fresh object nothing else holds or changes, saved as JSON.
    yield [oid, value];
  }
}

/**
 * The events of a sync, in the order its writes happened: the merges, then
 * the sync commit on main (dbt.synced; one contract.published per version
 * file it adds, as each asset has its own audience; team.created,
 * consumer.registered, proposal.withdrawn per closed proposal, all with the
 * same commit id), then each proposal branch. On a dry run they say what the
 * run would do, without commit ids.
 */
function syncEvents(plan: SyncPlan, merged: ReadonlyArray<PlannedMerge & { commit?: string | null; owner?: string }>, owners: ReadonlyMap<string, string>, commits: Record<string, string>, base: { actor: string; at: string }): DomainEvent[] {
  const events: DomainEvent[] = [];
  const commitOf = (ref: string) => (commits[ref] ? { commit: commits[ref] } : {});
  for (const m of merged) {
    const owner = m.owner ?? owners.get(m.asset);
    events.push({ type: 'proposal.merged', ...base, asset: m.asset, version: m.to_version, proposal: m.id, ...(owner ? { team: owner } : {}), ...(m.commit ? { commit: m.commit } : {}) });
  }
  if (plan.mainFiles.length > 0) {
    const main = commitOf(MAIN_REF);
    events.push({ type: 'dbt.synced', ...base, ...main });
    for (const f of plan.mainFiles) {
      const v = f.content !== null ? parseVersionPath(f.path) : undefined;
      if (!v) continue;
      const owner = owners.get(v.asset);
      events.push({ type: 'contract.published', ...base, asset: v.asset, version: v.version, ...(owner ? { team: owner } : {}), ...main });
    }
    for (const team of plan.teamsCreated) events.push({ type: 'team.created', ...base, team, ...main });
    for (const r of plan.consumersRegistered) events.push({ type: 'consumer.registered', ...base, asset: r.asset, team: r.team, ...main });
    for (const w of plan.withdrawn) {
      const owner = owners.get(w.asset);
      events.push({ type: 'proposal.withdrawn', ...base, asset: w.asset, version: w.to_version, proposal: w.id, ...(owner ? { team: owner } : {}), ...main });
    }
  }
  for (const p of plan.proposals) {
    const pr = p.proposal;
    events.push({ type: p.supersedes ? 'proposal.superseded' : 'proposal.created', ...base, asset: pr.asset, version: pr.to_version, proposal: pr.id, team: p.owner, ...commitOf(proposalBranch(pr.id)) });
  }
  return events;
}

/** `progress` hears what the run is doing, for a progress display. */
export async function syncDbt(ctx: AppContext, prepared: PreparedSync, progress: (text: string) => void = () => undefined): Promise<Outcome<SyncResult>> {
  const { request, source, memoBase, candidate, matcher } = prepared;
  const { dryRun, pullRequest } = request;
  const phase: Phase = request.phase ?? (() => undefined);
  phase('registry opened');
  const actor = await ctx.identity();
  if (candidate && ctx.repo.gitDir === candidate.gitDir) {
    await ctx.repo.sync();
    const state = await memoState(ctx.repo, await ctx.repo.head(MAIN_REF), actor.email);
    if (sameState(state, candidate.record)) {
      progress('no changes: same manifest, same registry state as the last sync (memo; --no-memo to plan in full)');
      const r = candidate.record.result;
      return { result: { manifest: source.header ?? r.manifest, totals: r.totals, plan: r.plan, warnings: r.warnings, merged: [], fromMemo: true, fromPlanCache: false }, commits: {}, events: [], retries: 0 };
    }
  }
  const planned = source.plan();
  if (source.cached) progress('manifest planned before: plan read from the plan cache (--no-plan-cache to plan it again)');
  ctx.repo.useParseCache({ readOnly: dryRun });
  phase('parse cache opened');
  rememberEncoded(!dryRun);
  const at = ctx.now();
  const now = isoNow(at);
  let plannedState: MemoState | undefined;
  /** Set once the approved pull-request proposals have been merged: the next planning writes. */
  let merging = false;
  const once = () => ctx.repo.transact<SyncPlan>(
    async () => {
      const snap = await ctx.repo.snapshot(MAIN_REF, [CONFIG_PATH, 'assets', 'teams', 'proposals']);
      phase('registry listed');
      const before = memoBase ? await memoState(ctx.repo, snap.commit, actor.email) : undefined;
      const config = await readConfig(snap);
      const contracts = planned.assets.map((a, i) => ({ id: a.id, digest: planned.digests[i]! }));
      // The project comes from this run's own metadata, never from a cached plan (the cache key leaves metadata out).
      const project = planned.header.projectName;
      const registry = await readRegistryState(ctx.repo, snap, config, contracts, { packages: planned.packages, ...(project ? { project } : {}), ...(matcher ? { matches: matcher } : {}) });
      phase('registry read');
      const plan = planSync({
        assets: planned.assets,
        teams: planned.teams,
        state: registry.state,
        missing: registry.missing,
        existingTeams: registry.existingTeams,
        config,
        actor: actor.email,
        now,
        takenProposalIds: registry.proposalIds,
        ...(project ? { project } : {}),
        ...(pullRequest ? { pullRequest } : {}),
      });
      phase('sync planned');
      // The state this plan was computed from, when nothing moved while it was read.
      plannedState = before && sameState(before, await memoState(ctx.repo, snap.commit, actor.email)) ? before : undefined;
      progress(`planned ${planned.assets.length} manifest assets against ${registry.assetCount} registry assets`);
      if (dryRun) return { writes: [], result: plan };
      // The merges go first, on their own (below): this plan was made against the main they change.
      if (plan.merges.length > 0 && !merging) return { writes: [], result: plan };
      const writes: RefWrite[] = [];
      const extra: Record<string, string> = { Source: 'dbt' };
      if (planned.header.invocationId) extra['Dbt-Invocation'] = planned.header.invocationId;
      if (pullRequest) extra['Pull-Request'] = pullRequest.id;
      if (plan.mainFiles.length > 0) {
        writes.push({
          ref: MAIN_REF,
          expectedOld: snap.commit,
          commit: {
            parents: snap.commit ? [snap.commit] : [],
            changes: plan.mainFiles,
            message: formatCommitMessage(subjectOf(plan, project), { event: 'dbt.synced', actor: actor.email, assets: [...new Set([...plan.assetsWritten, ...plan.withdrawn.map((w) => w.asset)])].sort(), extra: withdrawnTrailers(plan, extra) }),
          },
        });
      }
      for (const p of plan.proposals) {
        const pr = p.proposal;
        const retiring = pr.changes.some((c) => c.rule === 'ASSET_RETIRED');
        const verb = p.supersedes ? (retiring ? 'supersede (retire)' : 'supersede') : retiring ? 'propose retiring' : 'propose';
        // A replacement goes on top of the open branch, like publish --supersede; its new fingerprint makes earlier acks stale.
        writes.push({
          ref: proposalBranch(pr.id),
          expectedOld: p.supersedes?.head,
          commit: {
            parents: [p.supersedes?.head ?? snap.commit!],
            changes: p.files,
            message: formatCommitMessage(`${verb} ${pr.asset} ${pr.from_version} -> ${pr.to_version} (sync-dbt)`, { event: p.supersedes ? 'proposal.superseded' : 'proposal.created', actor: actor.email, assets: [pr.asset], version: pr.to_version, proposal: pr.id, team: p.owner, extra }),
          },
        });
      }
      // Withdrawn proposals: their records are in the main commit; the branch and ack refs go, compare-and-swap on each.
      for (const w of plan.withdrawn) {
        writes.push({ ref: proposalBranch(w.id), expectedOld: w.head, delete: true });
        for (const a of w.acks) writes.push({ ref: a.ref, expectedOld: a.commit, delete: true });
      }
      if (writes.length > 0) progress(`writing ${plan.mainFiles.length} file(s) on main and ${plan.proposals.length} proposal branch(es)`);
      return { writes, result: plan };
    },
    { author: actor, when: () => unixSeconds(at) },
  );
  let outcome = await once();
  let retries = outcome.retries;
  const merged: MergedProposal[] = [];
  /** Who proposed each merged proposal: its events' team, as on its merge commit. */
  const proposers = new Map<string, string>();
  if (outcome.result.merges.length > 0 && !dryRun) {
    const first = outcome.result;
    for (const m of first.merges) {
      progress(`merging approved proposal ${m.id} (${m.asset} ${m.to_version})`);
      const r = await mergeIfComplete(ctx, m.id);
      retries += r.retries ?? 0;
      if (!r.merged) continue;
      merged.push({ ...m, commit: r.commit ?? null });
      proposers.set(m.id, r.view.proposal.owner);
    }
    merging = true;
    outcome = await once();
    retries += outcome.retries;
    outcome = { ...outcome, result: foldMerges(outcome.result, first, new Set(merged.map((m) => m.id))) };
  }

  const plan = outcome.result;
  const commit = outcome.commits[MAIN_REF];
  if (commit) ctx.repo.primeParseCache(writtenValues(plan.mainFiles));
  const result: SyncResult = { manifest: planned.header, totals: planned.totals, plan, warnings: planned.warnings, merged, fromMemo: false, fromPlanCache: source.cached, ...(commit ? { commit } : {}) };
  // Nothing to write, computed from a state that did not move: remember it for the same manifest.
  if (memoBase && plannedState && !planWrites(plan) && !dryRun) {
    writeMemo(ctx.repo.gitDir, memoBase, plannedState, { manifest: result.manifest, totals: result.totals, warnings: result.warnings, plan });
  }
  const owners = new Map(plan.items.map((i) => [i.asset, i.owner]));
  const events = syncEvents(plan, dryRun ? plan.merges : merged.map((m) => ({ ...m, owner: proposers.get(m.id) })), owners, outcome.commits, { actor: actor.email, at: now });
  const lastMerge = merged.findLast((m) => m.commit)?.commit;
  const commits = { ...outcome.commits, ...(!commit && lastMerge ? { [MAIN_REF]: lastMerge } : {}) };
  return { result, commits, events, retries };
}
