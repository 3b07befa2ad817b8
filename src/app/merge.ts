/**
 * Merging a proposal: the last ack's auto-merge, `tessera merge`, and the
 * sync of main (an approved pull-request proposal) all go through
 * mergeIfComplete, so every merge writes the same commit.
 */
import type { AppContext, Outcome } from './context.js';
import { isoNow, unixSeconds } from './context.js';
import { cleanupWrites, loadProposalState, proposalEvent } from './proposal-state.js';
import { findOpenProposal, requireOpenProposal } from '../registry/proposals.js';
import { requireAsset } from '../registry/state.js';
import { ackCommand, planMerge, pullRequestName, type ProposalView } from '../core/proposal.js';
import { formatCommitMessage } from '../core/commit-message.js';
import { assetDir, CONFIG_PATH, MAIN_REF, versionPath } from '../core/paths.js';
import { versionSchema } from '../core/model.js';
import { PolicyError } from '../core/errors.js';
import type { Proposal } from '../core/model.js';

export type MergeResult = ({ merged: true; view: ProposalView; commit?: string } | { merged: false; view?: ProposalView; reason: 'incomplete' | 'gone' }) & {
  /** Lost compare-and-swap races of the merge transaction (another writer moved main or the refs first). */
  retries?: number;
};

/**
 * Merge the proposal when every required team has approved, with the
 * outcome's proposal.merged event when it did. Safe to race: every ref
 * moves by compare-and-swap, and a loser re-reads and finds the proposal
 * already gone.
 */
export async function mergeWhenComplete(ctx: AppContext, proposalId: string): Promise<Outcome<MergeResult>> {
  const actor = await ctx.identity();
  const at = ctx.now();
  const outcome = await ctx.repo.transact<MergeResult>(
    async () => {
      const open = await findOpenProposal(ctx.repo, proposalId);
      if (!open) return { writes: [], result: { merged: false, reason: 'gone' } };
      const state = await loadProposalState(ctx, open);
      if (!state.view.complete) return { writes: [], result: { merged: false, view: state.view, reason: 'incomplete' } };
      const snap = await ctx.repo.snapshot(MAIN_REF, [CONFIG_PATH, assetDir(open.proposal.asset)]);
      const asset = await requireAsset(snap, open.proposal.asset);
      // This very merge, landed by a racing writer between our read of the refs and of main (readers do not see a
      // ref transaction at one instant): the loser's answer is "gone", not planMerge's "moved" refusal.
      if (asset.current_version === open.proposal.to_version && (await snap.read(versionPath(asset.id, asset.current_version), versionSchema))?.proposal === open.proposal.id) {
        return { writes: [], result: { merged: false, reason: 'gone' } };
      }
      const files = planMerge({
        view: state.view,
        asset,
        version: open.version,
        consumersOnMain: new Map(state.consumers.map((c) => [c.team, c])),
        by: actor.email,
        now: isoNow(at),
      });
      // The ack commits become parents: main's history keeps who acked, signed by their own commits.
      const ackCommits = state.view.answers.map((a) => state.acks.get(a.team)?.commit).filter((c): c is string => Boolean(c));
      const parents = [snap.commit!, ...(ackCommits.length > 0 ? ackCommits : [open.head])];
      const p = open.proposal;
      const message = formatCommitMessage(
        `merge proposal ${p.id}: ${p.asset} ${p.to_version}`,
        { event: 'proposal.merged', actor: actor.email, assets: [p.asset], version: p.to_version, proposal: p.id, team: p.owner },
        state.view.answers.map((a) => `${a.team}: ${a.ack?.decision ?? 'none'} by ${a.ack?.by ?? '-'}`).join('\n'),
      );
      return {
        writes: [{ ref: MAIN_REF, expectedOld: snap.commit, commit: { parents, changes: files, message } }, ...cleanupWrites(state)],
        result: { merged: true, view: state.view },
      };
    },
    { author: actor, when: () => unixSeconds(at) },
  );
  const result = outcome.result;
  if (result.merged) result.commit = outcome.commits[MAIN_REF];
  result.retries = outcome.retries;
  const events = result.merged ? [proposalEvent('proposal.merged', result.view.proposal, actor.email, isoNow(at), result.commit)] : [];
  return { result, commits: outcome.commits, events, retries: outcome.retries };
}

/** mergeWhenComplete's result alone, for callers that report merges themselves (the sync of main). */
export async function mergeIfComplete(ctx: AppContext, proposalId: string): Promise<MergeResult> {
  return (await mergeWhenComplete(ctx, proposalId)).result;
}

export interface MergeRequest {
  /** A proposal id, or an asset with an open proposal. */
  target: string;
  /** Merge a proposal that waits on its pull request anyway (the pull request has merged). */
  force?: boolean;
}

export interface MergedProposal {
  proposal: Proposal;
  commit: string | undefined;
}

/** `tessera merge`: merge now, or refuse naming who has still to approve. */
export async function merge(ctx: AppContext, req: MergeRequest): Promise<Outcome<MergedProposal>> {
  const open = await requireOpenProposal(ctx.repo, await ctx.repo.snapshot(MAIN_REF, ['proposals']), req.target);
  const held = open.proposal.pull_request;
  // Its change is live only once the pull request merges; the sync of main merges it then, with exactly that contract.
  if (held && !req.force) {
    throw new PolicyError(
      `proposal ${open.proposal.id} waits for pull request ${pullRequestName(held)}${held.url ? ` (${held.url})` : ''} to merge; the sync of main publishes it then`,
      `if the pull request has merged already: tessera merge ${open.proposal.id} --force`,
    );
  }
  const outcome = await mergeWhenComplete(ctx, open.proposal.id);
  const result = outcome.result;
  if (!result.merged) {
    const missing = result.view ? [...result.view.pending.map((t) => `${t} (no answer)`), ...result.view.blocked.map((t) => `${t} (blocked)`)] : [];
    const teams = result.view ? [...result.view.pending, ...result.view.blocked] : [];
    const asks = (teams.length > 0 ? teams : ['<team>']).map((t) => ackCommand(open.proposal.id, t)).join('; ');
    throw new PolicyError(`proposal ${open.proposal.id} cannot merge: missing approvals from ${missing.join(', ') || 'unknown'}`, `ask them to run: ${asks}`);
  }
  return { ...outcome, result: { proposal: open.proposal, commit: result.commit } };
}
