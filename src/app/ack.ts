/**
 * Acknowledging a proposal: the one implementation behind `tessera ack` and
 * the UI's Approve / Migrating / Block buttons, so both apply the same checks
 * and give the same refusals.
 */
import type { AppContext, Outcome } from './context.js';
import { isoNow, unixSeconds } from './context.js';
import { mergeWhenComplete } from './merge.js';
import { loadProposalState, proposalEvent } from './proposal-state.js';
import { requireOpenProposal } from '../registry/proposals.js';
import { readConfig, readTeam } from '../registry/state.js';
import { resolveRef } from '../registry/git.js';
import { ackRef, latestAck, planAck } from '../core/proposal.js';
import { assetDir, checkTeamName, CONFIG_PATH, consumerPath, MAIN_REF, teamPath } from '../core/paths.js';
import { consumerSchema, DECISIONS, type Ack, type Decision, type Proposal, type PullRequestRef } from '../core/model.js';
import { formatCommitMessage } from '../core/commit-message.js';
import type { EventType } from '../core/events.js';
import { InputError } from '../core/errors.js';

export interface AckRequest {
  target: string;
  team: string;
  decision: string;
  note?: string;
}

export interface AckResult {
  ack: Ack;
  proposal: Proposal;
  team: string;
  merged: boolean;
  autoMerge: boolean;
  pending: string[];
  blocked: string[];
  /** Retries of the merge this ack attempted (0 when it did not merge); the outcome's retries are the ack ref's own. */
  mergeRetries: number;
  /** The team had already given this answer (same decision, note and fingerprint): nothing was written. */
  unchanged: boolean;
  /**
   * The proposal's pull request (sync-dbt --pull-request): the last ack does
   * not merge it, since its change is not live before the pull request merges;
   * the main branch's sync publishes it then. `approved`: every team has.
   */
  heldFor?: { pullRequest: PullRequestRef; approved: boolean };
}

/** The event an answer is, by decision; the commit's trailer stays proposal.acked with Tessera-Decision. */
const ACK_EVENTS: Record<Decision, EventType> = { approve: 'proposal.acked', block: 'proposal.blocked', migrating: 'proposal.migrating' };

export async function ack(ctx: AppContext, req: AckRequest): Promise<Outcome<AckResult>> {
  const team = checkTeamName(req.team);
  const decision = req.decision as Decision;
  if (!DECISIONS.includes(decision)) throw new InputError(`unknown decision '${req.decision}'`, `use one of: ${DECISIONS.join(', ')}`);
  const note = req.note?.trim() ? req.note.trim() : undefined;
  const actor = await ctx.identity();
  const at = ctx.now();
  let autoMerge = true;
  const outcome = await ctx.repo.transact(
    async () => {
      const snap = await ctx.repo.snapshot(MAIN_REF, [CONFIG_PATH, teamPath(team), 'proposals']);
      const open = await requireOpenProposal(ctx.repo, snap, req.target);
      const p = open.proposal;
      const config = await readConfig(snap);
      autoMerge = config.policy.auto_merge;
      const main = await ctx.repo.snapshot(MAIN_REF, [assetDir(p.asset)]);
      const consumer = await main.read(consumerPath(p.asset, team), consumerSchema);
      const { ack, file } = planAck({ config, proposal: p, team: await readTeam(snap, team), teamName: team, consumer, actor: actor.email, now: isoNow(at), decision, ...(note !== undefined ? { note } : {}) });
      const ref = ackRef(p.id, team);
      // The same answer again (to the same fingerprint) changes nothing: say so rather than write a second ack.
      const refHead = await resolveRef(ctx.repo.gitDir, ref);
      if (refHead) {
        const onRef = await ctx.repo.snapshotAt(refHead, [assetDir(p.asset)]);
        const prior = latestAck(await onRef.read(consumerPath(p.asset, team), consumerSchema), p.id);
        if (prior && prior.decision === decision && prior.fingerprint === ack.fingerprint && prior.note === note) {
          return { writes: [], result: { ack: prior, proposal: p, unchanged: true } };
        }
      }
      const verb = decision === 'approve' ? 'approves' : decision === 'block' ? 'blocks' : 'is migrating for';
      const message = formatCommitMessage(`${team} ${verb} proposal ${p.id}: ${p.asset} ${p.to_version}`, {
        event: 'proposal.acked',
        actor: actor.email,
        assets: [p.asset],
        version: p.to_version,
        proposal: p.id,
        team,
        extra: { Decision: decision },
      });
      // Each team acks on its own ref: teams acking at once never contend.
      return { writes: [{ ref, expectedOld: refHead, commit: { parents: [open.head], changes: [file], message } }], result: { ack, proposal: p, unchanged: false } };
    },
    { author: actor, when: () => unixSeconds(at) },
  );
  const { ack: answer, proposal, unchanged } = outcome.result;
  const events = unchanged ? [] : [proposalEvent(ACK_EVENTS[decision], proposal, actor.email, isoNow(at), outcome.commits[ackRef(proposal.id, team)], team)];

  // See everyone else's acks: whoever answers last triggers the merge.
  await ctx.repo.sync(true);
  const held = proposal.pull_request;
  const merge = autoMerge && !held ? await mergeWhenComplete(ctx, proposal.id) : undefined;
  const merged = Boolean(merge?.result.merged);
  let pending: string[] = [];
  let blocked: string[] = [];
  if (!merged) {
    const open = await requireOpenProposal(ctx.repo, await ctx.repo.snapshot(MAIN_REF, ['proposals']), proposal.id).catch(() => undefined);
    if (open) ({ pending, blocked } = (await loadProposalState(ctx, open)).view);
  }
  return {
    result: {
      ack: answer,
      proposal,
      team,
      merged,
      autoMerge,
      pending,
      blocked,
      mergeRetries: merge?.result.retries ?? 0,
      unchanged,
      ...(held ? { heldFor: { pullRequest: held, approved: pending.length === 0 && blocked.length === 0 } } : {}),
    },
    commits: { ...outcome.commits, ...merge?.commits },
    events: [...events, ...(merge?.events ?? [])],
    retries: outcome.retries,
  };
}
