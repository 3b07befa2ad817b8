/**
 * Publishing a contract: the first version, a compatible one, or a breaking
 * one, which opens (or with `supersede` replaces) a proposal, is published
 * as a new major version when nobody consumes the asset, or with `force`
 * goes live over missing acks (the reason recorded, an open proposal closed).
 */
import type { AppContext, Outcome } from './context.js';
import { isoNow, unixSeconds } from './context.js';
import { closeWrites, loadProposalState } from './proposal-state.js';
import { mergeWhenComplete } from './merge.js';
import type { Snapshot } from '../registry/snapshot.js';
import { readAssetHistory } from '../registry/asset-state.js';
import { findOpenProposal } from '../registry/proposals.js';
import { readConfig, readConsumers, requireAsset, requireTeam } from '../registry/state.js';
import type { RefWrite } from '../registry/repository.js';
import { filesWithVia, forcedFiles, planPublish, type PublishDecision, type PublishRequest as ContractRequest } from '../core/publish.js';
import { newProposalId, planProposalBranch, proposalBranch } from '../core/proposal.js';
import { assertMember } from '../core/membership.js';
import { formatCommitMessage, type Trailers } from '../core/commit-message.js';
import { InputError, PolicyError } from '../core/errors.js';
import { assetDir, CONFIG_PATH, MAIN_REF } from '../core/paths.js';
import type { FileWrite } from '../core/plan-types.js';
import type { DiffOptions } from '../core/diff/types.js';
import type { DomainEvent } from '../core/events.js';
import type { RegistryConfig } from '../core/model.js';

export interface PlannedPublish {
  config: RegistryConfig;
  decision: PublishDecision;
  owner: string | undefined;
}

/** Plan a publish; `enforceMembership` is off for `check` and a dry run, which write nothing. */
export async function planPublishOn(snap: Snapshot, request: ContractRequest, actor: string, now: string, enforceMembership: boolean): Promise<PlannedPublish> {
  const config = await readConfig(snap);
  const history = await readAssetHistory(snap, request.asset);
  const ownerName = history.asset?.owner ?? request.owner;
  if (ownerName && enforceMembership) {
    const team = await requireTeam(snap, ownerName);
    assertMember(config, team, actor, `publish for it`);
  }
  const decision = planPublish(request, history, { config, actor, now });
  return { config, decision, owner: ownerName };
}

export interface PublishRequest {
  /** The contract as read from its file (schema, guarantees, mode, owner, version, ...). */
  contract: ContractRequest;
  /** Decide, and say what would be written, writing nothing. */
  dryRun?: boolean;
  /** Publish a breaking change without the consumers' acks; needs `reason`. */
  force?: boolean;
  /** Replace the asset's open proposal (earlier acks stop counting). */
  supersede?: boolean;
  reason?: string;
}

export type PublishAction = 'unchanged' | 'contract.published' | 'contract.forced' | 'proposal.created' | 'proposal.superseded';

export interface PublishResult {
  decision: PublishDecision;
  action: PublishAction;
  options: DiffOptions;
  dryRun: boolean;
  /** The asset's owner team, when it has one. */
  owner?: string;
  /** Breaking, but no team consumes the asset: published as a new major version. */
  noConsumers?: boolean;
  /** A forced publish: the teams whose approval it went without, and the open proposal it closed. */
  forced?: { missingTeams: string[]; proposal?: string };
  /** The proposal opened (or superseded, keeping its id). */
  proposal?: { id: string; from_version: string; to_version: string; required_teams: string[]; informed_teams: string[]; footprint: string[]; fingerprint: string; expires_at: string; superseded: boolean };
  /** The proposal required no team (every consumer's fields miss its footprint) and merged at once, under policy.auto_merge. */
  merged?: { commit?: string };
}

/** The refusals a request earns before any registry is read (the CLI asks before opening one). */
export function validatePublish(req: Pick<PublishRequest, 'force' | 'supersede' | 'reason'>): void {
  if (req.force && (!req.reason || !req.reason.trim())) throw new InputError('--force needs --reason', 'say why, e.g. --reason "consumers agreed in INC-42"; it is recorded');
  if (req.force && req.supersede) throw new InputError('--force and --supersede cannot be combined', 'choose one: publish over missing acks, or replace the open proposal');
}

