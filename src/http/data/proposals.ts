/**
 * Proposals as the UI shows them: open ones from their branches and ack
 * refs (through app/'s loadProposalState, so the UI and `tessera
 * proposals` agree), closed ones from their records on main.
 */
import { deliveriesOfProposal } from '../../registry/notify-log.js';
import type { AppContext } from '../../app/context.js';
import { isoNow } from '../../app/context.js';
import { loadProposalState, type ProposalState } from '../../app/proposal-state.js';
import { listOpenProposals } from '../../registry/proposals.js';
import { readConsumers } from '../../registry/state.js';
import { latestAck, type TeamAnswer } from '../../core/proposal.js';
import { evaluateTeams } from '../../core/scope/teams.js';
import { assetDir } from '../../core/paths.js';
import { isMember } from '../../core/membership.js';
import type { Proposal } from '../../core/model.js';
import type { ProposalDetail, ProposalSummary } from '../model.js';
import type { RegistryIndex } from './index.js';
import { changeView } from './diff.js';

function teamsIn(answers: TeamAnswer[], state: TeamAnswer['state']): string[] {
  return answers.filter((a) => a.state === state).map((a) => a.team);
}

/** The fields every proposal summary shares, open or closed. */
function identity(p: Proposal) {
  return {
    id: p.id,
    asset: p.asset,
    from_version: p.from_version,
    to_version: p.to_version,
    status: p.status,
    author: p.author,
    owner: p.owner,
    created_at: p.created_at,
    expires_at: p.expires_at,
  };
}

export function openSummary(state: ProposalState): ProposalSummary {
  const p = state.open.proposal;
  const v = state.view;
  return {
    ...identity(p),
    required: v.required,
    informed: v.informed,
    approved: teamsIn(v.answers, 'approved'),
    pending: v.pending,
    blocked: v.blocked,
    migrating: teamsIn(v.answers, 'migrating'),
    expired: v.expired,
    breaking: p.changes.filter((c) => c.breaking).length,
  };
}

export function closedSummary(p: Proposal): ProposalSummary {
  return {
    ...identity(p),
    ...(p.closed_at ? { closed_at: p.closed_at } : {}),
    required: p.required_teams,
    informed: p.informed_teams ?? [],
    approved: [],
    pending: [],
    blocked: [],
    migrating: [],
    expired: false,
    breaking: p.changes.filter((c) => c.breaking).length,
  };
}

/** Every open proposal with where each team stands. */
export async function loadOpenStates(ctx: AppContext): Promise<ProposalState[]> {
  const open = await listOpenProposals(ctx.repo);
  return Promise.all(open.map((o) => loadProposalState(ctx, o)));
}

export interface ProposalFilter {
  status?: string;
  asset?: string;
}

export function proposalList(open: ProposalState[], index: RegistryIndex, filter: ProposalFilter): ProposalSummary[] {
  const rows = [...open.map(openSummary), ...index.closedProposals.map(closedSummary)];
  return rows.filter((r) => (!filter.status || r.status === filter.status) && (!filter.asset || r.asset === filter.asset));
}

/** The teams the actor may answer for: members of, and required on, the proposal. */
export function actorTeams(index: RegistryIndex, required: string[], actor: string | undefined): string[] {
  if (!actor) return [];
  return index.teams.filter((t) => required.includes(t.name) && isMember(t, actor)).map((t) => t.name);
}

export async function loadProposalDetail(ctx: AppContext, index: RegistryIndex, open: ProposalState[], id: string, actor: string | undefined): Promise<ProposalDetail | undefined> {
  const live = open.find((s) => s.open.proposal.id === id);
  if (live) {
    const v = live.view;
    return {
      proposal: live.open.proposal,
      open: true,
      changes: live.open.proposal.changes.map(changeView),
      answers: v.answers,
      pending: v.pending,
      blocked: v.blocked,
      complete: v.complete,
      expired: v.expired || live.open.proposal.expires_at <= isoNow(ctx.now()),
      scopes: v.scopes,
      ...(live.open.proposal.scope ? { footprint: live.open.proposal.scope.footprint } : {}),
      actorTeams: actorTeams(index, v.required, actor),
      ...(actor ? { actor } : {}),
      notifications: await deliveriesOfProposal(ctx.repo, id),
    };
  }
  const closed = index.closedProposals.find((p) => p.id === id);
  if (!closed) return undefined;
  // A closed proposal's answers are the acks kept in the consumer files on main.
  const snap = await ctx.repo.snapshotAt(index.commit, [assetDir(closed.asset)]);
  const consumers = new Map((await readConsumers(snap, closed.asset)).map((c) => [c.team, c]));
  const answers: TeamAnswer[] = closed.required_teams.map((team) => {
    const ack = latestAck(consumers.get(team), id);
    if (!ack) return { team, state: 'pending' };
    const state = ack.fingerprint !== closed.fingerprint ? 'stale' : ack.decision === 'approve' ? 'approved' : ack.decision === 'migrating' ? 'migrating' : 'blocked';
    return { team, state, ack };
  });
  return {
    proposal: closed,
    open: false,
    changes: closed.changes.map(changeView),
    answers,
    pending: [],
    blocked: [],
    complete: closed.status === 'merged',
    expired: closed.status === 'expired',
    // As recorded at creation: the teams and the fields they had declared then (registrations may have changed since).
    scopes: evaluateTeams(closed, [...closed.required_teams, ...(closed.informed_teams ?? [])].map((team) => ({ team, fields: closed.scope?.fields?.[team] }))),
    ...(closed.scope ? { footprint: closed.scope.footprint } : {}),
    actorTeams: [],
    ...(actor ? { actor } : {}),
    notifications: await deliveriesOfProposal(ctx.repo, id),
  };
}
