import { withRegistry, isoNow, unixSeconds } from '../context.js';
import { closeWrites, loadProposalState } from '../proposal-flow.js';
import { findOpenProposal, requireOpenProposal } from '../../registry/proposals.js';
import { readConfig, requireTeam } from '../../registry/state.js';
import { assertMember } from '../../core/membership.js';
import { CONFIG_PATH, MAIN_REF, teamPath } from '../../core/paths.js';
import { printJson, printLine } from '../output.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const target = String(args[0]);
  const reason = opts.reason as string | undefined;
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
