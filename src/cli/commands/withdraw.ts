import { withRegistry, isoNow, unixSeconds } from '../context.js';
import { closeManyWrites, closeWrites, loadProposalState } from '../proposal-flow.js';
import { findOpenProposal, listOpenProposals, requireOpenProposal } from '../../registry/proposals.js';
import { readConfig, requireTeam } from '../../registry/state.js';
import { assertMember } from '../../core/membership.js';
import { CONFIG_PATH, MAIN_REF, teamPath } from '../../core/paths.js';
import { InputError } from '../../core/errors.js';
import { pullRequestName } from '../../core/proposal.js';
import type { PullRequestRef } from '../../core/model.js';
import { resolvePullRequest } from '../sync-dbt/pull-request.js';
import { printJson, printLine } from '../output.js';
import type { CommandContext } from '../context.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const target = args[0] === undefined ? undefined : String(args[0]);
  const reason = opts.reason as string | undefined;
  if (opts.pullRequest !== undefined) {
    if (target !== undefined) throw new InputError('give a proposal or --pull-request, not both', 'tessera withdraw p-3f9a2c1d, or: tessera withdraw --pull-request 42');
    const pr = resolvePullRequest({ pullRequest: opts.pullRequest })!;
    return withRegistry(opts, (ctx) => withdrawPullRequest(ctx, pr, reason, Boolean(opts.json)), { writes: true });
  }
  if (target === undefined) throw new InputError('withdraw needs a proposal', 'tessera withdraw p-3f9a2c1d, or every proposal of a pull request: tessera withdraw --pull-request 42');
  return withRegistry(opts, async (ctx) => {
    const actor = await ctx.identity();
    const at = ctx.now();
    const first = await requireOpenProposal(ctx.repo, await ctx.repo.snapshot(MAIN_REF, ['proposals']), target);
    const id = first.proposal.id;
    await ctx.repo.transact(
      async () => {
        const open = (await findOpenProposal(ctx.repo, id)) ?? (await requireOpenProposal(ctx.repo, await ctx.repo.snapshot(MAIN_REF, ['proposals']), id));
        const snap = await ctx.repo.snapshot(MAIN_REF, [CONFIG_PATH, teamPath(open.proposal.owner)]);
        assertMember(await readConfig(snap), await requireTeam(snap, open.proposal.owner), actor.email, `withdraw proposal ${id}`);
        const state = await loadProposalState(ctx, open);
        return { writes: closeWrites(state, snap.commit!, 'withdrawn', actor.email, isoNow(at), reason), result: null };
      },
      { author: actor, when: () => unixSeconds(at) },
    );
    if (opts.json) printJson({ action: 'proposal.withdrawn', proposal: id, asset: first.proposal.asset });
    else printLine(`Withdrew ${id} (${first.proposal.asset} ${first.proposal.to_version})`);
    return 0;
  }, { writes: true });
}

/**
 * A pull request closed unmerged: every open proposal naming it goes, in one
 * commit on main that records each one (status withdrawn) and names the pull
 * request. The producer's CI opened them (sync-dbt --pull-request), so a
 * policy.ci_actors identity may close them too, like any member of the owner
 * teams. None open is not an error: the closed event fires for every pull
 * request, most of which never changed a contract.
 */
async function withdrawPullRequest(ctx: CommandContext, pr: PullRequestRef, reason: string | undefined, json: boolean): Promise<number> {
  const actor = await ctx.identity();
  const at = ctx.now();
  const why = reason ?? `pull request ${pullRequestName(pr)} closed without merging`;
  const { result } = await ctx.repo.transact(
    async () => {
      const open = (await listOpenProposals(ctx.repo)).filter((o) => o.proposal.pull_request?.id === pr.id);
      if (open.length === 0) return { writes: [], result: [] as Array<{ id: string; asset: string; to_version: string }> };
      const owners = [...new Set(open.map((o) => o.proposal.owner))].sort();
      const snap = await ctx.repo.snapshot(MAIN_REF, [CONFIG_PATH, ...owners.map(teamPath), 'proposals']);
      const config = await readConfig(snap);
      const ci = config.policy.ci_actors.some((c) => c.toLowerCase() === actor.email.toLowerCase());
      if (!ci) for (const owner of owners) assertMember(config, await requireTeam(snap, owner), actor.email, `withdraw the proposals of pull request ${pullRequestName(pr)}`);
      const states = await Promise.all(open.map((o) => loadProposalState(ctx, o)));
      const ids = open.map((o) => o.proposal.id);
      const writes = closeManyWrites(states, snap.commit!, 'withdrawn', actor.email, isoNow(at), why, `withdraw ${ids.length} proposal(s) of pull request ${pullRequestName(pr)}: ${ids.join(', ')}`, { 'Pull-Request': pr.id });
      return { writes, result: open.map((o) => ({ id: o.proposal.id, asset: o.proposal.asset, to_version: o.proposal.to_version })) };
    },
    { author: actor, when: () => unixSeconds(at) },
  );
  if (json) printJson({ action: 'proposals.withdrawn', pull_request: pr, reason: why, proposals: result });
  else if (result.length === 0) printLine(`No open proposal names pull request ${pullRequestName(pr)}; nothing to withdraw.`);
  else printLine(`Withdrew ${result.length} proposal(s) of pull request ${pullRequestName(pr)}: ${result.map((r) => `${r.id} (${r.asset} ${r.to_version})`).join(', ')}`);
  return 0;
}
