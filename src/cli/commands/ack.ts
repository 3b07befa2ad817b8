import { withRegistry, isoNow, unixSeconds } from '../context.js';
import { mergeIfComplete, loadProposalState } from '../proposal-flow.js';
import { requireOpenProposal } from '../../registry/proposals.js';
import { readConfig, readTeam } from '../../registry/state.js';
import { resolveRef } from '../../registry/git.js';
import { ackRef, planAck } from '../../core/proposal.js';
import { assetDir, checkTeamName, CONFIG_PATH, consumerPath, MAIN_REF, teamPath } from '../../core/paths.js';
import { consumerSchema, DECISIONS, type Decision } from '../../core/model.js';
import { formatCommitMessage } from '../../core/commit-message.js';
import { InputError } from '../../core/errors.js';
import { printJson, printLine } from '../output.js';

export async function run(args: unknown[], opts: Record<string, unknown>): Promise<number> {
  const target = String(args[0]);
  const team = checkTeamName(String(opts.team));
  const decision = String(opts.decision ?? 'approve') as Decision;
  if (!DECISIONS.includes(decision)) throw new InputError(`unknown decision '${decision}'`, `use one of: ${DECISIONS.join(', ')}`);
  const note = opts.note as string | undefined;

  return withRegistry(opts, async (ctx) => {
    const actor = await ctx.identity();
    const at = ctx.now();
    let autoMerge = true;
    const written = await ctx.repo.transact(
      async () => {
        const snap = await ctx.repo.snapshot(MAIN_REF, [CONFIG_PATH, teamPath(team), 'proposals']);
        const open = await requireOpenProposal(ctx.repo, snap, target);
        const p = open.proposal;
        const config = await readConfig(snap);
        autoMerge = config.policy.auto_merge;
        const main = await ctx.repo.snapshot(MAIN_REF, [assetDir(p.asset)]);
        const consumer = await main.read(consumerPath(p.asset, team), consumerSchema);
        const { ack, file } = planAck({ config, proposal: p, team: await readTeam(snap, team), teamName: team, consumer, actor: actor.email, now: isoNow(at), decision, ...(note !== undefined ? { note } : {}) });
        const ref = ackRef(p.id, team);
        const message = formatCommitMessage(`${team} ${decision === 'approve' ? 'approves' : decision === 'block' ? 'blocks' : 'is migrating for'} proposal ${p.id}: ${p.asset} ${p.to_version}`, {
          event: `proposal.acked`,
          actor: actor.email,
          assets: [p.asset],
          version: p.to_version,
          proposal: p.id,
          team,
          extra: { Decision: decision },
        });
        return { writes: [{ ref, expectedOld: await resolveRef(ctx.repo.gitDir, ref), commit: { parents: [open.head], changes: [file], message } }], result: { ack, proposal: p } };
      },
      { author: actor, when: () => unixSeconds(at) },
    );
    const { ack, proposal } = written.result;

    // See everyone else's acks: the last team to answer triggers the merge.
    await ctx.repo.sync(true);
    let merge: Awaited<ReturnType<typeof mergeIfComplete>> | undefined;
    if (autoMerge) merge = await mergeIfComplete(ctx, proposal.id);
    let pending: string[] = [];
    let blocked: string[] = [];
    if (!merge?.merged) {
      const open = await requireOpenProposal(ctx.repo, await ctx.repo.snapshot(MAIN_REF, ['proposals']), proposal.id).catch(() => undefined);
      if (open) ({ pending, blocked } = (await loadProposalState(ctx, open)).view);
    }
    const merged = Boolean(merge?.merged);
    if (opts.json) {
      printJson({ action: 'proposal.acked', proposal: proposal.id, asset: proposal.asset, team, ack, merged, pending, blocked, push_retries: written.retries });
      return 0;
    }
    printLine(`${team} answered ${ack.decision} on ${proposal.id} (${proposal.asset} ${proposal.from_version} -> ${proposal.to_version})`);
    if (merged) printLine(`Every consumer team has approved: ${proposal.asset} ${proposal.to_version} is now current.`);
    else {
      if (blocked.length) printLine(`Blocked by: ${blocked.join(', ')}`);
      if (pending.length) printLine(`Still waiting for: ${pending.join(', ')}`);
      if (!pending.length && !blocked.length && !autoMerge) printLine(`All approvals are in; merge with: tessera merge ${proposal.id}`);
    }
    return 0;
  });
}
