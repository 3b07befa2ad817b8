/**
 * Withdrawing proposals: one by its owner team, or every proposal of a pull
 * request that closed without merging.
 */
import type { AppContext, Outcome } from './context.js';
import { isoNow, unixSeconds } from './context.js';
import { closeManyWrites, closeWrites, loadProposalState, proposalEvent } from './proposal-state.js';
import { findOpenProposal, listOpenProposals, requireOpenProposal, type OpenProposal } from '../registry/proposals.js';
import { readConfig, requireTeam } from '../registry/state.js';
import { assertMember } from '../core/membership.js';
import { CONFIG_PATH, MAIN_REF, teamPath } from '../core/paths.js';
import { pullRequestName } from '../core/proposal.js';
import type { PullRequestRef } from '../core/model.js';

export interface WithdrawRequest {
  /** A proposal id, or an asset with an open proposal. */
  target: string;
  reason?: string;
}

export interface WithdrawnProposal {
  id: string;
  asset: string;
  to_version: string;
}

export async function withdraw(ctx: AppContext, req: WithdrawRequest): Promise<Outcome<WithdrawnProposal>> {
  const actor = await ctx.identity();
  const at = ctx.now();
  const first = await requireOpenProposal(ctx.repo, await ctx.repo.snapshot(MAIN_REF, ['proposals']), req.target);
  const id = first.proposal.id;
  const outcome = await ctx.repo.transact<OpenProposal>(
    async () => {
      const open = (await findOpenProposal(ctx.repo, id)) ?? (await requireOpenProposal(ctx.repo, await ctx.repo.snapshot(MAIN_REF, ['proposals']), id));
      const snap = await ctx.repo.snapshot(MAIN_REF, [CONFIG_PATH, teamPath(open.proposal.owner)]);
      assertMember(await readConfig(snap), await requireTeam(snap, open.proposal.owner), actor.email, `withdraw proposal ${id}`);
      const state = await loadProposalState(ctx, open);
      return { writes: closeWrites(state, snap.commit!, 'withdrawn', actor.email, isoNow(at), req.reason), result: open };
    },
    { author: actor, when: () => unixSeconds(at) },
  );
  return {
    result: { id, asset: first.proposal.asset, to_version: first.proposal.to_version },
    commits: outcome.commits,
    events: [proposalEvent('proposal.withdrawn', outcome.result.proposal, actor.email, isoNow(at), outcome.commits[MAIN_REF])],
    retries: outcome.retries,
  };
}

export interface WithdrawPullRequestRequest {
  pullRequest: PullRequestRef;
  reason?: string;
}

export interface WithdrawnPullRequest {
  pullRequest: PullRequestRef;
  /** The reason recorded on each proposal: the one given, or that the pull request closed unmerged. */
  reason: string;
  proposals: WithdrawnProposal[];
}

/**
 * A pull request closed unmerged: every open proposal naming it goes, in one
 * commit on main that records each one (status withdrawn) and names the pull
 * request. The producer's CI opened them (sync-dbt --pull-request), so a
 * policy.ci_actors identity may close them too, like any member of the owner
 * teams. None open is not an error: the closed event fires for every pull
 * request, most of which never changed a contract.
 */
export async function withdrawPullRequest(ctx: AppContext, req: WithdrawPullRequestRequest): Promise<Outcome<WithdrawnPullRequest>> {
  const pr = req.pullRequest;
  const actor = await ctx.identity();
  const at = ctx.now();
  const why = req.reason ?? `pull request ${pullRequestName(pr)} closed without merging`;
  const outcome = await ctx.repo.transact(
    async () => {
      const open = (await listOpenProposals(ctx.repo)).filter((o) => o.proposal.pull_request?.id === pr.id);
      if (open.length === 0) return { writes: [], result: [] as OpenProposal[] };
      const owners = [...new Set(open.map((o) => o.proposal.owner))].sort();
      const snap = await ctx.repo.snapshot(MAIN_REF, [CONFIG_PATH, ...owners.map(teamPath), 'proposals']);
      const config = await readConfig(snap);
      const ci = config.policy.ci_actors.some((c) => c.toLowerCase() === actor.email.toLowerCase());
      if (!ci) for (const owner of owners) assertMember(config, await requireTeam(snap, owner), actor.email, `withdraw the proposals of pull request ${pullRequestName(pr)}`);
      const states = await Promise.all(open.map((o) => loadProposalState(ctx, o)));
      const ids = open.map((o) => o.proposal.id);
      const writes = closeManyWrites(states, snap.commit!, 'withdrawn', actor.email, isoNow(at), why, `withdraw ${ids.length} proposal(s) of pull request ${pullRequestName(pr)}: ${ids.join(', ')}`, { 'Pull-Request': pr.id });
      return { writes, result: open };
    },
    { author: actor, when: () => unixSeconds(at) },
  );
  const closed = outcome.result.map((o) => o.proposal);
  return {
    result: { pullRequest: pr, reason: why, proposals: closed.map((p) => ({ id: p.id, asset: p.asset, to_version: p.to_version })) },
    commits: outcome.commits,
    events: closed.map((p) => proposalEvent('proposal.withdrawn', p, actor.email, isoNow(at), outcome.commits[MAIN_REF])),
    retries: outcome.retries,
  };
}
