/** Expiring proposals: every open proposal past its expiry closes, in one commit on main. */
import type { AppContext, Outcome } from './context.js';
import { isoNow, unixSeconds } from './context.js';
import { cleanupWrites, loadProposalState, proposalEvent } from './proposal-state.js';
import { listOpenProposals, type OpenProposal } from '../registry/proposals.js';
import { MAIN_REF } from '../core/paths.js';
import { closedRecord } from '../core/proposal.js';
import { formatCommitMessage } from '../core/commit-message.js';
import type { RefWrite } from '../registry/repository.js';

export interface ExpireResult {
  /** The ids of the proposals expired, oldest first. */
  proposals: string[];
}

export async function expire(ctx: AppContext): Promise<Outcome<ExpireResult>> {
  const actor = await ctx.identity();
  const at = ctx.now();
  const now = isoNow(at);
  const outcome = await ctx.repo.transact(
    async () => {
      const expired = (await listOpenProposals(ctx.repo)).filter((o) => o.proposal.expires_at <= now);
      if (expired.length === 0) return { writes: [], result: [] as OpenProposal[] };
      const snap = await ctx.repo.snapshot(MAIN_REF, ['proposals']);
      // One commit on main records every expiry; each branch and ack ref goes in the same atomic update.
      const writes: RefWrite[] = [];
      const files = [];
      for (const o of expired) {
        writes.push(...cleanupWrites(await loadProposalState(ctx, o)));
        files.push(closedRecord(o.proposal, 'expired', actor.email, now));
      }
      const ids = expired.map((o) => o.proposal.id);
      const message = formatCommitMessage(`expire ${ids.length} proposal(s): ${ids.join(', ')}`, { event: 'proposal.expired', actor: actor.email, assets: expired.map((o) => o.proposal.asset) });
      writes.unshift({ ref: MAIN_REF, expectedOld: snap.commit, commit: { parents: [snap.commit!], changes: files, message } });
      return { writes, result: expired };
    },
    { author: actor, when: () => unixSeconds(at) },
  );
  const expired = outcome.result.map((o) => o.proposal);
  return {
    result: { proposals: expired.map((p) => p.id) },
    commits: outcome.commits,
    events: expired.map((p) => proposalEvent('proposal.expired', p, actor.email, now, outcome.commits[MAIN_REF])),
    retries: outcome.retries,
  };
}