export async function publish(ctx: AppContext, req: PublishRequest): Promise<Outcome<PublishResult>> {
  validatePublish(req);
  const dryRun = Boolean(req.dryRun);
  const asset = req.contract.asset;
  const reason = req.reason;
  const actor = await ctx.identity();
  const at = ctx.now();
  const now = isoNow(at);
  let autoMerge = false;
  const outcome = await ctx.repo.transact<PublishResult>(
    async () => {
      const snap = await ctx.repo.snapshot(MAIN_REF, [CONFIG_PATH, assetDir(asset), 'teams']);
      const { config, decision, owner } = await planPublishOn(snap, req.contract, actor.email, now, !dryRun);
      autoMerge = config.policy.auto_merge;
      const options: DiffOptions = { mode: 'report' in decision ? decision.report.mode : 'backward', contentModel: req.contract.contentModel ?? config.defaults.content_model, policy: 'strict', profile: 'tessera' };
      const result = (action: PublishAction, more: Partial<PublishResult> = {}): PublishResult => ({ decision, action, options, dryRun, ...(owner ? { owner } : {}), ...more });
      const trailers = (event: string, extra?: Record<string, string>): Trailers => ({
        event,
        actor: actor.email,
        assets: [asset],
        version: decision.version,
        ...(owner ? { team: owner } : {}),
        ...(extra ? { extra } : {}),
      });
      const onMain = (files: FileWrite[], subject: string, event: string, extra?: Record<string, string>): RefWrite => ({
        ref: MAIN_REF,
        expectedOld: snap.commit,
        commit: { parents: snap.commit ? [snap.commit] : [], changes: files, message: formatCommitMessage(subject, trailers(event, extra)) },
      });
      const plan = (writes: RefWrite[], r: PublishResult) => ({ writes: dryRun ? [] : writes, result: r });

      if (decision.action === 'unchanged') return plan([], result('unchanged'));
      if (decision.action === 'created' || decision.action === 'published') {
        return plan([onMain(decision.files, `publish ${asset} ${decision.version}`, 'contract.published')], result('contract.published'));
      }

      const open = await findOpenProposal(ctx.repo, asset);
      if (req.force) {
        const state = open ? await loadProposalState(ctx, open) : undefined;
        const missing = state ? [...state.view.pending, ...state.view.blocked] : decision.consumers;
        const files = forcedFiles(decision, reason!, missing, open?.proposal.id);
        const writes = state
          ? closeWrites(state, snap.commit!, 'forced', actor.email, now, reason, files, `force-publish ${asset} ${decision.version} over proposal ${open!.proposal.id}`)
          : [onMain(files, `force-publish ${asset} ${decision.version}`, 'contract.forced', { Reason: reason! })];
        return plan(writes, result('contract.forced', { forced: { missingTeams: missing, ...(open ? { proposal: open.proposal.id } : {}) } }));
      }
      if (open && !req.supersede) {
        throw new PolicyError(`${asset} already has an open proposal ${open.proposal.id} (${open.proposal.from_version} -> ${open.proposal.to_version})`, `replace it with --supersede, or withdraw it: tessera withdraw ${open.proposal.id}`);
      }
      if (!open && decision.consumers.length === 0 && !config.policy.proposal_without_consumers) {
        return plan([onMain(filesWithVia(decision, 'no-consumers'), `publish ${asset} ${decision.version} (breaking, no consumers)`, 'contract.published')], result('contract.published', { noConsumers: true }));
      }
      const current = snap.commit!;
      const assetNow = await requireAsset(snap, asset);
      const id = open?.proposal.id ?? newProposalId(asset, decision.version, now, actor.email);
      const { proposal, files } = planProposalBranch({
        id,
        asset: assetNow,
        newVersion: decision.newVersion,
        consumers: await readConsumers(snap, asset),
        author: actor.email,
        now,
        config,
        hints: decision.report.hints,
        ...(open ? { supersedes: { id: open.proposal.id, head: open.head, created_at: open.proposal.created_at, to_version: open.proposal.to_version } } : {}),
        ...(assetNow.downstream ? { downstream: assetNow.downstream } : {}),
      });
      const event = open ? 'proposal.superseded' : 'proposal.created';
      const message = formatCommitMessage(`${open ? 'supersede' : 'propose'} ${asset} ${proposal.from_version} -> ${proposal.to_version}`, { ...trailers(event), proposal: id });
      const write: RefWrite = { ref: proposalBranch(id), expectedOld: open?.head, commit: { parents: [open?.head ?? current], changes: files, message } };
      const opened = { id, from_version: proposal.from_version, to_version: proposal.to_version, required_teams: proposal.required_teams, informed_teams: proposal.informed_teams ?? [], footprint: proposal.scope?.footprint ?? [], fingerprint: proposal.fingerprint, expires_at: proposal.expires_at, superseded: Boolean(open) };
      return plan([write], result(event, { proposal: opened }));
    },
    { author: actor, when: () => unixSeconds(at) },
  );
  const events = publishEvents(outcome.result, actor.email, now, outcome.commits);
  const opened = outcome.result.proposal;
  // Nobody's scope meets the change: nobody is waited for, so it merges now (the informed teams were told).
  if (opened && opened.required_teams.length === 0 && opened.informed_teams.length > 0 && autoMerge && !dryRun) {
    const merge = await mergeWhenComplete(ctx, opened.id);
    if (merge.result.merged) {
      outcome.result.merged = merge.result.commit ? { commit: merge.result.commit } : {};
      return { result: outcome.result, commits: { ...outcome.commits, ...merge.commits }, events: [...events, ...merge.events], retries: outcome.retries };
    }
  }
  return { result: outcome.result, commits: outcome.commits, events, retries: outcome.retries };
}

/** What a publish did, as events; the commit is the new head of the ref it wrote (main, or the proposal's branch). */
function publishEvents(r: PublishResult, actor: string, at: string, commits: Record<string, string>): DomainEvent[] {
  if (r.action === 'unchanged') return [];
  const commit = commits[r.proposal ? proposalBranch(r.proposal.id) : MAIN_REF];
  const proposal = r.proposal?.id ?? r.forced?.proposal;
  return [
    {
      type: r.action,
      actor,
      at,
      asset: r.decision.asset,
      version: r.decision.version,
      ...(proposal ? { proposal } : {}),
      ...(r.owner ? { team: r.owner } : {}),
      ...(commit ? { commit } : {}),
    },
  ];
}
