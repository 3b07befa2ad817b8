import { withRegistry } from '../context.js';
import { ack } from '../../app/ack.js';
import { printJson, printLine } from '../output.js';
import { pullRequestName } from '../../core/proposal.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  return withRegistry(opts, async (ctx) => {
    const { result: r, retries } = await ack(ctx, {
      target: String(args[0]),
      team: String(opts.team),
      decision: String(opts.decision ?? 'approve'),
      ...(opts.note !== undefined ? { note: String(opts.note) } : {}),
    });
    const p = r.proposal;
    if (opts.json) {
      printJson({ action: r.unchanged ? 'unchanged' : 'proposal.acked', proposal: p.id, asset: p.asset, team: r.team, ack: r.ack, merged: r.merged, pending: r.pending, blocked: r.blocked, approved: r.merged || Boolean(r.heldFor?.approved), pull_request: r.heldFor?.pullRequest ?? null, push_retries: retries, merge_retries: r.mergeRetries });
      return 0;
    }
    const past = { approve: 'approved', migrating: 'answered migrating', block: 'blocked' }[r.ack.decision];
    if (r.unchanged) printLine(`${r.team} already ${past} ${p.id} (${p.asset} ${p.from_version} -> ${p.to_version}); nothing changed`);
    else printLine(`${r.team} answered ${r.ack.decision} on ${p.id} (${p.asset} ${p.from_version} -> ${p.to_version})`);
    if (r.merged) printLine(`Every consumer team has approved: ${p.asset} ${p.to_version} is now current.`);
    else {
      if (r.blocked.length) printLine(`Blocked by: ${r.blocked.join(', ')}`);
      if (r.pending.length) printLine(`Still waiting for: ${r.pending.join(', ')}`);
      if (r.heldFor?.approved) printLine(`${p.id} approved; publishes when pull request ${pullRequestName(r.heldFor.pullRequest)} merges (the sync of main merges it then)`);
      else if (!r.pending.length && !r.blocked.length && !r.autoMerge) printLine(`All approvals are in; merge with: tessera merge ${p.id}`);
    }
    return 0;
  }, { writes: true });
}
