/**
 * An open proposal as every workflow and reader sees it (its branch, the
 * acks on their refs, where each registered team stands), and the ref
 * writes that end one: shared by merge, withdraw, expire and a forced
 * publish, and read by `tessera proposals`, `show` and the UI, so they agree.
 */
import type { AppContext } from './context.js';
import { isoNow } from './context.js';
import type { RefWrite } from '../registry/repository.js';
import { acksByTeam, readAcks, type OpenProposal, type AckRecord } from '../registry/proposals.js';
import { readConfig, readConsumers } from '../registry/state.js';
import { closedRecord, proposalBranch, viewProposal, type ProposalView } from '../core/proposal.js';
import { formatCommitMessage } from '../core/commit-message.js';
import { assetDir, CONFIG_PATH, MAIN_REF } from '../core/paths.js';
import type { Consumer, Proposal, ProposalStatus } from '../core/model.js';
import type { FileWrite } from '../core/plan-types.js';
import type { DomainEvent, EventType } from '../core/events.js';

export interface ProposalState {
  open: OpenProposal;
  acks: Map<string, AckRecord>;
  view: ProposalView;
  consumers: Consumer[];
}

export async function loadProposalState(ctx: AppContext, open: OpenProposal): Promise<ProposalState> {
  const snap = await ctx.repo.snapshot(MAIN_REF, [CONFIG_PATH, assetDir(open.proposal.asset)]);
  const [consumers, config] = await Promise.all([readConsumers(snap, open.proposal.asset), readConfig(snap)]);
  const acks = await readAcks(ctx.repo, open);
  const view = viewProposal(open.proposal, consumers, acksByTeam(acks), isoNow(ctx.now()), config.policy.strict_acks);
  return { open, acks, view, consumers };
}

/** Ref writes that remove a proposal branch and all its ack refs, compare-and-swap on each. */
export function cleanupWrites(state: { open: OpenProposal; acks: Map<string, AckRecord> }): RefWrite[] {
  const writes: RefWrite[] = [{ ref: proposalBranch(state.open.proposal.id), expectedOld: state.open.head, delete: true }];
  for (const r of state.acks.values()) writes.push({ ref: r.ref, expectedOld: r.commit, delete: true });
  return writes;
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

/** The event of a proposal's own step (created, acked, merged, closed): one per proposal, even when one commit carries several. */
export function proposalEvent(type: EventType, p: Pick<Proposal, 'id' | 'asset' | 'to_version' | 'owner'>, actor: string, at: string, commit: string | undefined, team: string = p.owner): DomainEvent {
  return { type, actor, at, asset: p.asset, version: p.to_version, proposal: p.id, team, ...(commit ? { commit } : {}) };
}
