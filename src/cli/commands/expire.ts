import { withRegistry, isoNow, unixSeconds } from '../context.js';
import { closeWrites, loadProposalState } from '../proposal-flow.js';
import { listOpenProposals } from '../../registry/proposals.js';
import { MAIN_REF } from '../../core/paths.js';
import { closedRecord } from '../../core/proposal.js';
import { formatCommitMessage } from '../../core/commit-message.js';
import type { RefWrite } from '../../registry/repository.js';
import { printJson, printLine } from '../output.js';

export async function run(_args: unknown[], opts: Record<string, unknown>): Promise<number> {
  return withRegistry(opts, async (ctx) => {
    const actor = await ctx.identity();
    const at = ctx.now();
    const now = isoNow(at);
    const { result } = await ctx.repo.transact(
      async () => {
        const expired = (await listOpenProposals(ctx.repo)).filter((o) => o.proposal.expires_at <= now);
        if (expired.length === 0) return { writes: [], result: [] as string[] };
        const snap = await ctx.repo.snapshot(MAIN_REF, ['proposals']);
        // One commit on main records every expiry; each branch and ack ref goes in the same atomic update.
        const writes: RefWrite[] = [];
        const files = [];
        for (const o of expired) {
          const state = await loadProposalState(ctx, o);
          const [, ...cleanup] = closeWrites(state, snap.commit!, 'expired', actor.email, now, undefined);
          writes.push(...cleanup);
          files.push(closedRecord(o.proposal, 'expired', actor.email, now));
        }
        const ids = expired.map((o) => o.proposal.id);
        const message = formatCommitMessage(`expire ${ids.length} proposal(s): ${ids.join(', ')}`, { event: 'proposal.expired', actor: actor.email, assets: expired.map((o) => o.proposal.asset) });
        writes.unshift({ ref: MAIN_REF, expectedOld: snap.commit, commit: { parents: [snap.commit!], changes: files, message } });
        return { writes, result: ids };
      },
      { author: actor, when: () => unixSeconds(at) },
    );
    if (opts.json) printJson({ action: 'proposals.expired', proposals: result });
    else printLine(result.length ? `Expired ${result.length} proposal(s): ${result.join(', ')}` : 'No open proposal is past its expiry.');
    return 0;
  }, { writes: true });
}
