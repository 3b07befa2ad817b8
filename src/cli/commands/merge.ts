import { withRegistry } from '../context.js';
import { mergeIfComplete } from '../proposal-flow.js';
import { requireOpenProposal } from '../../registry/proposals.js';
import { MAIN_REF } from '../../core/paths.js';
import { PolicyError } from '../../core/errors.js';
import { printJson, printLine } from '../output.js';
import { ackCommand, pullRequestName } from '../../core/proposal.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const target = String(args[0]);
  return withRegistry(opts, async (ctx) => {
    const open = await requireOpenProposal(ctx.repo, await ctx.repo.snapshot(MAIN_REF, ['proposals']), target);
    const held = open.proposal.pull_request;
    // Its change is live only once the pull request merges; the sync of main merges it then, with exactly that contract.
    if (held && !opts.force) {
      throw new PolicyError(
        `proposal ${open.proposal.id} waits for pull request ${pullRequestName(held)}${held.url ? ` (${held.url})` : ''} to merge; the sync of main publishes it then`,
        `if the pull request has merged already: tessera merge ${open.proposal.id} --force`,
      );
    }
    const result = await mergeIfComplete(ctx, open.proposal.id);
    if (!result.merged) {
      const missing = result.view ? [...result.view.pending.map((t) => `${t} (no answer)`), ...result.view.blocked.map((t) => `${t} (blocked)`)] : [];
      const teams = result.view ? [...result.view.pending, ...result.view.blocked] : [];
      const asks = (teams.length > 0 ? teams : ['<team>']).map((t) => ackCommand(open.proposal.id, t)).join('; ');
      throw new PolicyError(`proposal ${open.proposal.id} cannot merge: missing approvals from ${missing.join(', ') || 'unknown'}`, `ask them to run: ${asks}`);
    }
    if (opts.json) printJson({ action: 'proposal.merged', proposal: open.proposal.id, asset: open.proposal.asset, version: open.proposal.to_version, commit: result.commit ?? null });
    else printLine(`Merged ${open.proposal.id}: ${open.proposal.asset} ${open.proposal.to_version} is now current`);
    return 0;
  }, { writes: true });
}
