/**
 * The proposal workflow's shell: reads state from the registry, calls the
 * pure planners in core/proposal.ts, and publishes ref changes atomically.
 */
import type { CommandContext } from './context.js';
import { isoNow, unixSeconds } from './context.js';
import type { RefWrite } from '../registry/repository.js';
import { acksByTeam, findOpenProposal, readAcks, type OpenProposal, type AckRecord } from '../registry/proposals.js';
import { readConfig, readConsumers, requireAsset } from '../registry/state.js';
import { ackRef, closedRecord, planMerge, proposalBranch, viewProposal, type ProposalView } from '../core/proposal.js';
import { formatCommitMessage } from '../core/commit-message.js';
import { assetDir, CONFIG_PATH, MAIN_REF } from '../core/paths.js';
import type { Consumer, ProposalStatus } from '../core/model.js';
import type { FileWrite } from '../core/plan-types.js';

export interface ProposalState {
  open: OpenProposal;
  acks: Map<string, AckRecord>;
  view: ProposalView;
  consumers: Consumer[];
}

export async function loadProposalState(ctx: CommandContext, open: OpenProposal): Promise<ProposalState> {
  const snap = await ctx.repo.snapshot(MAIN_REF, [assetDir(open.proposal.asset)]);
  const consumers = await readConsumers(snap, open.proposal.asset);
  const acks = await readAcks(ctx.repo, open);
  const view = viewProposal(open.proposal, consumers.map((c) => c.team), acksByTeam(acks), isoNow(ctx.now()));
  return { open, acks, view, consumers };
}

/** Ref writes that remove a proposal branch and all its ack refs, compare-and-swap on each. */
export function cleanupWrites(state: { open: OpenProposal; acks: Map<string, AckRecord> }): RefWrite[] {
  const writes: RefWrite[] = [{ ref: proposalBranch(state.open.proposal.id), expectedOld: state.open.head, delete: true }];
  for (const r of state.acks.values()) writes.push({ ref: r.ref, expectedOld: r.commit, delete: true });
  return writes;
}

export type MergeResult = ({ merged: true; view: ProposalView; commit?: string } | { merged: false; view?: ProposalView; reason: 'incomplete' | 'gone' }) & {
  /** Lost compare-and-swap races of the merge transaction (another writer moved main or the refs first). */
  retries?: number;
};

/**
 * Merge the proposal when every required team has approved. Safe to race:
 * every ref moves by compare-and-swap, and a loser re-reads and finds the
 * proposal already gone.
 */
export async function mergeIfComplete(ctx: CommandContext, proposalId: string): Promise<MergeResult> {
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
  return result;
}

/** Close a proposal without merging (withdrawn, expired, forced, superseded), leaving a record on main. */
export function closeWrites(state: { open: OpenProposal; acks: Map<string, AckRecord> }, mainHead: string, status: ProposalStatus, by: string, now: string, reason: string | undefined, extraFiles: FileWrite[] = [], subject?: string): RefWrite[] {
  const p = state.open.proposal;
  const files = [...extraFiles, closedRecord(p, status, by, now, reason)];
  const message = formatCommitMessage(subject ?? `${status} proposal ${p.id}: ${p.asset} ${p.to_version}`, {
    event: `proposal.${status}`,
    actor: by,
    assets: [p.asset],
    version: p.to_version,
    proposal: p.id,
    team: p.owner,
    ...(reason ? { extra: { Reason: reason } } : {}),
  });
  return [{ ref: MAIN_REF, expectedOld: mainHead, commit: { parents: [mainHead], changes: files, message } }, ...cleanupWrites(state)];
}

/**
 * Close several proposals in one commit on main (their records), deleting
 * every branch and ack ref in the same atomic update; the commit names each
 * proposal (Tessera-Closed-Proposals) beside any extra trailers.
 */
export function closeManyWrites(states: ReadonlyArray<{ open: OpenProposal; acks: Map<string, AckRecord> }>, mainHead: string, status: ProposalStatus, by: string, now: string, reason: string | undefined, subject: string, extra: Record<string, string> = {}): RefWrite[] {
  const ids = states.map((s) => s.open.proposal.id);
  const message = formatCommitMessage(subject, {
    event: `proposal.${status}`,
    actor: by,
    assets: [...new Set(states.map((s) => s.open.proposal.asset))].sort(),
    ...(ids.length === 1 ? { proposal: ids[0]! } : {}),
    extra: { ...extra, 'Closed-Proposals': ids.join(' '), ...(reason ? { Reason: reason } : {}) },
  });
  const files = states.map((s) => closedRecord(s.open.proposal, status, by, now, reason));
  return [{ ref: MAIN_REF, expectedOld: mainHead, commit: { parents: [mainHead], changes: files, message } }, ...states.flatMap(cleanupWrites)];
}

export { readConfig };
